package trailguard.events.admin_permissions_granted_test

import rego.v1

import data.trailguard.events.admin_permissions_granted as rule

params := {"break_glass_principals": [], "successful_only": false}

# Stratus aws.persistence.iam-create-backdoor-role (trimmed).
attach := {
	"eventVersion": "1.08",
	"eventSource": "iam.amazonaws.com",
	"eventName": "AttachRolePolicy",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.61",
	"recipientAccountId": "609418236337",
	"requestParameters": {"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess", "roleName": "malicious-iam-role"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::609418236337:user/christophe", "accountId": "609418236337"},
}

inline_with(doc) := object.union(object.remove(attach, ["requestParameters", "eventName"]), {
	"eventName": "PutUserPolicy",
	"requestParameters": {"userName": "ci-bot", "policyName": "everything", "policyDocument": doc},
})

admin_json := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

admin_urlencoded := "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22*%22%5D%2C%22Resource%22%3A%22*%22%7D%5D%7D"

sso_attach := {
	"eventVersion": "1.08",
	"eventSource": "sso.amazonaws.com",
	"eventName": "AttachManagedPolicyToPermissionSet",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.61",
	"recipientAccountId": "609418236337",
	"requestParameters": {
		"instanceArn": "arn:aws:sso:::instance/ssoins-0123456789abcdef",
		"permissionSetArn": "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef",
		"managedPolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
	},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::609418236337:user/christophe", "accountId": "609418236337"},
}

test_attach_administrator_access_fires if {
	findings := rule.deny with input as attach with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' granted administrator access to role 'malicious-iam-role' with AttachRolePolicy from 203.0.113.61",
		"resource": "malicious-iam-role",
		"evidence": {"eventName": "AttachRolePolicy", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess", "roleName": "malicious-iam-role"},
	}}
}

test_inline_admin_policy_json_and_urlencoded_fire if {
	count(rule.deny) == 1 with input as inline_with(admin_json) with data.trailguard.params as params
	findings := rule.deny with input as inline_with(admin_urlencoded) with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' granted administrator access to user 'ci-bot' with PutUserPolicy from 203.0.113.61"
}

test_scoped_inline_policy_does_not_fire if {
	scoped := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::ci-cache/*"}]}`
	count(rule.deny) == 0 with input as inline_with(scoped) with data.trailguard.params as params
	deny_all := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`
	count(rule.deny) == 0 with input as inline_with(deny_all) with data.trailguard.params as params
}

test_unparseable_document_does_not_fire if {
	count(rule.deny) == 0 with input as inline_with("{not json") with data.trailguard.params as params
}

test_default_policy_version_fires_only_when_default if {
	version := object.union(object.remove(attach, ["requestParameters"]), {
		"eventName": "CreatePolicyVersion",
		"requestParameters": {"policyArn": "arn:aws:iam::609418236337:policy/ci", "policyDocument": admin_json, "setAsDefault": true},
	})
	findings := rule.deny with input as version with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' granted administrator access to every identity using policy 'arn:aws:iam::609418236337:policy/ci' with CreatePolicyVersion from 203.0.113.61"
	not_default := object.union(version, {"requestParameters": {"setAsDefault": false}})
	count(rule.deny) == 0 with input as not_default with data.trailguard.params as params
}

test_identity_center_permission_set_fires if {
	findings := rule.deny with input as sso_attach with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' granted administrator access to permission set 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef' with AttachManagedPolicyToPermissionSet from 203.0.113.61"
}

test_other_managed_policies_do_not_fire if {
	rec := object.union(attach, {"requestParameters": {"policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_break_glass_caller_is_not_reported if {
	bg := {"break_glass_principals": ["arn:aws:iam::609418236337:user/christophe"], "successful_only": false}
	count(rule.deny) == 0 with input as attach with data.trailguard.params as bg
	role_session := object.union(object.remove(attach, ["userIdentity"]), {"userIdentity": {
		"type": "AssumedRole",
		"arn": "arn:aws:sts::609418236337:assumed-role/BreakGlass/jane",
		"principalId": "AROAEXAMPLE:jane",
		"sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::609418236337:role/BreakGlass", "userName": "BreakGlass"}},
	}})
	count(rule.deny) == 0 with input as role_session with data.trailguard.params as {"break_glass_principals": ["arn:aws:iam::609418236337:role/BreakGlass"], "successful_only": false}
	count(rule.deny) == 1 with input as role_session with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(attach, {"errorCode": "AccessDenied"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"break_glass_principals": [], "successful_only": true}
}
