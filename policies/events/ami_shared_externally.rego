# METADATA
# title: AMI shared publicly or with an untrusted account
# description: >-
#   ModifyImageAttribute added launch permission for everyone (group "all") or for an account
#   that is neither the owner nor listed in `trusted_accounts`. A shared image carries whatever
#   was on the instance it was made from (keys, data, credentials); sharing it is a quiet way to
#   move data out. Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ami/
# custom:
#   id: TGE028
#   name: ami-shared-externally
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Remove the permission (`aws ec2 modify-image-attribute --launch-permission
#       "Remove=[{UserId=<id>}]"` or `Group=all`), enable EC2 block public access for AMIs, and
#       find out what the image contains and whether the other account has copied it.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(a)(1)", "164.312(b)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     mitre-attack: ["T1537"]
#   params:
#     trusted_accounts: []
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [ModifyImageAttribute]
package trailguard.events.ami_shared_externally

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": image, "evidence": evidence} if {
	input.eventName == "ModifyImageAttribute"
	input.eventSource == "ec2.amazonaws.com"
	count(grantees) > 0
	actor.counted(input)
	image := object.get(actor.request(input), "imageId", "(unknown image)")
	msg := sprintf("%s shared AMI %s with %s%s%s", [actor.who(input), image, concat(", ", sort(grantees)), actor.outcome(input), actor.where(input)])
	evidence := {"imageId": image, "grantees": sort(grantees)}
}

grantees contains "everyone (public)" if {
	some item in actor.items(input.requestParameters.launchPermission.add)
	item.group == "all"
}

grantees contains sprintf("account %s", [item.userId]) if {
	some item in actor.items(input.requestParameters.launchPermission.add)
	is_string(item.userId)
	actor.untrusted_account(item.userId, input)
}
