# Shared body of the data-event rules (S3 object writes, S3 object reads, Lambda invocations).
#
# A trail is reported when it does not record every data event of the kind for all resources
# and no other running trail in the document does (or may). Unknown selector values never fire.
package trailguard.lib.data_events

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.selectors
import data.trailguard.lib.trails

# `what` names the events in messages, e.g. "S3 object-level write events for all buckets".
findings(type, read_only, what) := {finding |
	# Every trail's answer, computed once per rule instead of once per pair of trails (the
	# "no other trail" check asks it of every other trail). A set of [id, answer] pairs: an
	# undetermined answer leaves its trail out.
	answers := {[u.id, selectors.data_events(u, type, read_only)] | some u in input.trails}
	some t in trails.owned
	[t.id, false] in answers
	no_other_records(t, answers)
	field := selectors.selector_field(t)
	finding := {
		"msg": sprintf("Trail '%s' does not record %s (%s)%s", [
			fields.name_of(t),
			what,
			why(t, field, type, read_only),
			elsewhere,
		]),
		"resource": t.id,
		"loc": t[field].loc,
		"evidence": {"data_resource_type": type, "read_only": read_only, "selectors": t[field].value},
	}
}

# Same as trails.no_other_records_data(t, type, read_only), from the answers computed above.
no_other_records(t, answers) if {
	every u in trails.others(t) {
		[u.id, false] in answers
	}
}

access("true") := "reads"

access("false") := "writes"

why(_, "advanced_event_selectors", type, read_only) := sprintf(
	"no %s entry selects eventCategory Data and resources.type %s for %s without narrowing the resources",
	[attrs.trail("advanced_event_selectors"), type, access(read_only)],
)

why(_, "event_selectors", type, read_only) := sprintf(
	"no %s entry with %s %s has a %s entry of type %s for all resources",
	[
		attrs.trail("event_selectors"),
		attrs.selector_key("read_write_type"),
		concat(" or ", sort(selectors.read_write_types(read_only))),
		attrs.selector_key("data_resources"),
		type,
	],
)

elsewhere := trails.no_other_note if count(input.trails) > 1

elsewhere := "" if count(input.trails) <= 1
