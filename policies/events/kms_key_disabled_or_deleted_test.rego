package trailguard.events.kms_key_disabled_or_deleted_test

import rego.v1

import data.trailguard.events.kms_key_disabled_or_deleted as rule

params := {"successful_only": false}

schedule := {
	"eventVersion": "1.08",
	"eventSource": "kms.amazonaws.com",
	"eventName": "ScheduleKeyDeletion",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"keyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7},
	"responseElements": {"keyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "keyState": "PendingDeletion"},
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_schedule_deletion_fires if {
	findings := rule.deny with input as schedule with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' scheduled deletion in 7 days of KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab from 198.51.100.9",
		"resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"evidence": {"eventName": "ScheduleKeyDeletion", "keyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7},
	}}
}

test_disable_key_fires if {
	rec := object.union(object.remove(schedule, ["requestParameters"]), {"eventName": "DisableKey", "requestParameters": {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' disabled KMS key 1234abcd-12ab-34cd-56ef-1234567890ab from 198.51.100.9"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(schedule, {"errorCode": "KMSInvalidStateException"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_enable_and_cancel_do_not_fire if {
	rec := object.union(schedule, {"eventName": "CancelKeyDeletion"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
