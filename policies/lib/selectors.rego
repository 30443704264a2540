# What a trail's event selectors record, with AWS's real selector semantics.
#
# Classic selectors (`event_selectors`): each selector records management events when
# `include_management_events` is true, for the `read_write_type` (All, ReadOnly, WriteOnly),
# minus `exclude_management_event_sources`; and data events of its `data_resources`.
#
# Advanced selectors (`advanced_event_selectors`): an event is recorded when ANY selector matches
# it; a selector matches when ALL its field selectors match; a field selector matches when every
# operator it uses holds: `equals` / `starts_with` / `ends_with` hold when the event's value
# matches one of the listed values, `not_equals` / `not_starts_with` / `not_ends_with` hold when
# it matches none of them. An operator with an empty list is not used.
#
# "Records all X" is decided by probing: an event of the kind asked about (e.g. eventCategory
# Management, readOnly "false") must pass the probed fields' conditions, and any condition on
# another field restricts the selector to a subset (e.g. eventSource not_equals kms.amazonaws.com
# excludes KMS events), so it does not record ALL such events. For data events, negative
# conditions on resources.ARN are tolerated: excluding a few buckets (typically the trail's own
# log bucket, to avoid a feedback loop) is AWS's recommended way to log all S3 objects.
#
# The answers are three-valued: true, false, or undefined when a selector holds an unknown value
# (`{"unknown": "<expr>"}`) or the selector fields are themselves unknown.
package trailguard.lib.selectors

import rego.v1

operators := ["equals", "not_equals", "starts_with", "not_starts_with", "ends_with", "not_ends_with"]

positive_operators := ["equals", "starts_with", "ends_with"]

# Selector values are strings in every format; booleans (`readOnly: true`) compare as text.
text(x) := x if is_string(x)

text(x) := json.marshal(x) if not is_string(x)

values(fs, op) := [text(v) | some v in object.get(fs, op, [])]

op_holds(op, vals, _) if count(vals) == 0

op_holds("equals", vals, v) if v in vals

op_holds("starts_with", vals, v) if {
	some p in vals
	startswith(v, p)
}

op_holds("ends_with", vals, v) if {
	some p in vals
	endswith(v, p)
}

op_holds("not_equals", vals, v) if {
	count(vals) > 0
	not v in vals
}

op_holds("not_starts_with", vals, v) if {
	count(vals) > 0
	every p in vals {
		not startswith(v, p)
	}
}

op_holds("not_ends_with", vals, v) if {
	count(vals) > 0
	every p in vals {
		not endswith(v, p)
	}
}

# The field selector lets an event whose `fs.field` is `value` through.
admits(fs, value) if {
	every op in operators {
		op_holds(op, values(fs, op), text(value))
	}
}

# The field selector has at least one condition.
restricts(fs) if {
	some op in operators
	count(object.get(fs, op, [])) > 0
}

# The field selector only excludes values (no equals / starts_with / ends_with).
only_negative(fs) if {
	every op in positive_operators {
		count(object.get(fs, op, [])) == 0
	}
}

# Does `fs` let through every event described by `probe` (field -> value)?
field_ok(fs, probe, _) if admits(fs, probe[fs.field])

field_ok(fs, probe, _) if {
	not probe[fs.field]
	not restricts(fs)
}

field_ok(fs, probe, tolerated) if {
	not probe[fs.field]
	fs.field in tolerated
	only_negative(fs)
}

# One advanced selector records every event described by `probe`.
selector_covers(sel, probe, tolerated) if {
	every fs in sel.field_selectors {
		field_ok(fs, probe, tolerated)
	}
}

# Any advanced selector in `sels` records every event described by `probe`.
advanced_covers(sels, probe, tolerated) if {
	some sel in sels
	selector_covers(sel, probe, tolerated)
}

# read_only is "true" (read events) or "false" (write events), as in the readOnly field.
read_write_types("true") := {"All", "ReadOnly"}

read_write_types("false") := {"All", "WriteOnly"}

classic_management(sels, read_only) if {
	some s in sels
	s.include_management_events == true
	s.read_write_type in read_write_types(read_only)
	count(s.exclude_management_event_sources) == 0
}

# A DataResources value that means "every resource of this type in the account".
all_resources_value("AWS::S3::Object", v) if {
	parts := split(v, ":")
	count(parts) == 3
	parts[0] == "arn"
	parts[2] == "s3"
}

all_resources_value("AWS::S3::Object", v) if {
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
	parts[2] == "s3"
	parts[3] == ""
	parts[4] == ""
	parts[5] == ""
}

all_resources_value("AWS::Lambda::Function", v) if {
	parts := split(v, ":")
	count(parts) == 3
	parts[0] == "arn"
	parts[2] == "lambda"
}

classic_data(sels, type, read_only) if {
	some s in sels
	s.read_write_type in read_write_types(read_only)
	some d in s.data_resources
	d.type == type
	some v in d.values
	all_resources_value(type, v)
}

management_probe(read_only) := {"eventCategory": "Management", "readOnly": read_only}

data_probe(type, read_only) := {"eventCategory": "Data", "resources.type": type, "readOnly": read_only}

# An unknown marker `{"unknown": "<expr>"}` (a value the adapter could not resolve).
is_unknown(v) if {
	is_object(v)
	"unknown" in object.keys(v)
}

# Some value inside a selector list `sels` is an unknown marker, at any depth. Found in the JSON
# text: `"unknown":` occurs there only as an object key (a quote inside a string is escaped as
# `\"`), and the only object with that key is the marker. One builtin call instead of iterating
# every level of the selectors (`walk` is not supported by the regorus bytecode compiler): this
# runs for every trail in several rules.
contains_unknown(sels) if contains(json.marshal(sels), "\"unknown\":")

# The trail's selectors can be judged: at least one selector field has a value and nothing in
# the selectors is unknown.
determinable(t) if {
	t.event_selectors.state != "unknown"
	t.advanced_event_selectors.state != "unknown"
	some f in [t.event_selectors, t.advanced_event_selectors]
	f.value
	not contains_unknown(object.get(t.event_selectors, "value", []))
	not contains_unknown(object.get(t.advanced_event_selectors, "value", []))
}

records_management(t, read_only) if classic_management(t.event_selectors.value, read_only)

records_management(t, read_only) if {
	advanced_covers(t.advanced_event_selectors.value, management_probe(read_only), set())
}

records_data(t, type, read_only) if classic_data(t.event_selectors.value, type, read_only)

records_data(t, type, read_only) if {
	advanced_covers(t.advanced_event_selectors.value, data_probe(type, read_only), {"resources.ARN"})
}

# Does the trail record all read and all write management events? true / false / undefined.
management_rw(t) := true if {
	determinable(t)
	records_management(t, "true")
	records_management(t, "false")
} else := false if determinable(t)

# Which of read ("true") and write ("false") management events the trail misses.
missing_management(t) := [kind |
	some [read_only, kind] in [["true", "read"], ["false", "write"]]
	not records_management(t, read_only)
]

# Does the trail record all data events of `type` for `read_only`? true / false / undefined.
data_events(t, type, read_only) := true if {
	determinable(t)
	records_data(t, type, read_only)
} else := false if determinable(t)

# The selector field that decides (for loc and messages): advanced when set, else classic.
selector_field(t) := "advanced_event_selectors" if t.advanced_event_selectors.value

selector_field(t) := "event_selectors" if not t.advanced_event_selectors.value
