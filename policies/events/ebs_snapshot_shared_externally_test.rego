package trailguard.events.ebs_snapshot_shared_externally_test

import rego.v1

import data.trailguard.events.ebs_snapshot_shared_externally as rule

params := {"trusted_accounts": [], "successful_only": false}

# Stratus aws.exfiltration.ec2-share-ebs-snapshot (trimmed).
share := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "ModifySnapshotAttribute",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.91",
	"recipientAccountId": "012345678901",
	"requestParameters": {"attributeType": "CREATE_VOLUME_PERMISSION", "createVolumePermission": {"add": {"items": [{"userId": "098797384747"}]}}, "snapshotId": "snap-041993b54a9b3af6f"},
	"responseElements": {"_return": true},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::012345678901:user/christophe", "accountId": "012345678901"},
}

test_shared_with_other_account_fires if {
	findings := rule.deny with input as share with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' shared EBS snapshot snap-041993b54a9b3af6f with account 098797384747 from 203.0.113.91",
		"resource": "snap-041993b54a9b3af6f",
		"evidence": {"snapshotId": "snap-041993b54a9b3af6f", "grantees": ["account 098797384747"]},
	}}
}

test_public_and_own_account if {
	public := object.union(object.remove(share, ["requestParameters"]), {"requestParameters": {"snapshotId": "snap-041993b54a9b3af6f", "createVolumePermission": {"add": {"items": [{"group": "all"}, {"userId": "012345678901"}]}}}})
	findings := rule.deny with input as public with data.trailguard.params as params
	some f in findings
	f.evidence.grantees == ["everyone (public)"]
}

test_trusted_account_does_not_fire if {
	count(rule.deny) == 0 with input as share with data.trailguard.params as {"trusted_accounts": ["098797384747"], "successful_only": false}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(share, {"errorCode": "InvalidSnapshot.NotFound", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trusted_accounts": [], "successful_only": true}
}
