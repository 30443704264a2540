package trailguard.events.lib.burst

import rego.v1

# Helpers for the aggregate rules' messages; `g` is the group an aggregate rule judges
# (docs/event-rules.md, "Aggregate rules").

principal(g) := sprintf("principal %s", [g.group.principal]) if {
	is_string(g.group.principal)
} else := "an unidentified principal"

# How the same principal (or address) did in the rest of the scan, for comparison: the
# CloudTrail Insights question "is this unusual for it?".
outside(g) := sprintf(" (none in the scan's %d other windows)", [g.outside.windows]) if {
	g.outside.windows > 0
	g.outside.count == 0
} else := sprintf(" (%d in the scan's %d other windows)", [g.outside.count, g.outside.windows]) if {
	g.outside.windows > 0
} else := ""
