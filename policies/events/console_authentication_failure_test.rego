package trailguard.events.console_authentication_failure_test

import rego.v1

import data.trailguard.events.console_authentication_failure as rule

params := {"successful_only": false}

failure := {
	"eventVersion": "1.08",
	"eventSource": "signin.amazonaws.com",
	"eventName": "ConsoleLogin",
	"eventType": "AwsConsoleSignIn",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.77",
	"userAgent": "Mozilla/5.0",
	"recipientAccountId": "111122223333",
	"errorMessage": "Failed authentication",
	"responseElements": {"ConsoleLogin": "Failure"},
	"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MFAUsed": "No", "MobileVersion": "No"},
	"userIdentity": {"type": "IAMUser", "principalId": "AIDAQRSTUVWXYZ2345678", "accountId": "111122223333", "userName": "alice"},
}

test_failed_authentication_fires if {
	findings := rule.deny with input as failure with data.trailguard.params as params
	findings == {{
		"msg": "console sign-in failed for IAM user 'alice' from 198.51.100.77 (Failed authentication)",
		"evidence": {"errorMessage": "Failed authentication", "MFAUsed": "No", "userAgent": "Mozilla/5.0"},
	}}
}

test_unknown_user_failure_fires if {
	rec := object.union(failure, {
		"errorMessage": "No username found in supplied account",
		"userIdentity": {"userName": "HIDDEN_DUE_TO_SECURITY_REASONS"},
	})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "console sign-in failed for IAM user 'HIDDEN_DUE_TO_SECURITY_REASONS' from 198.51.100.77 (No username found in supplied account)"
}

test_success_does_not_fire if {
	rec := object.union(object.remove(failure, ["errorMessage"]), {"responseElements": {"ConsoleLogin": "Success"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
