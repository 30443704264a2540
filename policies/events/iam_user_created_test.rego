package trailguard.events.iam_user_created_test

import rego.v1

import data.trailguard.events.iam_user_created as rule

params := {"successful_only": false}

# Stratus aws.persistence.iam-create-admin-user (trimmed).
create_user := {
	"eventVersion": "1.08",
	"eventSource": "iam.amazonaws.com",
	"eventName": "CreateUser",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.40",
	"recipientAccountId": "229654561268",
	"requestParameters": {"tags": [{"key": "StratusRedTeam", "value": "true"}], "userName": "malicious-iam-user"},
	"responseElements": {"user": {"arn": "arn:aws:iam::229654561268:user/malicious-iam-user", "path": "/", "userName": "malicious-iam-user"}},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::229654561268:user/christophe", "accountId": "229654561268"},
}

test_create_user_fires if {
	findings := rule.deny with input as create_user with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' created IAM user 'malicious-iam-user' from 203.0.113.40",
		"resource": "arn:aws:iam::229654561268:user/malicious-iam-user",
		"evidence": {"userName": "malicious-iam-user", "tags": [{"key": "StratusRedTeam", "value": "true"}]},
	}}
}

test_created_through_cloudformation_still_fires if {
	rec := object.union(create_user, {
		"sourceIPAddress": "cloudformation.amazonaws.com",
		"userIdentity": {"invokedBy": "cloudformation.amazonaws.com"},
	})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' created IAM user 'malicious-iam-user' via cloudformation.amazonaws.com"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(create_user, {"errorCode": "EntityAlreadyExists", "responseElements": null})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.resource == "malicious-iam-user"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_create_role_does_not_fire if {
	rec := object.union(create_user, {"eventName": "CreateRole"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
