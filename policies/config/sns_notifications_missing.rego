# METADATA
# title: CloudTrail trail sends no SNS notification on log delivery
# description: |
#   With an SNS topic, CloudTrail publishes a notification for every log file it delivers, so
#   log processing (SIEM ingestion, archiving, integrity checks) can react at once instead of
#   polling the bucket, and a stop in notifications shows that delivery stopped.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html
# custom:
#   id: TGC009
#   name: sns-notifications-missing
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: Set `SnsTopicName` on the AWS::CloudTrail::Trail to a topic whose policy allows cloudtrail.amazonaws.com to sns:Publish (for example `!GetAtt TrailTopic.TopicName`).
#     terraform: Set `sns_topic_name` on the aws_cloudtrail resource to a topic whose policy allows cloudtrail.amazonaws.com to sns:Publish (for example `aws_sns_topic.trail.name`).
#     live: aws cloudtrail update-trail --name <trail> --sns-topic-name <topic>
#   frameworks:
#     pci-dss-v4.0: ["10.4.1.1"]
#     pci-dss-v3.2.1: ["10.6"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-6(1)"]
package trailguard.config.sns_notifications_missing

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	fields.unset(t.sns_topic)
	finding := {
		"msg": sprintf("Trail '%s' sends no SNS notification when it delivers log files (%s)", [
			fields.name_of(t),
			fields.describe(t.sns_topic, attrs.trail("sns_topic")),
		]),
		"resource": t.id,
		"loc": t.sns_topic.loc,
		"evidence": fields.evidence(t.sns_topic),
	}
}
