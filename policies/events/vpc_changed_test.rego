package trailguard.events.vpc_changed_test

import rego.v1

import data.trailguard.events.vpc_changed as rule

params := {"successful_only": false}

record := {"eventVersion": "1.09", "eventSource": "ec2.amazonaws.com", "eventName": "CreateVpcPeeringConnection", "eventType": "AwsApiCall", "readOnly": false, "sourceIPAddress": "198.51.100.9", "recipientAccountId": "111122223333", "requestParameters": {"vpcId": "vpc-0a1b2c3d4e5f60718", "peerVpcId": "vpc-0f1e2d3c4b5a69788", "peerOwnerId": "444455556666"}, "responseElements": {"_return": true}, "userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"}}

test_createvpcpeeringconnection_fires if {
	findings := rule.deny with input as record with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' called ec2:CreateVpcPeeringConnection on VPC vpc-0a1b2c3d4e5f60718 (peerVpcId vpc-0f1e2d3c4b5a69788, peerOwnerId 444455556666) from 198.51.100.9",
		"resource": "vpc-0a1b2c3d4e5f60718",
		"evidence": {"vpcId": "vpc-0a1b2c3d4e5f60718", "peerVpcId": "vpc-0f1e2d3c4b5a69788", "peerOwnerId": "444455556666"},
	}}
}

test_every_listed_call_fires if {
	every name in ["CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"] {
		count(rule.deny) == 1 with input as object.union(record, {"eventName": name}) with data.trailguard.params as params
	}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(record, {"errorCode": "Client.InvalidParameterValue", "responseElements": null})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' called ec2:CreateVpcPeeringConnection on VPC vpc-0a1b2c3d4e5f60718 (peerVpcId vpc-0f1e2d3c4b5a69788, peerOwnerId 444455556666) (failed: Client.InvalidParameterValue) from 198.51.100.9"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_other_sources_and_calls_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(record, {"eventSource": "example.amazonaws.com"}) with data.trailguard.params as params
	count(rule.deny) == 0 with input as object.union(record, {"eventName": "DescribeVpcs", "readOnly": true}) with data.trailguard.params as params
}
