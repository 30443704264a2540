# METADATA
# title: VPC changed
# description: >-
#   A VPC was created, deleted or modified, or a peering connection was requested,
#   accepted, rejected or deleted: the eleven calls of CIS 4.14 (the four ClassicLink calls are
#   retired APIs but stay in the list), restricted to ec2.amazonaws.com. A peering connection
#   with an account you do not own is a path for data to leave.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
# custom:
#   id: TGE014
#   name: vpc-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the change with the network owner; for peering connections check the
#       peer account (`peerOwnerId`) and the routes that now point at the connection.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.14"]
#     pci-dss-v4.0: ["1.2.2", "10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "SC-7", "AU-6"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [CreateVpc, DeleteVpc, ModifyVpcAttribute, AcceptVpcPeeringConnection, CreateVpcPeeringConnection, DeleteVpcPeeringConnection, RejectVpcPeeringConnection, AttachClassicLinkVpc, DetachClassicLinkVpc, DisableVpcClassicLink, EnableVpcClassicLink]
package trailguard.events.vpc_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {
		"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
		"CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
		"AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink",
	}
	input.eventSource == "ec2.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	evidence := object.filter(params, {"vpcId", "vpcPeeringConnectionId", "peerVpcId", "peerOwnerId"})
	names := [params[k] | some k in ["vpcId", "vpcPeeringConnectionId"]; params[k]]
	context := [sprintf("%s %v", [k, params[k]]) | some k in ["peerVpcId", "peerOwnerId"]; params[k]]
	resource := object.get(params, "vpcId", object.get(params, "vpcPeeringConnectionId", ""))
	msg := sprintf("%s called ec2:%s%s%s%s%s", [actor.who(input), input.eventName, subject(names), details(context), actor.outcome(input), actor.where(input)])
}

# subject(names): " on VPC <id>" for the first identifier the request names.
subject(names) := sprintf(" on VPC %v", [names[0]]) if count(names) > 0

subject(names) := "" if count(names) == 0

details(context) := sprintf(" (%s)", [concat(", ", context)]) if count(context) > 0

details(context) := "" if count(context) == 0
