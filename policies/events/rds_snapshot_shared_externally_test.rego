package trailguard.events.rds_snapshot_shared_externally_test

import rego.v1

import data.trailguard.events.rds_snapshot_shared_externally as rule

params := {"trusted_accounts": [], "successful_only": false}

# Stratus aws.exfiltration.rds-share-snapshot (trimmed).
share := {
	"eventVersion": "1.08",
	"eventSource": "rds.amazonaws.com",
	"eventName": "ModifyDBSnapshotAttribute",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.92",
	"recipientAccountId": "012345678901",
	"requestParameters": {"attributeName": "restore", "dBSnapshotIdentifier": "exfiltration", "valuesToAdd": ["503161813013"]},
	"responseElements": {"dBSnapshotAttributes": [{"attributeName": "restore", "attributeValues": ["503161813013"]}], "dBSnapshotIdentifier": "exfiltration"},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::012345678901:user/christophe", "accountId": "012345678901"},
}

test_shared_with_other_account_fires if {
	findings := rule.deny with input as share with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' shared RDS snapshot 'exfiltration' with account 503161813013 from 203.0.113.92",
		"resource": "exfiltration",
		"evidence": {"eventName": "ModifyDBSnapshotAttribute", "snapshot": "exfiltration", "grantees": ["account 503161813013"]},
	}}
}

test_public_cluster_snapshot_fires if {
	rec := object.union(object.remove(share, ["requestParameters"]), {
		"eventName": "ModifyDBClusterSnapshotAttribute",
		"requestParameters": {"attributeName": "restore", "dBClusterSnapshotIdentifier": "aurora-nightly", "valuesToAdd": ["all"]},
	})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' shared RDS snapshot 'aurora-nightly' with everyone (public) from 203.0.113.92"
}

test_trusted_account_and_removal_do_not_fire if {
	count(rule.deny) == 0 with input as share with data.trailguard.params as {"trusted_accounts": ["503161813013"], "successful_only": false}
	removal := object.union(object.remove(share, ["requestParameters"]), {"requestParameters": {"attributeName": "restore", "dBSnapshotIdentifier": "exfiltration", "valuesToRemove": ["503161813013"]}})
	count(rule.deny) == 0 with input as removal with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(share, {"errorCode": "DBSnapshotNotFound", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trusted_accounts": [], "successful_only": true}
}
