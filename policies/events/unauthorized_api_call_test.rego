package trailguard.events.unauthorized_api_call_test

import rego.v1

import data.trailguard.events.unauthorized_api_call as rule

params := {"successful_only": false}

# Stratus aws.credential-access.ec2-get-password-data (trimmed): an EC2-style denial.
get_password_data_denied := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "GetPasswordData",
	"eventType": "AwsApiCall",
	"awsRegion": "us-east-1",
	"readOnly": true,
	"errorCode": "Client.UnauthorizedOperation",
	"errorMessage": "You are not authorized to perform this operation.",
	"sourceIPAddress": "200.249.253.51",
	"recipientAccountId": "457448411975",
	"requestParameters": {"instanceId": "i-0a1b2c3d4e5f60718"},
	"responseElements": null,
	"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAMLQ9F6KHQ07JKA0WY:aws-go-sdk-1722375070115152000",
		"arn": "arn:aws:sts::457448411975:assumed-role/ec2-get-password-data-role/aws-go-sdk-1722375070115152000",
		"accountId": "457448411975",
		"sessionContext": {"sessionIssuer": {
			"type": "Role",
			"arn": "arn:aws:iam::457448411975:role/ec2-get-password-data-role",
			"userName": "ec2-get-password-data-role",
		}},
	},
}

kms_denied := object.union(get_password_data_denied, {
	"eventSource": "kms.amazonaws.com",
	"eventName": "Decrypt",
	"errorCode": "AccessDeniedException",
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::457448411975:user/alice", "accountId": "457448411975"},
})

test_ec2_unauthorized_operation_fires if {
	findings := rule.deny with input as get_password_data_denied with data.trailguard.params as params
	findings == {{
		"msg": "role 'ec2-get-password-data-role' (session 'aws-go-sdk-1722375070115152000') was denied ec2:GetPasswordData (Client.UnauthorizedOperation) from 200.249.253.51",
		"evidence": {
			"eventSource": "ec2.amazonaws.com",
			"eventName": "GetPasswordData",
			"errorCode": "Client.UnauthorizedOperation",
			"errorMessage": "You are not authorized to perform this operation.",
		},
	}}
}

test_access_denied_exception_fires if {
	findings := rule.deny with input as kms_denied with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' was denied kms:Decrypt (AccessDeniedException) from 200.249.253.51"
}

test_log_delivery_is_excluded if {
	rec := object.union(kms_denied, {"sourceIPAddress": "delivery.logs.amazonaws.com", "errorCode": "AccessDenied"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_head_bucket_is_excluded if {
	rec := object.union(kms_denied, {"eventSource": "s3.amazonaws.com", "eventName": "HeadBucket", "errorCode": "AccessDenied"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_other_errors_do_not_fire if {
	rec := object.union(kms_denied, {"eventSource": "cloudtrail.amazonaws.com", "eventName": "DeleteTrail", "errorCode": "TrailNotFoundException"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_an_error_code_that_is_not_a_string_does_not_fire if {
	rec := object.union(kms_denied, {"errorCode": 403})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_a_message_that_is_not_text_is_left_out_of_the_evidence if {
	rec := object.union(kms_denied, {"errorMessage": {"code": 403}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.errorMessage == ""
}

test_encoded_authorization_message_is_dropped_from_evidence if {
	rec := object.union(get_password_data_denied, {"errorMessage": "You are not authorized to perform this operation. User: arn:aws:sts::457448411975:assumed-role/r/s is not authorized to perform: ec2:GetPasswordData. Encoded authorization failure message: K2-zhDkMqUq-g9q-R4ks6tltFzD63SUSxwKCTu5riJZoSD2q1x"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.errorMessage == "You are not authorized to perform this operation. User: arn:aws:sts::457448411975:assumed-role/r/s is not authorized to perform: ec2:GetPasswordData."
}

test_successful_call_does_not_fire if {
	rec := object.remove(get_password_data_denied, ["errorCode", "errorMessage"])
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

# successful_only cannot hide denials: they are failures by definition.
test_successful_only_does_not_change_the_rule if {
	count(rule.deny) == 1 with input as get_password_data_denied with data.trailguard.params as {"successful_only": true}
}

# The METADATA `condition`: `violation` holds exactly when `deny` has its one entry, on denials
# and on every record it must refuse, including ones missing fields the message reads.
test_violation_holds_exactly_when_deny_has_one_entry if {
	records := [
		get_password_data_denied,
		kms_denied,
		object.union(kms_denied, {"sourceIPAddress": "delivery.logs.amazonaws.com"}),
		object.union(kms_denied, {"eventName": "HeadBucket"}),
		object.union(kms_denied, {"errorCode": "TrailNotFoundException"}),
		object.union(kms_denied, {"errorCode": 403}),
		object.union(kms_denied, {"errorMessage": 403}),
		object.remove(kms_denied, ["errorMessage"]),
		object.remove(kms_denied, ["eventSource"]),
		object.remove(kms_denied, ["sourceIPAddress", "userIdentity"]),
		object.remove(get_password_data_denied, ["errorCode", "errorMessage"]),
	]
	fired := [i | some i, rec in records; agrees with input as rec with data.trailguard.params as params; rule.violation with input as rec with data.trailguard.params as params]
	fired == [0, 1, 6, 7, 9]
	every rec in records {
		agrees with input as rec with data.trailguard.params as params
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
