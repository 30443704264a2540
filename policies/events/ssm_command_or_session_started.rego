# METADATA
# title: Command run or shell session started on instances through SSM
# description: >-
#   A principal ran a Systems Manager command on instances (SendCommand) or opened an
#   interactive Session Manager session (StartSession). Both execute code on the instances as
#   root/SYSTEM with no network path needed, which is why attackers with AWS credentials use
#   them to reach workloads and steal instance role credentials. Runs started by AWS services
#   (State Manager, Maintenance Windows, Patch Manager: invokedBy or a service source address)
#   are ignored; routine human use makes this low severity. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ssm-send-command/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ssm-start-session/
# custom:
#   id: TGE046
#   name: ssm-command-or-session-started
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the operator and purpose. Read the command's output (`aws ssm
#       get-command-invocation`) or the session log in S3/CloudWatch Logs if session logging is
#       enabled, and restrict ssm:SendCommand/StartSession to the documents and instance tags
#       each team needs.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AC-17", "SI-4"]
#     mitre-attack: ["T1651"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ssm.amazonaws.com]
#     eventName: [SendCommand, StartSession]
package trailguard.events.ssm_command_or_session_started

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName in {"SendCommand", "StartSession"}
	input.eventSource == "ssm.amazonaws.com"
	not input.userIdentity.invokedBy
	not input.userIdentity.type == "AWSService"
	not endswith(object.get(input, "sourceIPAddress", ""), ".amazonaws.com")
	actor.counted(input)
	msg := sprintf("%s %s%s%s", [actor.who(input), what, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName}, object.filter(actor.request(input), {"documentName", "instanceIds", "targets", "target"}))
}

what := sprintf("ran SSM document %s on %s", [object.get(actor.request(input), "documentName", "(unknown document)"), targets]) if {
	input.eventName == "SendCommand"
} else := sprintf("started an SSM session on %s", [object.get(actor.request(input), "target", "(unknown target)")])

targets := sprintf("instances %s", [concat(", ", input.requestParameters.instanceIds)]) if {
	count(input.requestParameters.instanceIds) > 0
} else := sprintf("targets %s", [json.marshal(input.requestParameters.targets)]) if {
	input.requestParameters.targets
} else := "unrecorded targets"
