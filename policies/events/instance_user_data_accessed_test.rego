package trailguard.events.instance_user_data_accessed_test

import rego.v1

import data.trailguard.events.instance_user_data_accessed as rule

params := {"successful_only": false}

# Stratus aws.execution.ec2-user-data (trimmed).
modify := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "ModifyInstanceAttribute",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.170",
	"recipientAccountId": "309303190113",
	"requestParameters": {"instanceId": "i-0ddd6c7b0e18f0e35", "userData": "<sensitiveDataRemoved>"},
	"responseElements": {"_return": true},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::309303190113:user/christophe", "accountId": "309303190113"},
}

# Stratus aws.discovery.ec2-download-user-data (trimmed): a denied read by a role session.
read_denied := object.union(object.remove(modify, ["requestParameters", "responseElements"]), {
	"eventName": "DescribeInstanceAttribute",
	"readOnly": true,
	"errorCode": "Client.UnauthorizedOperation",
	"requestParameters": {"attribute": "userData", "instanceId": "i-95b86090"},
})

test_user_data_replaced_fires if {
	findings := rule.deny with input as modify with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' replaced the user data of instance i-0ddd6c7b0e18f0e35 from 203.0.113.170",
		"resource": "i-0ddd6c7b0e18f0e35",
		"evidence": {"eventName": "ModifyInstanceAttribute", "instanceId": "i-0ddd6c7b0e18f0e35", "errorCode": null},
	}}
}

test_denied_read_counts_unless_successful_only if {
	findings := rule.deny with input as read_denied with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' read the user data of instance i-95b86090 (failed: Client.UnauthorizedOperation) from 203.0.113.170"
	count(rule.deny) == 0 with input as read_denied with data.trailguard.params as {"successful_only": true}
}

test_other_attributes_do_not_fire if {
	rec := object.union(object.remove(modify, ["requestParameters"]), {"requestParameters": {"instanceId": "i-0ddd6c7b0e18f0e35", "instanceType": {"value": "t3.large"}}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
	read_type := object.union(read_denied, {"requestParameters": {"attribute": "instanceType"}})
	count(rule.deny) == 0 with input as read_type with data.trailguard.params as params
}

test_service_invoked_read_is_ignored if {
	rec := object.union(object.remove(read_denied, ["errorCode"]), {"userIdentity": {"invokedBy": "ssm.amazonaws.com"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
