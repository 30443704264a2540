# METADATA
# title: CloudTrail trail does not record all read and write management events
# description: |
#   Management events are the control-plane API calls (IAM, EC2, S3 bucket settings, KMS,
#   CloudTrail itself). A trail that records only reads, only writes, excludes event sources, or
#   records no management events leaves those actions unaudited. The rule is quiet when another
#   running trail in the same document records them (a dedicated data-events trail beside a
#   management trail is a normal design). In live exports the account-level rule
#   no-multi-region-logging-trail (TGC021) checks this instead.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
#   - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html
# custom:
#   id: TGC003
#   name: management-events-not-recorded
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl]
#   remediation:
#     cloudformation: 'Use an EventSelectors entry with `ReadWriteType: All`, `IncludeManagementEvents: true` and no ExcludeManagementEventSources, or an AdvancedEventSelectors entry whose only field selector is `eventCategory` Equals `Management`.'
#     terraform: 'Use an `event_selector` block with `read_write_type = "All"`, `include_management_events = true` and no `exclude_management_event_sources`, or an `advanced_event_selector` whose only `field_selector` is `field = "eventCategory"`, `equals = ["Management"]`.'
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.1"]
#     pci-dss-v4.0: ["10.2.1", "10.2.1.2", "10.2.1.5", "10.2.1.6", "10.2.1.7"]
#     pci-dss-v3.2.1: ["10.2.2", "10.2.6", "10.2.7"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.management_events_not_recorded

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.selectors
import data.trailguard.lib.trails

deny contains finding if {
	input.format != "live-export"
	some t in trails.owned
	[t.id, false] in answers
	every u in trails.others(t) {
		[u.id, false] in answers
	}
	field := selectors.selector_field(t)
	missing := selectors.missing_management(t)
	finding := {
		"msg": sprintf("Trail '%s' does not record all %s management events (%s)%s", [
			fields.name_of(t),
			concat(" and ", missing),
			why(t, field),
			elsewhere(t),
		]),
		"resource": t.id,
		"loc": t[field].loc,
		"evidence": {"missing": missing, "selectors": t[field].value},
	}
}

# Every trail's selectors.management_rw answer as [id, answer] (undetermined: left out), computed
# once rather than once per pair of trails; the `every` above is trails.no_other_records_management.
answers := {[u.id, selectors.management_rw(u)] | some u in input.trails}

why(t, "advanced_event_selectors") := sprintf(
	"no %s entry selects eventCategory Management without a readOnly or eventSource condition",
	[attrs.trail("advanced_event_selectors")],
)

why(t, "event_selectors") := sprintf("no %s entry has %s true", [
	attrs.trail("event_selectors"),
	attrs.selector_key("include_management_events"),
]) if {
	every s in t.event_selectors.value {
		s.include_management_events == false
	}
} else := sprintf("%s excludes %s", [
	attrs.selector_key("exclude_management_event_sources"),
	concat(", ", excluded_sources(t)),
]) if {
	# Not `some s in ...` here: a body that iterates must not precede an `else` (the regorus
	# bytecode VM then skips the `else`, docs/regorus-notes.md).
	count(excluded_sources(t)) > 0
} else := sprintf("%s is %s", [
	attrs.selector_key("read_write_type"),
	concat(" / ", management_read_write_types(t)),
])

excluded_sources(t) := sort({src |
	some sel in t.event_selectors.value
	some src in sel.exclude_management_event_sources
})

management_read_write_types(t) := sort({rw |
	some sel in t.event_selectors.value
	sel.include_management_events == true
	rw := sel.read_write_type
})

elsewhere(t) := trails.no_other_note if count(input.trails) > 1

elsewhere(t) := "" if count(input.trails) <= 1
