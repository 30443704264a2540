# METADATA
# title: CloudTrail trail does not record Lambda invocations
# description: |
#   Lambda Invoke calls are data events, off by default. Without them there is no record of who
#   invoked which function, so a function used to reach data or escalate privileges (through its
#   execution role) leaves no trace of its callers. A selector counts when it covers all
#   functions (classic `arn:aws:lambda`, or an advanced selector on resources.type
#   AWS::Lambda::Function). The rule is quiet when another running trail in the same document
#   records these events.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
#   - https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
# custom:
#   id: TGC015
#   name: lambda-data-events-not-recorded
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Add an AdvancedEventSelectors entry with field selectors `eventCategory` Equals `Data` and `resources.type` Equals `AWS::Lambda::Function`, or an EventSelectors entry with `ReadWriteType: All` and DataResources `{Type: AWS::Lambda::Function, Values: [arn:aws:lambda]}`.'
#     terraform: 'Add an `advanced_event_selector` with `field_selector { field = "eventCategory", equals = ["Data"] }` and `field_selector { field = "resources.type", equals = ["AWS::Lambda::Function"] }`, or an `event_selector` with `data_resource { type = "AWS::Lambda::Function", values = ["arn:aws:lambda"] }`.'
#     live: 'aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors ''[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"Lambda","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]}]}]'''
#   frameworks:
#     pci-dss-v4.0: ["10.2.1"]
#     pci-dss-v3.2.1: ["10.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.lambda_data_events_not_recorded

import rego.v1

import data.trailguard.lib.data_events

deny contains finding if {
	some finding in data_events.findings("AWS::Lambda::Function", "false", "Lambda invocations (data events) for all functions")
}
