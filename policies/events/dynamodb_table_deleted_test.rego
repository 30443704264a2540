package trailguard.events.dynamodb_table_deleted_test

import rego.v1

import data.trailguard.events.dynamodb_table_deleted as rule

params := {"successful_only": false}

delete := {
	"eventVersion": "1.08",
	"eventSource": "dynamodb.amazonaws.com",
	"eventName": "DeleteTable",
	"eventType": "AwsApiCall",
	"awsRegion": "eu-west-1",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"tableName": "orders"},
	"responseElements": {"tableDescription": {"tableName": "orders", "tableStatus": "DELETING"}},
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_delete_table_fires if {
	findings := rule.deny with input as delete with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' deleted DynamoDB table 'orders' from 198.51.100.9",
		"resource": "orders",
		"evidence": {"tableName": "orders", "awsRegion": "eu-west-1", "errorCode": null},
	}}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(delete, {"errorCode": "ResourceInUseException", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_other_sources_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(delete, {"eventSource": "glue.amazonaws.com"}) with data.trailguard.params as params
}
