package trailguard.events.federation_token_issued_test

import rego.v1

import data.trailguard.events.federation_token_issued as rule

params := {"successful_only": false}

# Stratus aws.persistence.sts-federation-token (trimmed).
token := {
	"eventVersion": "1.08",
	"eventSource": "sts.amazonaws.com",
	"eventName": "GetFederationToken",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.130",
	"recipientAccountId": "742491224508",
	"requestParameters": {"name": "stratus_red_team", "policy": "{\n\t\t\"Version\": \"2012-10-17\",\n\t\t\"Statement\": [\n\t\t\t{\n\t\t\t\t\"Effect\": \"Allow\",\n\t\t\t\t\"Action\": \"*\",\n\t\t\t\t\"Resource\": \"*\"\n\t\t\t}\n\t\t]\n\t}"},
	"responseElements": {"credentials": {"accessKeyId": "ASIASTJKC5GCM7ZE6LUP"}},
	"userIdentity": {"type": "IAMUser", "userName": "federation-user", "arn": "arn:aws:iam::742491224508:user/federation-user", "accountId": "742491224508"},
}

test_federation_token_fires if {
	findings := rule.deny with input as token with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'federation-user' obtained a federation token for session 'stratus_red_team' with an allow-everything session policy from 203.0.113.130",
		"evidence": {"name": "stratus_red_team"},
	}}
}

test_scoped_token_fires_without_note if {
	rec := object.union(object.remove(token, ["requestParameters"]), {"requestParameters": {"name": "broker", "durationSeconds": 3600, "policyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'federation-user' obtained a federation token for session 'broker' from 203.0.113.130"
	f.evidence.durationSeconds == 3600
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(token, {"errorCode": "AccessDenied", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_session_token_does_not_fire if {
	count(rule.deny) == 0 with input as object.union(token, {"eventName": "GetSessionToken"}) with data.trailguard.params as params
}
