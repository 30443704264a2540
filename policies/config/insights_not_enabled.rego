# METADATA
# title: CloudTrail Insights is not enabled
# description: |
#   CloudTrail Insights learns each API's normal call and error rates and records an Insights
#   event when they deviate, such as a burst of IAM calls from leaked credentials or a spike of
#   AccessDenied errors during reconnaissance. Without insight selectors those anomalies are
#   found only by someone reading the logs. The rule is quiet when another running trail in the
#   same document has insight selectors.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-insights-events-with-cloudtrail.html
# custom:
#   id: TGC016
#   name: insights-not-enabled
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Set `InsightSelectors: [{InsightType: ApiCallRateInsight}, {InsightType: ApiErrorRateInsight}]` on the AWS::CloudTrail::Trail.'
#     terraform: 'Add `insight_selector { insight_type = "ApiCallRateInsight" }` and `insight_selector { insight_type = "ApiErrorRateInsight" }` to the aws_cloudtrail resource.'
#     live: aws cloudtrail put-insight-selectors --trail-name <trail> --insight-selectors '[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]'
#   frameworks:
#     pci-dss-v4.0: ["10.4.1.1"]
#     pci-dss-v3.2.1: ["10.6"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["SI-4"]
package trailguard.config.insights_not_enabled

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	t.insight_selectors.value == []
	trails.no_other_has_insights(t)
	finding := {
		"msg": sprintf("Trail '%s' has no CloudTrail Insights (%s)%s", [
			fields.name_of(t),
			describe(t.insight_selectors),
			elsewhere,
		]),
		"resource": t.id,
		"loc": t.insight_selectors.loc,
		"evidence": fields.evidence(t.insight_selectors),
	}
}

describe(f) := sprintf("%s is not set", [attrs.trail("insight_selectors")]) if f.defaulted

describe(f) := sprintf("%s is empty", [attrs.trail("insight_selectors")]) if not f.defaulted

elsewhere := trails.no_other_note if count(input.trails) > 1

elsewhere := "" if count(input.trails) <= 1
