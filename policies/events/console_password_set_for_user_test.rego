package trailguard.events.console_password_set_for_user_test

import rego.v1

import data.trailguard.events.console_password_set_for_user as rule

params := {"successful_only": false}

# Stratus aws.persistence.iam-create-user-login-profile (trimmed).
create_profile := {
	"eventVersion": "1.08",
	"eventSource": "iam.amazonaws.com",
	"eventName": "CreateLoginProfile",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.55",
	"recipientAccountId": "070411556318",
	"requestParameters": {"passwordResetRequired": false, "userName": "login-profile-user"},
	"responseElements": {"loginProfile": {"passwordResetRequired": false, "userName": "login-profile-user"}},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::070411556318:user/christophe", "accountId": "070411556318"},
}

# Stratus aws.privilege-escalation.iam-update-user-login-profile (trimmed).
update_profile := object.union(object.remove(create_profile, ["requestParameters"]), {
	"eventName": "UpdateLoginProfile",
	"requestParameters": {"userName": "update-login-profile-user"},
	"responseElements": null,
})

test_create_login_profile_fires if {
	findings := rule.deny with input as create_profile with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' created a console password for IAM user 'login-profile-user' from 203.0.113.55",
		"resource": "login-profile-user",
		"evidence": {"eventName": "CreateLoginProfile", "userName": "login-profile-user", "passwordResetRequired": false},
	}}
}

test_update_login_profile_fires if {
	findings := rule.deny with input as update_profile with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' reset the console password of IAM user 'update-login-profile-user' from 203.0.113.55"
}

test_own_profile_does_not_fire if {
	rec := object.union(update_profile, {"requestParameters": {"userName": "christophe"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(create_profile, {"errorCode": "EntityAlreadyExists", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_delete_login_profile_does_not_fire if {
	rec := object.union(create_profile, {"eventName": "DeleteLoginProfile"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
