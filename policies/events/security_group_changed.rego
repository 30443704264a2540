# METADATA
# title: Security group changed
# description: >-
#   A security group was created or deleted, or an ingress or egress rule was added or
#   removed: the six calls of CIS 4.10, restricted to ec2.amazonaws.com. The benchmark's list
#   predates ModifySecurityGroupRules, which is not matched here either; rules that open
#   administrative ports to the internet (through any of these calls or
#   ModifySecurityGroupRules) are reported, with high severity, by TGE027.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
# custom:
#   id: TGE010
#   name: security-group-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check the group's current rules (`aws ec2 describe-security-group-rules
#       --filters Name=group-id,Values=<id>`) against what the workload needs; remove rules
#       nobody asked for and find out who added them.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.10"]
#     pci-dss-v4.0: ["1.2.2", "10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "SC-7", "AU-6"]
#     mitre-attack: ["T1562.007"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [AuthorizeSecurityGroupIngress, AuthorizeSecurityGroupEgress, RevokeSecurityGroupIngress, RevokeSecurityGroupEgress, CreateSecurityGroup, DeleteSecurityGroup]
package trailguard.events.security_group_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {
		"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
		"RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup",
	}
	input.eventSource == "ec2.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	evidence := object.filter(params, {"groupId", "groupName", "vpcId"})
	names := [params[k] | some k in ["groupId", "groupName"]; params[k]]
	context := [sprintf("%s %v", [k, params[k]]) | some k in ["vpcId"]; params[k]]
	resource := object.get(params, "groupId", object.get(params, "groupName", ""))
	msg := sprintf("%s called ec2:%s%s%s%s%s", [actor.who(input), input.eventName, subject(names), details(context), actor.outcome(input), actor.where(input)])
}

# subject(names): " on security group <id>" for the first identifier the request names.
subject(names) := sprintf(" on security group %v", [names[0]]) if count(names) > 0

subject(names) := "" if count(names) == 0

details(context) := sprintf(" (%s)", [concat(", ", context)]) if count(context) > 0

details(context) := "" if count(context) == 0
