package trailguard.events.config_service_changed_test

import rego.v1

import data.trailguard.events.config_service_changed as rule

params := {"successful_only": false}

stop := {
	"eventVersion": "1.08",
	"eventSource": "config.amazonaws.com",
	"eventName": "StopConfigurationRecorder",
	"eventType": "AwsApiCall",
	"awsRegion": "eu-west-1",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"configurationRecorderName": "default"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_stop_recorder_fires if {
	findings := rule.deny with input as stop with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' called config:StopConfigurationRecorder on 'default' in eu-west-1 from 198.51.100.9",
		"resource": "default",
		"evidence": {"eventName": "StopConfigurationRecorder", "name": "default", "awsRegion": "eu-west-1"},
	}}
}

test_put_delivery_channel_names_the_channel if {
	rec := object.union(object.remove(stop, ["requestParameters"]), {"eventName": "PutDeliveryChannel", "requestParameters": {"deliveryChannel": {"name": "default", "s3BucketName": "config-bucket"}}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.resource == "default"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(stop, {"errorCode": "NoSuchConfigurationRecorderException"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_start_recorder_does_not_fire if {
	rec := object.union(stop, {"eventName": "StartConfigurationRecorder"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
