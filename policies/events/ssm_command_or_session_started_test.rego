package trailguard.events.ssm_command_or_session_started_test

import rego.v1

import data.trailguard.events.ssm_command_or_session_started as rule

params := {"successful_only": false}

user := {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::056392974792:user/christophe", "accountId": "056392974792"}

# Stratus aws.execution.ssm-send-command (trimmed).
send := {
	"eventVersion": "1.08",
	"eventSource": "ssm.amazonaws.com",
	"eventName": "SendCommand",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.160",
	"recipientAccountId": "056392974792",
	"requestParameters": {"documentName": "AWS-RunShellScript", "instanceIds": ["i-00456a8d163f546ff", "i-0cfe23b1a7ceba6f8"], "interactive": false, "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS"},
	"userIdentity": user,
}

# Stratus aws.execution.ssm-start-session (trimmed).
session := object.union(object.remove(send, ["requestParameters"]), {"eventName": "StartSession", "requestParameters": {"target": "i-0ea1d1296c1de3aa1"}})

test_send_command_fires if {
	findings := rule.deny with input as send with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' ran SSM document AWS-RunShellScript on instances i-00456a8d163f546ff, i-0cfe23b1a7ceba6f8 from 203.0.113.160",
		"evidence": {"eventName": "SendCommand", "documentName": "AWS-RunShellScript", "instanceIds": ["i-00456a8d163f546ff", "i-0cfe23b1a7ceba6f8"]},
	}}
}

test_start_session_fires if {
	findings := rule.deny with input as session with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' started an SSM session on i-0ea1d1296c1de3aa1 from 203.0.113.160"
}

test_tag_targets_are_named if {
	rec := object.union(object.remove(send, ["requestParameters"]), {"requestParameters": {"documentName": "AWS-RunPatchBaseline", "targets": [{"key": "tag:Patch", "values": ["Group1"]}]}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == `IAM user 'christophe' ran SSM document AWS-RunPatchBaseline on targets [{"key":"tag:Patch","values":["Group1"]}] from 203.0.113.160`
}

test_service_runs_are_ignored if {
	maintenance := object.union(send, {"sourceIPAddress": "ssm.amazonaws.com", "userIdentity": {"invokedBy": "ssm.amazonaws.com"}})
	count(rule.deny) == 0 with input as maintenance with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(send, {"errorCode": "InvalidInstanceId"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}
