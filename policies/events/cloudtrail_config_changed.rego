# METADATA
# title: CloudTrail trail configuration changed
# description: >-
#   A trail was created, updated or deleted, or its logging was started or stopped: the five
#   calls of CIS 4.5, restricted to cloudtrail.amazonaws.com. Failed attempts count unless
#   `successful_only` is true (CIS counts them; a failed StopLogging is still an attempt to blind
#   you). Changes that reduce what is recorded are also reported, with high severity, by TGE018.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
# custom:
#   id: TGE005
#   name: cloudtrail-config-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the change was planned. Run `aws cloudtrail get-trail-status` and
#       `describe-trails` for the trail to see its current state, restart logging or restore the
#       trail if it was not, and review the actor's other calls around the same time.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.5"]
#     pci-dss-v4.0: ["10.2.1.6"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AU-6", "AU-9", "CM-3"]
#     mitre-attack: ["T1562.008"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [cloudtrail.amazonaws.com]
#     eventName: [CreateTrail, UpdateTrail, DeleteTrail, StartLogging, StopLogging]
package trailguard.events.cloudtrail_config_changed

import rego.v1

import data.trailguard.events.lib.actor

verbs := {
	"CreateTrail": "created trail",
	"UpdateTrail": "updated trail",
	"DeleteTrail": "deleted trail",
	"StartLogging": "started logging on trail",
	"StopLogging": "stopped logging on trail",
}

deny contains {"msg": msg, "resource": trail, "evidence": evidence} if {
	input.eventName in {"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"}
	input.eventSource == "cloudtrail.amazonaws.com"
	actor.counted(input)
	trail := object.get(actor.request(input), "name", "(unnamed)")
	msg := sprintf("%s %s '%s'%s%s", [actor.who(input), verbs[input.eventName], trail, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName, "errorCode": object.get(input, "errorCode", null)}, object.filter(actor.request(input), {
		"name", "s3BucketName", "isMultiRegionTrail", "includeGlobalServiceEvents", "enableLogFileValidation",
		"kmsKeyId", "cloudWatchLogsLogGroupArn", "isOrganizationTrail",
	}))
}
