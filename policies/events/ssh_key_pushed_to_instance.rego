# METADATA
# title: SSH key pushed to an instance or serial console access enabled
# description: >-
#   EC2 Instance Connect pushed an SSH public key to an instance (SendSSHPublicKey) or to its
#   serial console (SendSerialConsoleSSHPublicKey), or serial console access was enabled for the
#   account (EnableSerialConsoleAccess). Each pushed key gives a 60-second window to log in as
#   the named OS user; the serial console bypasses network controls entirely. Routine for some
#   teams, but a common lateral-movement step with stolen AWS credentials. Failed attempts count
#   unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.lateral-movement.ec2-instance-connect/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.lateral-movement.ec2-serial-console-send-ssh-public-key/
# custom:
#   id: TGE045
#   name: ssh-key-pushed-to-instance
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm that the caller administers the instance. Check the instance's SSH and console
#       logs for the session, limit ec2-instance-connect:SendSSHPublicKey with conditions on
#       ec2:osuser and instance tags, and keep serial console access disabled unless needed.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.312(b)", "164.312(d)"]
#     nist-800-53-r5: ["AC-17", "IA-5"]
#     mitre-attack: ["T1098.004", "T1021.004"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2-instance-connect.amazonaws.com, ec2.amazonaws.com]
#     eventName: [SendSSHPublicKey, SendSerialConsoleSSHPublicKey, EnableSerialConsoleAccess]
package trailguard.events.ssh_key_pushed_to_instance

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": target, "evidence": evidence} if {
	input.eventName in {"SendSSHPublicKey", "SendSerialConsoleSSHPublicKey", "EnableSerialConsoleAccess"}
	source_matches
	actor.counted(input)
	req := actor.request(input)
	target := object.get(req, "instanceId", sprintf("account %s", [actor.account(input)]))
	msg := sprintf("%s %s%s%s", [actor.who(input), what, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName}, object.filter(req, {"instanceId", "instanceOSUser", "serialPort", "sSHPublicKey"}))
}

source_matches if {
	input.eventName in {"SendSSHPublicKey", "SendSerialConsoleSSHPublicKey"}
	input.eventSource == "ec2-instance-connect.amazonaws.com"
}

source_matches if {
	input.eventName == "EnableSerialConsoleAccess"
	input.eventSource == "ec2.amazonaws.com"
}

what := sprintf("pushed an SSH key for OS user '%s' to instance %s", [input.requestParameters.instanceOSUser, input.requestParameters.instanceId]) if {
	input.eventName == "SendSSHPublicKey"
} else := sprintf("pushed an SSH key to the serial console of instance %s", [input.requestParameters.instanceId]) if {
	input.eventName == "SendSerialConsoleSSHPublicKey"
} else := sprintf("enabled EC2 serial console access in %s", [object.get(input, "awsRegion", "an unknown region")]) if {
	input.eventName == "EnableSerialConsoleAccess"
}
