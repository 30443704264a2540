# METADATA
# title: Network gateway changed
# description: >-
#   An internet or customer gateway was created, deleted, attached or detached: the six
#   calls of CIS 4.12, restricted to ec2.amazonaws.com. Attaching an internet gateway gives a
#   VPC a path to and from the internet.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
# custom:
#   id: TGE012
#   name: network-gateway-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the gateway change belongs to a planned network change; an internet
#       gateway attached to a VPC that should be private must be detached and the route tables
#       that point at it reviewed.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.12"]
#     pci-dss-v4.0: ["1.2.2", "10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "SC-7", "AU-6"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [CreateCustomerGateway, DeleteCustomerGateway, AttachInternetGateway, CreateInternetGateway, DeleteInternetGateway, DetachInternetGateway]
package trailguard.events.network_gateway_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {
		"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
		"CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway",
	}
	input.eventSource == "ec2.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	evidence := object.filter(params, {"internetGatewayId", "customerGatewayId", "vpcId"})
	names := [params[k] | some k in ["internetGatewayId", "customerGatewayId"]; params[k]]
	context := [sprintf("%s %v", [k, params[k]]) | some k in ["vpcId"]; params[k]]
	resource := object.get(params, "internetGatewayId", object.get(params, "customerGatewayId", ""))
	msg := sprintf("%s called ec2:%s%s%s%s%s", [actor.who(input), input.eventName, subject(names), details(context), actor.outcome(input), actor.where(input)])
}

# subject(names): " on gateway <id>" for the first identifier the request names.
subject(names) := sprintf(" on gateway %v", [names[0]]) if count(names) > 0

subject(names) := "" if count(names) == 0

details(context) := sprintf(" (%s)", [concat(", ", context)]) if count(context) > 0

details(context) := "" if count(context) == 0
