# METADATA
# title: No multi-region trail records the account's management events
# description: |
#   The account needs at least one trail that is logging, covers every region, and records all
#   read and write management events; otherwise some API activity in some region is not
#   recorded by any trail. An organization trail counts, including one seen from a member
#   account (a shadow trail). Only live exports show every trail of the account, so the rule
#   judges live exports only; it reports once per export.
# related_resources:
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
# custom:
#   id: TGC021
#   name: no-multi-region-logging-trail
#   severity: high
#   kind: config
#   applies_to: [live-export]
#   remediation:
#     live: 'aws cloudtrail create-trail --name <trail> --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation --kms-key-id <key-arn> && aws cloudtrail start-logging --name <trail> (a new trail records all management events by default), or fix an existing trail with update-trail --is-multi-region-trail, start-logging and put-event-selectors.'
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.1"]
#     pci-dss-v4.0: ["10.2.1", "10.2.1.2", "10.2.1.6", "10.2.1.7"]
#     pci-dss-v3.2.1: ["10.1", "10.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-3", "AU-12"]
#     aws-fsbp: ["CloudTrail.1"]
package trailguard.config.no_multi_region_logging_trail

import rego.v1

import data.trailguard.lib.fields
import data.trailguard.lib.selectors

# Why each trail falls short; a trail with no known shortfall may qualify (unknown never fires).
shortfalls(t) := array.concat(
	array.concat(
		["not logging" | t.is_logging.value == false],
		["single-region" | t.is_multi_region.value == false],
	),
	["does not record all read and write management events" | selectors.management_rw(t) == false],
)

deny contains finding if {
	input.format == "live-export"
	every t in input.trails {
		count(shortfalls(t)) > 0
	}
	account := object.get(input, "account_id", input.path)
	finding := {
		"msg": sprintf("No trail in %s is logging, multi-region and recording all read and write management events%s", [
			scope,
			summary,
		]),
		"resource": account,
		"loc": {"path": input.path, "line": 1, "column": 1, "end_line": 1, "end_column": 1},
		# Keyed by id (the ARN in a live export): two regions may each have a trail of the same
		# name, and an object cannot hold one key twice.
		"evidence": {"trails": {trail.id: why |
			some trail in input.trails
			why := shortfalls(trail)
		}},
	}
}

scope := sprintf("account %s", [input.account_id]) if is_string(input.account_id)

scope := sprintf("export '%s'", [input.path]) if not is_string(input.account_id)

summary := "" if count(input.trails) == 0

summary := sprintf(" (%s)", [concat("; ", sort(lines))]) if {
	count(input.trails) > 0
	lines := [line |
		some trail in input.trails
		line := sprintf("'%s': %s", [fields.name_of(trail), concat(", ", shortfalls(trail))])
	]
}
