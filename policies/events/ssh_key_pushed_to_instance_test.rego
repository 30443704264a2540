package trailguard.events.ssh_key_pushed_to_instance_test

import rego.v1

import data.trailguard.events.ssh_key_pushed_to_instance as rule

params := {"successful_only": false}

# Stratus aws.lateral-movement.ec2-instance-connect (trimmed).
push := {
	"eventVersion": "1.08",
	"eventSource": "ec2-instance-connect.amazonaws.com",
	"eventName": "SendSSHPublicKey",
	"eventType": "AwsApiCall",
	"awsRegion": "eu-west-1",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.150",
	"recipientAccountId": "572910899909",
	"requestParameters": {"instanceId": "i-0fdb357cb7e99ad97", "instanceOSUser": "ec2-user", "sSHPublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtAlK45MAEWZ7MUY2QEmi3M6W"},
	"responseElements": {"requestId": "1f1786bd-e04c-4fd9-af8c-6a5d69376c41", "success": true},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::572910899909:user/christophe", "accountId": "572910899909"},
}

# Stratus aws.lateral-movement.ec2-serial-console-send-ssh-public-key: an IAM Identity Center session.
sso := {
	"type": "AssumedRole",
	"principalId": "AROAEMHZD694LU95MUYOP:jane@example.com",
	"arn": "arn:aws:sts::844015365555:assumed-role/AWSReservedSSO_account-admin_599c9e90e350d2ff/jane@example.com",
	"accountId": "844015365555",
	"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSReservedSSO_account-admin_599c9e90e350d2ff", "arn": "arn:aws:iam::844015365555:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_account-admin_599c9e90e350d2ff"}},
}

test_instance_connect_key_fires if {
	findings := rule.deny with input as push with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' pushed an SSH key for OS user 'ec2-user' to instance i-0fdb357cb7e99ad97 from 203.0.113.150",
		"resource": "i-0fdb357cb7e99ad97",
		"evidence": {"eventName": "SendSSHPublicKey", "instanceId": "i-0fdb357cb7e99ad97", "instanceOSUser": "ec2-user", "sSHPublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtAlK45MAEWZ7MUY2QEmi3M6W"},
	}}
}

test_serial_console_by_sso_user_fires if {
	rec := object.union(object.remove(push, ["requestParameters", "userIdentity"]), {
		"eventName": "SendSerialConsoleSSHPublicKey",
		"requestParameters": {"instanceId": "i-0efcb4e480cabc4cf", "monitorMode": false, "serialPort": 0, "sSHPublicKey": "ssh-ed25519 AAAA"},
		"userIdentity": sso,
	})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "SSO user 'jane@example.com' (permission set 'account-admin') pushed an SSH key to the serial console of instance i-0efcb4e480cabc4cf from 203.0.113.150"
}

test_enable_serial_console_fires if {
	rec := object.union(object.remove(push, ["requestParameters"]), {"eventSource": "ec2.amazonaws.com", "eventName": "EnableSerialConsoleAccess", "requestParameters": {"EnableSerialConsoleAccessRequest": ""}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' enabled EC2 serial console access in eu-west-1 from 203.0.113.150"
	f.resource == "account 572910899909"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(push, {"errorCode": "AccessDenied", "responseElements": null})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_wrong_source_does_not_fire if {
	count(rule.deny) == 0 with input as object.union(push, {"eventSource": "ec2.amazonaws.com"}) with data.trailguard.params as params
}
