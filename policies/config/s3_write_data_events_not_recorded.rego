# METADATA
# title: CloudTrail trail does not record S3 object-level write events
# description: |
#   Management events show bucket configuration changes but not what happens to objects:
#   PutObject, DeleteObject and CopyObject are data events, off by default. Without them nobody
#   can tell who deleted, overwrote or planted an object. A selector counts when it covers all
#   buckets (classic `arn:aws:s3` / `arn:aws:s3:::`, or an advanced selector on resources.type
#   AWS::S3::Object that at most excludes some ARNs, typically the trail's own bucket). The rule
#   is quiet when another running trail in the same document records these events.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
# custom:
#   id: TGC013
#   name: s3-write-data-events-not-recorded
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Add an AdvancedEventSelectors entry with field selectors `eventCategory` Equals `Data` and `resources.type` Equals `AWS::S3::Object` (optionally `resources.ARN` NotStartsWith the trail bucket ARN), or an EventSelectors entry with `ReadWriteType: All` and DataResources `{Type: AWS::S3::Object, Values: [arn:aws:s3]}`.'
#     terraform: 'Add an `advanced_event_selector` with `field_selector { field = "eventCategory", equals = ["Data"] }` and `field_selector { field = "resources.type", equals = ["AWS::S3::Object"] }`, or an `event_selector` with `data_resource { type = "AWS::S3::Object", values = ["arn:aws:s3"] }`.'
#     live: 'aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors ''[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"S3 objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]'''
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.8"]
#     pci-dss-v4.0: ["10.2.1", "10.2.1.1"]
#     pci-dss-v3.2.1: ["10.2.1"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.s3_write_data_events_not_recorded

import rego.v1

import data.trailguard.lib.data_events

deny contains finding if {
	some finding in data_events.findings("AWS::S3::Object", "false", "S3 object-level write events for all buckets")
}
