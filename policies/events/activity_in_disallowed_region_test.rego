package trailguard.events.activity_in_disallowed_region_test

import rego.v1

import data.trailguard.events.activity_in_disallowed_region as rule

params := {"allowed_regions": ["eu-west-1", "eu-central-1"], "successful_only": false}

run := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "RunInstances",
	"eventType": "AwsApiCall",
	"awsRegion": "ap-southeast-3",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"instanceType": "g5.12xlarge", "instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890"}]}},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_write_in_other_region_fires if {
	findings := rule.deny with input as run with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' called ec2:RunInstances in disallowed region ap-southeast-3 from 198.51.100.9",
		"evidence": {"awsRegion": "ap-southeast-3", "eventSource": "ec2.amazonaws.com", "eventName": "RunInstances"},
	}}
}

test_allowed_region_does_not_fire if {
	rec := object.union(run, {"awsRegion": "eu-central-1"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_empty_parameter_allows_everything if {
	count(rule.deny) == 0 with input as run with data.trailguard.params as {"allowed_regions": [], "successful_only": false}
}

test_reads_sign_ins_and_service_events_do_not_fire if {
	read := object.union(run, {"eventName": "DescribeInstances", "readOnly": true})
	count(rule.deny) == 0 with input as read with data.trailguard.params as params
	login := object.union(run, {"eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "eventType": "AwsConsoleSignIn"})
	count(rule.deny) == 0 with input as login with data.trailguard.params as params
	service := object.union(run, {"eventType": "AwsServiceEvent"})
	count(rule.deny) == 0 with input as service with data.trailguard.params as params
}

test_global_services_in_their_home_region_do_not_fire if {
	iam := object.union(run, {"eventSource": "iam.amazonaws.com", "eventName": "CreateRole", "awsRegion": "us-east-1"})
	count(rule.deny) == 0 with input as iam with data.trailguard.params as params
	ec2_us_east := object.union(run, {"awsRegion": "us-east-1"})
	count(rule.deny) == 1 with input as ec2_us_east with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(run, {"errorCode": "Client.UnauthorizedOperation"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"allowed_regions": ["eu-west-1"], "successful_only": true}
}
