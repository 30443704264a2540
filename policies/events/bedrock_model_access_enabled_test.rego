package trailguard.events.bedrock_model_access_enabled_test

import rego.v1

import data.trailguard.events.bedrock_model_access_enabled as rule

params := {"successful_only": false}

# Stratus aws.impact.bedrock-invoke-model (trimmed).
entitlement := {
	"eventVersion": "1.09",
	"eventSource": "bedrock.amazonaws.com",
	"eventName": "PutFoundationModelEntitlement",
	"eventType": "AwsApiCall",
	"awsRegion": "us-east-1",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.232",
	"recipientAccountId": "494659789341",
	"requestParameters": {"modelId": "anthropic.claude-3-sonnet-20240229-v1:0"},
	"responseElements": {"status": "SUCCESS"},
	"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROA2N7TQQRGKJYPCLOG0:cli",
		"arn": "arn:aws:sts::494659789341:assumed-role/test-role/cli",
		"accountId": "494659789341",
		"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "test-role", "arn": "arn:aws:iam::494659789341:role/test-role"}},
	},
}

test_entitlement_fires if {
	findings := rule.deny with input as entitlement with data.trailguard.params as params
	findings == {{
		"msg": "role 'test-role' (session 'cli') called bedrock:PutFoundationModelEntitlement for model anthropic.claude-3-sonnet-20240229-v1:0 from 203.0.113.232",
		"evidence": {"eventName": "PutFoundationModelEntitlement", "modelId": "anthropic.claude-3-sonnet-20240229-v1:0", "awsRegion": "us-east-1"},
	}}
}

test_use_case_form_without_model_fires if {
	rec := object.union(object.remove(entitlement, ["requestParameters"]), {"eventName": "PutUseCaseForModelAccess", "requestParameters": null, "responseElements": null})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "role 'test-role' (session 'cli') called bedrock:PutUseCaseForModelAccess from 203.0.113.232"
}

test_invocations_and_reads_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(entitlement, {"eventName": "InvokeModel", "readOnly": true}) with data.trailguard.params as params
	count(rule.deny) == 0 with input as object.union(entitlement, {"eventName": "GetFoundationModelAvailability", "readOnly": true}) with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(entitlement, {"errorCode": "AccessDeniedException"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}
