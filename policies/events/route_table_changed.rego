# METADATA
# title: Route table changed
# description: >-
#   A route or route table was created, replaced, deleted or (dis)associated: the seven
#   calls of CIS 4.13. The v3.0 audit text writes `($.eventSource = ec2.amazonaws.com) &&
#   ($.eventName = CreateRoute) || ...`, which by the usual precedence binds the event source
#   to CreateRoute alone; the intended meaning, implemented here, requires ec2.amazonaws.com
#   for all seven names (see docs/event-rules.md).
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
# custom:
#   id: TGE013
#   name: route-table-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check the route table (`aws ec2 describe-route-tables --route-table-ids <id>`):
#       a new default route to an internet gateway, a NAT or a peering connection changes what
#       the subnets can reach and needs an owner and a reason.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.13"]
#     pci-dss-v4.0: ["1.2.2", "10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "SC-7", "AU-6"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [CreateRoute, CreateRouteTable, ReplaceRoute, ReplaceRouteTableAssociation, DeleteRouteTable, DeleteRoute, DisassociateRouteTable]
package trailguard.events.route_table_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {
		"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
		"DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable",
	}
	input.eventSource == "ec2.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	evidence := object.filter(params, {"routeTableId", "associationId", "destinationCidrBlock", "vpcId"})
	names := [params[k] | some k in ["routeTableId"]; params[k]]
	context := [sprintf("%s %v", [k, params[k]]) | some k in ["associationId", "destinationCidrBlock", "vpcId"]; params[k]]
	resource := object.get(params, "routeTableId", "")
	msg := sprintf("%s called ec2:%s%s%s%s%s", [actor.who(input), input.eventName, subject(names), details(context), actor.outcome(input), actor.where(input)])
}

# subject(names): " on route table <id>" for the first identifier the request names.
subject(names) := sprintf(" on route table %v", [names[0]]) if count(names) > 0

subject(names) := "" if count(names) == 0

details(context) := sprintf(" (%s)", [concat(", ", context)]) if count(context) > 0

details(context) := "" if count(context) == 0
