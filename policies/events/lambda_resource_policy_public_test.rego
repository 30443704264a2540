package trailguard.events.lambda_resource_policy_public_test

import rego.v1

import data.trailguard.events.lambda_resource_policy_public as rule

params := {"trusted_accounts": [], "successful_only": false}

# Stratus aws.persistence.lambda-backdoor-function (trimmed).
backdoor := {
	"eventVersion": "1.08",
	"eventSource": "lambda.amazonaws.com",
	"eventName": "AddPermission20150331v2",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.110",
	"recipientAccountId": "880896431042",
	"requestParameters": {"action": "lambda:InvokeFunction", "functionName": "backdoor-func", "principal": "*", "statementId": "backdoor"},
	"responseElements": {"statement": "{\"Sid\":\"backdoor\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"lambda:InvokeFunction\"}"},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::880896431042:user/christophe", "accountId": "880896431042"},
}

with_request(req) := object.union(object.remove(backdoor, ["requestParameters"]), {"requestParameters": req})

test_public_invoke_permission_fires if {
	findings := rule.deny with input as backdoor with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' allowed everyone to lambda:InvokeFunction on backdoor-func from 203.0.113.110",
		"resource": "backdoor-func",
		"evidence": {"eventName": "AddPermission20150331v2", "action": "lambda:InvokeFunction", "functionName": "backdoor-func", "principal": "*", "statementId": "backdoor"},
	}}
}

test_untrusted_account_fires_trusted_does_not if {
	rec := with_request({"action": "lambda:InvokeFunction", "functionName": "backdoor-func", "principal": "arn:aws:iam::444455556666:root", "statementId": "x"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' allowed account 444455556666 to lambda:InvokeFunction on backdoor-func from 203.0.113.110"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trusted_accounts": ["444455556666"], "successful_only": false}
}

test_service_principal_and_org_scoped_grants_do_not_fire if {
	s3 := with_request({"action": "lambda:InvokeFunction", "functionName": "thumbnailer", "principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::uploads", "statementId": "s3"})
	count(rule.deny) == 0 with input as s3 with data.trailguard.params as params
	org := with_request({"action": "lambda:InvokeFunction", "functionName": "shared", "principal": "*", "principalOrgID": "o-a1b2c3d4e5", "statementId": "org"})
	count(rule.deny) == 0 with input as org with data.trailguard.params as params
}

test_public_layer_fires if {
	rec := object.union(with_request({"layerName": "common-utils", "versionNumber": 3, "principal": "*", "action": "lambda:GetLayerVersion", "statementId": "public"}), {"eventName": "AddLayerVersionPermission20181031"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' allowed everyone to lambda:GetLayerVersion on common-utils from 203.0.113.110"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(backdoor, {"errorCode": "ResourceConflictException", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trusted_accounts": [], "successful_only": true}
}
