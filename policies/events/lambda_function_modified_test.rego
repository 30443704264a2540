package trailguard.events.lambda_function_modified_test

import rego.v1

import data.trailguard.events.lambda_function_modified as rule

params := {"successful_only": false}

# Stratus aws.persistence.lambda-layer-extension (trimmed).
layer := {
	"eventVersion": "1.08",
	"eventSource": "lambda.amazonaws.com",
	"eventName": "UpdateFunctionConfiguration20150331v2",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.100",
	"recipientAccountId": "712967571683",
	"requestParameters": {
		"environment": {},
		"functionName": "arn:aws:lambda:us-east-1:712967571683:function:simpleLambda",
		"layers": ["arn:aws:lambda:us-east-1:712967571683:layer:my-lambda-extension:1"],
	},
	"responseElements": {"functionName": "simpleLambda"},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::712967571683:user/christophe", "accountId": "712967571683"},
}

# Stratus aws.persistence.lambda-overwrite-code (trimmed).
code := object.union(object.remove(layer, ["requestParameters"]), {
	"eventName": "UpdateFunctionCode20150331v2",
	"requestParameters": {"dryRun": false, "functionName": "arn:aws:lambda:us-east-1:712967571683:function:olc-func", "publish": true},
})

test_layer_added_fires if {
	findings := rule.deny with input as layer with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' updated the configuration of Lambda function arn:aws:lambda:us-east-1:712967571683:function:simpleLambda (request sets environment, layers) from 203.0.113.100",
		"resource": "arn:aws:lambda:us-east-1:712967571683:function:simpleLambda",
		"evidence": {
			"eventName": "UpdateFunctionConfiguration20150331v2",
			"functionName": "arn:aws:lambda:us-east-1:712967571683:function:simpleLambda",
			"layers": ["arn:aws:lambda:us-east-1:712967571683:layer:my-lambda-extension:1"],
		},
	}}
}

test_code_overwrite_fires if {
	findings := rule.deny with input as code with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' updated the code of Lambda function arn:aws:lambda:us-east-1:712967571683:function:olc-func (request sets publish) from 203.0.113.100"
}

test_every_versioned_name_fires if {
	every name in ["UpdateFunctionCode", "UpdateFunctionCode20150331", "UpdateFunctionConfiguration", "UpdateFunctionConfiguration20150331"] {
		count(rule.deny) == 1 with input as object.union(layer, {"eventName": name}) with data.trailguard.params as params
	}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(code, {"errorCode": "ResourceConflictException", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_other_lambda_calls_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(layer, {"eventName": "UpdateFunctionUrlConfig20211031"}) with data.trailguard.params as params
	count(rule.deny) == 0 with input as object.union(layer, {"eventName": "GetFunction20150331v2", "readOnly": true}) with data.trailguard.params as params
}

# The METADATA `condition`: `violation` holds exactly when `deny` has its one entry.
test_violation_holds_exactly_when_deny_has_one_entry if {
	records := [
		layer,
		code,
		object.union(layer, {"eventName": "UpdateFunctionUrlConfig20211031"}),
		object.union(layer, {"eventSource": "s3.amazonaws.com"}),
		object.union(layer, {"requestParameters": "not an object"}),
		object.union(layer, {"requestParameters": {"functionName": 7, "layers": null}}),
		object.remove(layer, ["requestParameters", "userIdentity", "sourceIPAddress"]),
	]
	fired := [i | some i, rec in records; rule.violation with input as rec with data.trailguard.params as params]
	fired == [0, 1, 4, 5, 6]
	every rec in records {
		agrees with input as rec with data.trailguard.params as params
	}
	every rec in records {
		agrees with input as object.union(rec, {"errorCode": "AccessDenied"}) with data.trailguard.params as {"successful_only": true}
	}
}

agrees if {
	rule.violation
	count(rule.deny) == 1
}

agrees if {
	not rule.violation
	count(rule.deny) == 0
}
