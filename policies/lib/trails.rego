# Which trails a rule judges, and whether another trail in the same document covers a need.
package trailguard.lib.trails

import rego.v1

import data.trailguard.lib.selectors

# Trails owned by the audited account. Organization trails seen from a member account ("shadow"
# trails) are configured in the management account, so they are never reported as misconfigured
# here; they still count when asking whether some trail covers a need. An array in input order,
# not a set: a set of trail objects compares whole objects on every insertion.
owned := [t |
	some t in input.trails
	not t.is_shadow
]

stopped(t) if t.is_logging.value == false

# Other trails of the document that are not known to be stopped: the candidates that may cover
# a need the trail `t` lacks.
others(t) := [u |
	some u in input.trails
	u.id != t.id
	not stopped(u)
]

# No other running trail records (or may record) read and write management events.
no_other_records_management(t) if {
	every u in others(t) {
		selectors.management_rw(u) == false
	}
}

# No other running trail records (or may record) data events of `type` for `read_only`.
no_other_records_data(t, type, read_only) if {
	every u in others(t) {
		selectors.data_events(u, type, read_only) == false
	}
}

# No other running trail includes (or may include) global service events.
no_other_includes_global_events(t) if {
	every u in others(t) {
		u.include_global_service_events.value == false
	}
}

# No other running trail has (or may have) insight selectors.
no_other_has_insights(t) if {
	every u in others(t) {
		u.insight_selectors.value == []
	}
}

# Message suffix for rules that are quiet when another trail covers the need.
no_other_note := ", and no other running trail in this document does"
