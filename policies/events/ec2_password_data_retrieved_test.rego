package trailguard.events.ec2_password_data_retrieved_test

import rego.v1

import data.trailguard.events.ec2_password_data_retrieved as rule

params := {"successful_only": false}

get_password := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "GetPasswordData",
	"eventType": "AwsApiCall",
	"readOnly": true,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"instanceId": "i-0a1b2c3d4e5f60718"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_get_password_data_fires if {
	findings := rule.deny with input as get_password with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' requested the Windows password data of instance i-0a1b2c3d4e5f60718 from 198.51.100.9",
		"resource": "i-0a1b2c3d4e5f60718",
		"evidence": {"instanceId": "i-0a1b2c3d4e5f60718", "errorCode": null},
	}}
}

# Stratus aws.credential-access.ec2-get-password-data: thirty denied attempts by a role.
test_denied_attempts_count_unless_successful_only if {
	rec := object.union(get_password, {"errorCode": "Client.UnauthorizedOperation"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' requested the Windows password data of instance i-0a1b2c3d4e5f60718 (failed: Client.UnauthorizedOperation) from 198.51.100.9"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_service_invoked_call_is_ignored if {
	rec := object.union(get_password, {"userIdentity": {"invokedBy": "ssm.amazonaws.com"}, "sourceIPAddress": "ssm.amazonaws.com"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
