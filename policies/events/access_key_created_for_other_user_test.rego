package trailguard.events.access_key_created_for_other_user_test

import rego.v1

import data.trailguard.events.access_key_created_for_other_user as rule

params := {"successful_only": false}

# Stratus aws.persistence.iam-backdoor-user (trimmed).
create_key := {
	"eventVersion": "1.08",
	"eventSource": "iam.amazonaws.com",
	"eventName": "CreateAccessKey",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.12",
	"recipientAccountId": "946986569305",
	"requestParameters": {"userName": "backdoor-user"},
	"responseElements": {"accessKey": {"accessKeyId": "AKIAL80DWDVKKM0UXEER", "status": "Active", "userName": "backdoor-user"}},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::946986569305:user/christophe", "accountId": "946986569305"},
}

test_key_for_other_user_fires if {
	findings := rule.deny with input as create_key with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' created an access key for IAM user 'backdoor-user' from 203.0.113.12",
		"resource": "backdoor-user",
		"evidence": {"userName": "backdoor-user", "accessKeyId": "AKIAL80DWDVKKM0UXEER"},
	}}
}

test_role_session_creating_a_key_fires if {
	rec := object.union(object.remove(create_key, ["userIdentity"]), {"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAEXAMPLE:i-0123456789abcdef0",
		"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "web-server"}},
	}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "role 'web-server' (session 'i-0123456789abcdef0') created an access key for IAM user 'backdoor-user' from 203.0.113.12"
}

test_own_key_does_not_fire if {
	rec := object.union(create_key, {"requestParameters": {"userName": "christophe"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
	no_name := object.union(object.remove(create_key, ["requestParameters"]), {"requestParameters": null})
	count(rule.deny) == 0 with input as no_name with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(create_key, {"errorCode": "LimitExceeded", "responseElements": null})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence == {"userName": "backdoor-user", "accessKeyId": null}
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}
