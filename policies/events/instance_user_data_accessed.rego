# METADATA
# title: Instance user data read or replaced
# description: >-
#   A principal read an instance's user data (DescribeInstanceAttribute with attribute
#   userData) or replaced it (ModifyInstanceAttribute with userData). User data often holds
#   bootstrap secrets, so reading it across instances is credential discovery; replacing it makes
#   the instance run the new script as root at its next start, a known execution and
#   persistence technique. Calls made by AWS services on a principal's behalf are ignored.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.discovery.ec2-download-user-data/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ec2-user-data/
# custom:
#   id: TGE047
#   name: instance-user-data-accessed
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       For reads, move secrets out of user data (Secrets Manager, Parameter Store) and rotate any
#       that were there. For modifications, compare the instance's user data with your launch
#       template before it next starts, and look for StopInstances/StartInstances around the
#       change.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4", "CM-3"]
#     mitre-attack: ["T1552", "T1580", "T1578.005"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [DescribeInstanceAttribute, ModifyInstanceAttribute]
package trailguard.events.instance_user_data_accessed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": instance, "evidence": evidence} if {
	input.eventName in {"DescribeInstanceAttribute", "ModifyInstanceAttribute"}
	input.eventSource == "ec2.amazonaws.com"
	touches_user_data
	not input.userIdentity.invokedBy
	actor.counted(input)
	instance := object.get(actor.request(input), "instanceId", "(unknown instance)")
	verb := {"DescribeInstanceAttribute": "read", "ModifyInstanceAttribute": "replaced"}[input.eventName]
	msg := sprintf("%s %s the user data of instance %s%s%s", [actor.who(input), verb, instance, actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "instanceId": instance, "errorCode": object.get(input, "errorCode", null)}
}

touches_user_data if input.requestParameters.attribute == "userData"

touches_user_data if {
	input.eventName == "ModifyInstanceAttribute"
	input.requestParameters.userData
}
