# METADATA
# title: CloudTrail trail does not record S3 object-level read events
# description: |
#   GetObject is a read data event, off by default. Without it there is no record of who
#   downloaded which object, which is what a data-exfiltration investigation needs first. A
#   selector counts when it covers all buckets (classic `arn:aws:s3` / `arn:aws:s3:::`, or an
#   advanced selector on resources.type AWS::S3::Object that at most excludes some ARNs). The
#   rule is quiet when another running trail in the same document records these events.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
# custom:
#   id: TGC014
#   name: s3-read-data-events-not-recorded
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Add an AdvancedEventSelectors entry with field selectors `eventCategory` Equals `Data` and `resources.type` Equals `AWS::S3::Object` and no `readOnly` restriction, or an EventSelectors entry with `ReadWriteType: All` (or `ReadOnly`) and DataResources `{Type: AWS::S3::Object, Values: [arn:aws:s3]}`.'
#     terraform: 'Add an `advanced_event_selector` with `field_selector { field = "eventCategory", equals = ["Data"] }` and `field_selector { field = "resources.type", equals = ["AWS::S3::Object"] }` and no `readOnly` field selector, or an `event_selector` with `read_write_type = "All"` and `data_resource { type = "AWS::S3::Object", values = ["arn:aws:s3"] }`.'
#     live: 'aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors ''[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"S3 objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]'''
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.9"]
#     pci-dss-v4.0: ["10.2.1", "10.2.1.1", "10.2.1.3"]
#     pci-dss-v3.2.1: ["10.2.1", "10.2.3"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.s3_read_data_events_not_recorded

import rego.v1

import data.trailguard.lib.data_events

deny contains finding if {
	some finding in data_events.findings("AWS::S3::Object", "true", "S3 object-level read events for all buckets")
}
