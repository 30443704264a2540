# METADATA
# title: Network ACL changed
# description: >-
#   A network ACL or one of its entries was created, replaced or deleted, or a subnet was
#   moved to another ACL: the six calls of CIS 4.11, restricted to ec2.amazonaws.com.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
# custom:
#   id: TGE011
#   name: network-acl-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Review the ACL's entries (`aws ec2 describe-network-acls --network-acl-ids <id>`);
#       an allow entry for 0.0.0.0/0 on administrative ports or a removed deny entry needs an
#       owner and a reason.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.11"]
#     pci-dss-v4.0: ["1.2.2", "10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "SC-7", "AU-6"]
#     mitre-attack: ["T1562.007"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [CreateNetworkAcl, CreateNetworkAclEntry, DeleteNetworkAcl, DeleteNetworkAclEntry, ReplaceNetworkAclEntry, ReplaceNetworkAclAssociation]
package trailguard.events.network_acl_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {
		"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
		"ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation",
	}
	input.eventSource == "ec2.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	evidence := object.filter(params, {"networkAclId", "associationId", "vpcId"})
	names := [params[k] | some k in ["networkAclId"]; params[k]]
	context := [sprintf("%s %v", [k, params[k]]) | some k in ["associationId", "vpcId"]; params[k]]
	resource := object.get(params, "networkAclId", "")
	msg := sprintf("%s called ec2:%s%s%s%s%s", [actor.who(input), input.eventName, subject(names), details(context), actor.outcome(input), actor.where(input)])
}

# subject(names): " on network ACL <id>" for the first identifier the request names.
subject(names) := sprintf(" on network ACL %v", [names[0]]) if count(names) > 0

subject(names) := "" if count(names) == 0

details(context) := sprintf(" (%s)", [concat(", ", context)]) if count(context) > 0

details(context) := "" if count(context) == 0
