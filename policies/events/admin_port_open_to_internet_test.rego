package trailguard.events.admin_port_open_to_internet_test

import rego.v1

import data.trailguard.events.admin_port_open_to_internet as rule

params := {"admin_ports": [22, 23, 3389, 5900, 5985, 5986], "successful_only": false}

user := {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::032092706103:user/christophe", "accountId": "032092706103"}

# Stratus aws.exfiltration.ec2-security-group-open-port-22-ingress (trimmed). The anonymiser
# rewrote 0.0.0.0/0 as 208.236.235.254/0: any address with prefix /0 is the whole internet.
legacy := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "AuthorizeSecurityGroupIngress",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.80",
	"recipientAccountId": "032092706103",
	"requestParameters": {"cidrIp": "208.236.235.254/0", "fromPort": 22, "groupId": "sg-003dc7f1f1c686164", "ipPermissions": {}, "ipProtocol": "tcp", "toPort": 22},
	"responseElements": {"_return": true},
	"userIdentity": user,
}

with_permissions(items) := object.union(object.remove(legacy, ["requestParameters"]), {"requestParameters": {"groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": items}}})

modify(rule_body) := object.union(object.remove(legacy, ["requestParameters", "eventName"]), {
	"eventName": "ModifySecurityGroupRules",
	"requestParameters": {"ModifySecurityGroupRulesRequest": {
		"GroupId": "sg-0a1b2c3d4e5f60718",
		"SecurityGroupRule": {"SecurityGroupRuleId": "sgr-0d28445c956a5d8ac", "tag": 1, "SecurityGroupRule": rule_body},
	}},
})

test_legacy_shape_ssh_fires if {
	findings := rule.deny with input as legacy with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' opened tcp/22 (208.236.235.254/0) on security group sg-003dc7f1f1c686164 to the internet from 203.0.113.80",
		"resource": "sg-003dc7f1f1c686164",
		"evidence": {"eventName": "AuthorizeSecurityGroupIngress", "groupId": "sg-003dc7f1f1c686164", "exposures": ["tcp/22 (208.236.235.254/0)"]},
	}}
}

test_port_range_covering_rdp_over_ipv6_fires if {
	rec := with_permissions([{
		"ipProtocol": "tcp", "fromPort": 3000, "toPort": 4000,
		"ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]},
		"ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]},
	}])
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.exposures == ["tcp/3389 (::/0)"]
}

test_all_protocols_fires if {
	rec := with_permissions([{"ipProtocol": "-1", "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}])
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.exposures == ["all ports (0.0.0.0/0)"]
}

test_https_to_internet_and_ssh_from_office_do_not_fire if {
	web := with_permissions([{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}])
	count(rule.deny) == 0 with input as web with data.trailguard.params as params
	office := with_permissions([{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "198.51.100.0/24"}]}}])
	count(rule.deny) == 0 with input as office with data.trailguard.params as params
}

test_modify_security_group_rules_fires if {
	findings := rule.deny with input as modify({"CidrIpv4": "0.0.0.0/0", "FromPort": 3389, "ToPort": 3389, "IpProtocol": "tcp"}) with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' opened tcp/3389 (0.0.0.0/0) on security group sg-0a1b2c3d4e5f60718 to the internet from 203.0.113.80"
}

test_modified_all_protocol_rule_is_not_reported if {
	count(rule.deny) == 0 with input as modify({"CidrIpv4": "0.0.0.0/0", "IpProtocol": "-1", "FromPort": -1, "ToPort": -1}) with data.trailguard.params as params
}

test_admin_ports_parameter_is_honoured if {
	rec := with_permissions([{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}])
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
	count(rule.deny) == 1 with input as rec with data.trailguard.params as {"admin_ports": [5432], "successful_only": false}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(legacy, {"errorCode": "InvalidPermission.Duplicate", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"admin_ports": [22], "successful_only": true}
}
