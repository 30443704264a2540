package trailguard.events.ami_shared_externally_test

import rego.v1

import data.trailguard.events.ami_shared_externally as rule

params := {"trusted_accounts": [], "successful_only": false}

# Stratus aws.exfiltration.ec2-share-ami (trimmed).
share := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "ModifyImageAttribute",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.90",
	"recipientAccountId": "012345678901",
	"requestParameters": {"attributeType": "launchPermission", "imageId": "ami-0de1fbcab6ccb03e6", "launchPermission": {"add": {"items": [{"userId": "846424999548"}]}}},
	"responseElements": {"_return": true},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::012345678901:user/christophe", "accountId": "012345678901"},
}

with_add(items) := object.union(object.remove(share, ["requestParameters"]), {"requestParameters": {"attributeType": "launchPermission", "imageId": "ami-0de1fbcab6ccb03e6", "launchPermission": {"add": {"items": items}}}})

test_shared_with_other_account_fires if {
	findings := rule.deny with input as share with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' shared AMI ami-0de1fbcab6ccb03e6 with account 846424999548 from 203.0.113.90",
		"resource": "ami-0de1fbcab6ccb03e6",
		"evidence": {"imageId": "ami-0de1fbcab6ccb03e6", "grantees": ["account 846424999548"]},
	}}
}

test_made_public_fires if {
	findings := rule.deny with input as with_add([{"group": "all"}]) with data.trailguard.params as params
	some f in findings
	f.evidence.grantees == ["everyone (public)"]
}

test_trusted_account_does_not_fire if {
	count(rule.deny) == 0 with input as share with data.trailguard.params as {"trusted_accounts": ["846424999548"], "successful_only": false}
}

test_removing_permission_does_not_fire if {
	rec := object.union(object.remove(share, ["requestParameters"]), {"requestParameters": {"imageId": "ami-0de1fbcab6ccb03e6", "launchPermission": {"remove": {"items": [{"group": "all"}]}}}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(share, {"errorCode": "InvalidAMIID.NotFound", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trusted_accounts": [], "successful_only": true}
}
