package trailguard.events.root_account_activity_test

import rego.v1

import data.trailguard.events.root_account_activity as rule
import data.trailguard.events.root_account_change as change

params := {"successful_only": false}

root := {
	"type": "Root",
	"principalId": "111122223333",
	"arn": "arn:aws:iam::111122223333:root",
	"accountId": "111122223333",
	"accessKeyId": "ASIAQRSTUVWXYZROOT01",
}

describe_regions := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "DescribeRegions",
	"eventType": "AwsApiCall",
	"readOnly": true,
	"sourceIPAddress": "198.51.100.23",
	"recipientAccountId": "111122223333",
	"requestParameters": {"regionSet": {}},
	"responseElements": null,
	"userIdentity": root,
}

failed_console_login := {
	"eventVersion": "1.08",
	"eventSource": "signin.amazonaws.com",
	"eventName": "ConsoleLogin",
	"eventType": "AwsConsoleSignIn",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.23",
	"recipientAccountId": "111122223333",
	"errorMessage": "Failed authentication",
	"responseElements": {"ConsoleLogin": "Failure"},
	"additionalEventData": {"MFAUsed": "No"},
	"userIdentity": {"type": "Root", "principalId": "111122223333", "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333"},
}

failed_with_code := object.union(failed_console_login, {"errorCode": "Failed authentication"})

create_key := object.union(describe_regions, {"eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey", "readOnly": false})

test_root_read_fires if {
	findings := rule.deny with input as describe_regions with data.trailguard.params as params
	findings == {{
		"msg": "root user of account 111122223333 called ec2:DescribeRegions from 198.51.100.23",
		"resource": "arn:aws:iam::111122223333:root",
		"evidence": {"eventSource": "ec2.amazonaws.com", "eventName": "DescribeRegions", "readOnly": true, "errorCode": null},
	}}
}

test_failed_root_attempt_fires_unless_successful_only if {
	findings := rule.deny with input as failed_with_code with data.trailguard.params as params
	some f in findings
	f.msg == "root user of account 111122223333 called signin:ConsoleLogin (failed: Failed authentication) from 198.51.100.23"
	count(rule.deny) == 0 with input as failed_with_code with data.trailguard.params as {"successful_only": true}
}

test_root_change_is_left_to_tge016 if {
	count(rule.deny) == 0 with input as create_key with data.trailguard.params as params
	count(change.deny) == 1 with input as create_key with data.trailguard.params as params
}

test_sensitive_root_read_is_left_to_tge016 if {
	rec := object.union(describe_regions, {"eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
	count(change.deny) == 1 with input as rec with data.trailguard.params as params
}

test_service_invoked_and_service_events_are_ignored if {
	invoked := object.union(describe_regions, {"userIdentity": {"invokedBy": "support.amazonaws.com"}})
	count(rule.deny) == 0 with input as invoked with data.trailguard.params as params
	service_event := object.union(describe_regions, {"eventType": "AwsServiceEvent"})
	count(rule.deny) == 0 with input as service_event with data.trailguard.params as params
}

test_other_identities_do_not_fire if {
	rec := object.union(describe_regions, {"userIdentity": {"type": "IAMUser", "userName": "alice"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
