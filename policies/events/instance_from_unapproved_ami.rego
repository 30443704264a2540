# METADATA
# title: Instance launched from an unapproved AMI
# description: >-
#   RunInstances named an image that is not in the `approved_amis` parameter. Golden-image
#   policies exist so that every instance starts patched and hardened; an unknown image may be
#   a community AMI with a backdoor or an attacker's crypto-mining image. Launches that take the
#   image from a launch template without naming it cannot be checked from the event and are not
#   reported. The rule is inactive while `approved_amis` is empty. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html
# custom:
#   id: TGE025
#   name: instance-from-unapproved-ami
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Identify the image owner (`aws ec2 describe-images --image-ids <id>`) and the instance's
#       purpose. Replace instances built from unapproved images, add legitimate images to
#       `approved_amis`, and consider EC2 Allowed AMIs or an SCP on ec2:RunInstances to enforce
#       the list.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.7"]
#     hipaa-security-rule: ["164.312(b)"]
#     nist-800-53-r5: ["CM-7"]
#     mitre-attack: ["T1578.002", "T1525"]
#   requires_params: [approved_amis]
#   params:
#     approved_amis: []
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [RunInstances]
package trailguard.events.instance_from_unapproved_ami

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": concat(", ", sort(unapproved)), "evidence": evidence} if {
	input.eventName == "RunInstances"
	input.eventSource == "ec2.amazonaws.com"
	count(data.trailguard.params.approved_amis) > 0
	count(unapproved) > 0
	actor.counted(input)
	req := actor.request(input)
	msg := sprintf("%s launched %s instances from unapproved AMI %s%s%s", [actor.who(input), object.get(req, "instanceType", "(default type)"), concat(", ", sort(unapproved)), actor.outcome(input), actor.where(input)])
	evidence := {"imageIds": sort(unapproved), "instanceType": object.get(req, "instanceType", null), "awsRegion": object.get(input, "awsRegion", null)}
}

unapproved contains image if {
	some item in actor.items(input.requestParameters.instancesSet)
	image := item.imageId
	is_string(image)
	not image in {a | some a in data.trailguard.params.approved_amis}
}
