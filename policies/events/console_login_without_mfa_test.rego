package trailguard.events.console_login_without_mfa_test

import rego.v1

import data.trailguard.events.console_login_without_mfa as rule

params := {"successful_only": false}

# Stratus aws.initial-access.console-login-without-mfa (trimmed).
login := {
	"eventVersion": "1.08",
	"eventSource": "signin.amazonaws.com",
	"eventName": "ConsoleLogin",
	"eventType": "AwsConsoleSignIn",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.16",
	"userAgent": "Mozilla/5.0",
	"recipientAccountId": "562283505220",
	"requestParameters": null,
	"responseElements": {"ConsoleLogin": "Success"},
	"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MFAUsed": "No", "MobileVersion": "No"},
	"userIdentity": {
		"type": "IAMUser",
		"principalId": "AIDA1ERT0661IN5R239V",
		"arn": "arn:aws:iam::562283505220:user/mallory",
		"accountId": "562283505220",
		"userName": "mallory",
	},
}

root_login := object.union(login, {"userIdentity": {
	"type": "Root",
	"principalId": "562283505220",
	"arn": "arn:aws:iam::562283505220:root",
	"accountId": "562283505220",
}})

# IAM Identity Center sign-in federated into the account: a role session with SamlProviderArn.
sso_login := object.union(login, {
	"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No", "SamlProviderArn": "arn:aws:iam::562283505220:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"},
	"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAEXAMPLE:bob@example.com",
		"arn": "arn:aws:sts::562283505220:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/bob@example.com",
		"accountId": "562283505220",
		"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSReservedSSO_ReadOnly_0123456789abcdef"}},
	},
})

test_iam_user_without_mfa_fires if {
	findings := rule.deny with input as login with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'mallory' signed in to the console without MFA from 203.0.113.16",
		"resource": "arn:aws:iam::562283505220:user/mallory",
		"evidence": {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/console/home", "userAgent": "Mozilla/5.0"},
	}}
}

test_root_without_mfa_fires if {
	findings := rule.deny with input as root_login with data.trailguard.params as params
	some f in findings
	f.msg == "root user of account 562283505220 signed in to the console without MFA from 203.0.113.16"
}

test_missing_mfa_field_counts_as_no_mfa if {
	rec := json.remove(login, ["additionalEventData/MFAUsed"])
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.MFAUsed == "(not recorded)"
}

test_mfa_sign_in_does_not_fire if {
	rec := object.union(login, {"additionalEventData": {"MFAUsed": "Yes"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_sso_sign_in_does_not_fire if {
	count(rule.deny) == 0 with input as sso_login with data.trailguard.params as params
}

test_failed_sign_in_does_not_fire if {
	rec := object.union(login, {"responseElements": {"ConsoleLogin": "Failure"}, "errorMessage": "Failed authentication"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
