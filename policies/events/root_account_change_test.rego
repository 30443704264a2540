package trailguard.events.root_account_change_test

import rego.v1

import data.trailguard.events.root_account_activity as activity
import data.trailguard.events.root_account_change as rule

params := {"successful_only": false}

create_key := {
	"eventVersion": "1.09",
	"eventSource": "iam.amazonaws.com",
	"eventName": "CreateAccessKey",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.23",
	"recipientAccountId": "111122223333",
	"requestParameters": null,
	"responseElements": {"accessKey": {"accessKeyId": "AKIAQRSTUVWXYZROOTK1", "status": "Active"}},
	"userIdentity": {
		"type": "Root",
		"principalId": "111122223333",
		"arn": "arn:aws:iam::111122223333:root",
		"accountId": "111122223333",
		"accessKeyId": "ASIAQRSTUVWXYZROOT01",
	},
}

root_login := {
	"eventVersion": "1.08",
	"eventSource": "signin.amazonaws.com",
	"eventName": "ConsoleLogin",
	"eventType": "AwsConsoleSignIn",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.23",
	"recipientAccountId": "111122223333",
	"responseElements": {"ConsoleLogin": "Success"},
	"additionalEventData": {"MFAUsed": "Yes"},
	"userIdentity": {"type": "Root", "principalId": "111122223333", "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333"},
}

test_root_creates_access_key if {
	findings := rule.deny with input as create_key with data.trailguard.params as params
	findings == {{
		"msg": "root user of account 111122223333 called iam:CreateAccessKey from 198.51.100.23",
		"resource": "arn:aws:iam::111122223333:root",
		"evidence": {"eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey", "readOnly": false, "requestParameters": null},
	}}
}

test_root_console_sign_in_fires if {
	findings := rule.deny with input as root_login with data.trailguard.params as params
	some f in findings
	f.msg == "root user of account 111122223333 called signin:ConsoleLogin from 198.51.100.23"
}

test_sensitive_read_fires if {
	rec := object.union(create_key, {"eventSource": "ssm.amazonaws.com", "eventName": "GetParameters", "readOnly": true})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
}

test_plain_read_does_not_fire if {
	rec := object.union(create_key, {"eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances", "readOnly": true})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_failed_attempt_does_not_fire_but_tge003_does if {
	rec := object.union(create_key, {"errorCode": "LimitExceeded", "responseElements": null})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
	count(activity.deny) == 1 with input as rec with data.trailguard.params as params
}

test_service_invoked_is_ignored if {
	rec := object.union(create_key, {"userIdentity": {"invokedBy": "cloudformation.amazonaws.com"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

# break_glass_principals never exempts root.
test_break_glass_does_not_apply_to_root if {
	count(rule.deny) == 1 with input as create_key with data.trailguard.params as {"successful_only": false, "break_glass_principals": ["arn:aws:iam::111122223333:root"]}
}
