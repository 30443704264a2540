# METADATA
# title: Administrative port opened to the internet
# description: >-
#   A security group ingress rule now admits the whole internet (any CIDR ending in /0, such as
#   0.0.0.0/0 or ::/0) on a port listed in `admin_ports` (SSH, RDP, telnet, VNC, WinRM by
#   default), or on all ports with protocol -1. Covers AuthorizeSecurityGroupIngress in both of
#   its request shapes (top-level cidrIp/fromPort/toPort and ipPermissions items with ipRanges
#   and ipv6Ranges) and ModifySecurityGroupRules, which CIS 4.10 does not list. A modified rule
#   does not say whether it is ingress or egress, so all-protocol modifications (normally the
#   default egress rule) are not reported. Failed attempts count unless `successful_only` is
#   true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-security-group-open-port-22-ingress/
# custom:
#   id: TGE027
#   name: admin-port-open-to-internet
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Remove the rule (`aws ec2 revoke-security-group-ingress`) or narrow it to known
#       addresses; use Session Manager or EC2 Instance Connect Endpoint instead of exposing SSH or
#       RDP. Check the instances behind the group for logins from unknown addresses while the
#       port was open.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["5.2", "5.3"]
#     pci-dss-v4.0: ["1.3.1"]
#     hipaa-security-rule: ["164.312(a)(1)"]
#     nist-800-53-r5: ["SC-7", "CM-7", "AC-17"]
#     mitre-attack: ["T1562.007"]
#   params:
#     admin_ports: [22, 23, 3389, 5900, 5985, 5986]
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [AuthorizeSecurityGroupIngress, ModifySecurityGroupRules]
package trailguard.events.admin_port_open_to_internet

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": group, "evidence": evidence} if {
	input.eventName in {"AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules"}
	input.eventSource == "ec2.amazonaws.com"
	count(exposures) > 0
	actor.counted(input)
	group := group_id
	msg := sprintf("%s opened %s on security group %s to the internet%s%s", [actor.who(input), concat(", ", sort(exposures)), group, actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "groupId": group, "exposures": sort(exposures)}
}

group_id := input.requestParameters.groupId if {
	input.requestParameters.groupId
} else := input.requestParameters.ModifySecurityGroupRulesRequest.GroupId if {
	input.requestParameters.ModifySecurityGroupRulesRequest.GroupId
} else := object.get(actor.request(input), "groupName", "(unknown group)")

# One entry per (protocol, port range, CIDR) the request adds.
entries contains entry(req.ipProtocol, req, req.cidrIp) if {
	input.eventName == "AuthorizeSecurityGroupIngress"
	req := input.requestParameters
	is_string(req.cidrIp)
}

entries contains entry(perm.ipProtocol, perm, range.cidrIp) if {
	input.eventName == "AuthorizeSecurityGroupIngress"
	some perm in actor.items(input.requestParameters.ipPermissions)
	some range in actor.items(perm.ipRanges)
}

entries contains entry(perm.ipProtocol, perm, range.cidrIpv6) if {
	input.eventName == "AuthorizeSecurityGroupIngress"
	some perm in actor.items(input.requestParameters.ipPermissions)
	some range in actor.items(perm.ipv6Ranges)
}

entries contains entry(r.IpProtocol, {"fromPort": r.FromPort, "toPort": r.ToPort}, cidr) if {
	input.eventName == "ModifySecurityGroupRules"
	some update in actor.as_list(input.requestParameters.ModifySecurityGroupRulesRequest.SecurityGroupRule)
	r := update.SecurityGroupRule
	some cidr in [object.get(r, "CidrIpv4", ""), object.get(r, "CidrIpv6", "")]
	not lower(sprintf("%v", [r.IpProtocol])) in {"-1", "all"}
}

entry(protocol, ports, cidr) := {
	"protocol": lower(sprintf("%v", [protocol])),
	"from": object.get(ports, "fromPort", -1),
	"to": object.get(ports, "toPort", -1),
	"cidr": cidr,
}

exposures contains sprintf("all ports (%s)", [e.cidr]) if {
	some e in entries
	endswith(e.cidr, "/0")
	e.protocol in {"-1", "all"}
}

exposures contains sprintf("%s/%v (%s)", [proto_name(e.protocol), port, e.cidr]) if {
	some e in entries
	endswith(e.cidr, "/0")
	e.protocol in {"tcp", "udp", "6", "17"}
	some port in data.trailguard.params.admin_ports
	to_number(e.from) <= to_number(port)
	to_number(port) <= to_number(e.to)
}

proto_name(p) := {"6": "tcp", "17": "udp"}[p] if p in {"6", "17"}

proto_name(p) := p if not p in {"6", "17"}
