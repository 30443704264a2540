package trailguard.events.instance_from_unapproved_ami_test

import rego.v1

import data.trailguard.events.instance_from_unapproved_ami as rule

params := {"approved_amis": ["ami-0c02fb55956c7d316"], "successful_only": false}

run := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "RunInstances",
	"eventType": "AwsApiCall",
	"awsRegion": "eu-west-1",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {
		"instanceType": "p2.xlarge",
		"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 10}]},
		"subnetId": "subnet-0e540f0c7ffb48ae9",
	},
	"responseElements": {"instancesSet": {"items": [{"instanceId": "i-0123456789abcdef0"}]}},
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_unapproved_ami_fires if {
	findings := rule.deny with input as run with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' launched p2.xlarge instances from unapproved AMI ami-0abcdef1234567890 from 198.51.100.9",
		"resource": "ami-0abcdef1234567890",
		"evidence": {"imageIds": ["ami-0abcdef1234567890"], "instanceType": "p2.xlarge", "awsRegion": "eu-west-1"},
	}}
}

test_approved_ami_does_not_fire if {
	rec := object.union(object.remove(run, ["requestParameters"]), {"requestParameters": {"instanceType": "t3.micro", "instancesSet": {"items": [{"imageId": "ami-0c02fb55956c7d316"}]}}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_empty_list_means_every_ami_is_approved if {
	count(rule.deny) == 0 with input as run with data.trailguard.params as {"approved_amis": [], "successful_only": false}
}

test_launch_template_without_image_is_not_reported if {
	rec := object.union(object.remove(run, ["requestParameters"]), {"requestParameters": {"instancesSet": {"items": [{"minCount": 1, "maxCount": 1}]}, "launchTemplate": {"launchTemplateId": "lt-0123456789abcdef0"}}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(run, {"errorCode": "Client.UnauthorizedOperation", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"approved_amis": ["ami-0c02fb55956c7d316"], "successful_only": true}
}
