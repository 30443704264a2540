# METADATA
# title: EC2 Windows password data requested
# description: >-
#   GetPasswordData was called for an instance: it returns the Windows Administrator password,
#   encrypted for the instance's key pair, so whoever also holds the key pair gets a local
#   administrator login. Rare outside first-time setup of Windows instances; several calls
#   across instances look like credential harvesting. Calls made by AWS services on a
#   principal's behalf are ignored. Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ec2-get-password-data/
# custom:
#   id: TGE039
#   name: ec2-password-data-retrieved
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the caller manages the instance. If not, rotate the instance's local
#       Administrator password, rotate or replace its key pair, and check for RDP logins to the
#       instance since the call.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["IA-5", "AU-6", "SI-4"]
#     mitre-attack: ["T1552"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [GetPasswordData]
package trailguard.events.ec2_password_data_retrieved

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": instance, "evidence": evidence} if {
	input.eventName == "GetPasswordData"
	input.eventSource == "ec2.amazonaws.com"
	not input.userIdentity.invokedBy
	actor.counted(input)
	instance := object.get(actor.request(input), "instanceId", "(unknown instance)")
	msg := sprintf("%s requested the Windows password data of instance %s%s%s", [actor.who(input), instance, actor.outcome(input), actor.where(input)])
	evidence := {"instanceId": instance, "errorCode": object.get(input, "errorCode", null)}
}
