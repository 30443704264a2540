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
	some t in trails.owned
	selectors.data_events(t, type, read_only) == false
	trails.no_other_records_data(t, type, read_only)
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
