# Three-state field helpers shared by every config rule.
#
# A model field is `{"state": "known"|"absent"|"unknown", "value"?, "defaulted"?, "loc", "expr"?,
# "note"?, "resolved"?}` (see docs/model.md). Rules compare `f.value`, which is undefined for an
# unknown field, so an unknown value never fires a rule.
package trailguard.lib.fields

import rego.v1

# The attribute is not set and has no documented default.
missing(f) if {
	f.state == "absent"
	not f.defaulted
}

# The attribute is not set, or set to an empty string (Terraform `kms_key_id = ""` means "none").
unset(f) if missing(f)

unset(f) if f.value == ""

# The value rendered for a message: strings quoted, everything else as JSON.
show(v) := json.marshal(v)

# How the field stands, for a message: `EnableLogFileValidation is false`,
# `EnableLogFileValidation is not set and defaults to false`, `KMSKeyId is not set`.
describe(f, attr) := text if {
	f.defaulted
	text := with_note(f, sprintf("%s is not set and defaults to %s", [attr, show(f.value)]))
} else := text if {
	f.state == "known"
	text := with_note(f, sprintf("%s is %s", [attr, show(f.value)]))
} else := sprintf("%s is not set", [attr]) if {
	missing(f)
} else := sprintf("%s is %s", [attr, f.state])

with_note(f, text) := sprintf("%s; %s", [text, f.note]) if is_string(f.note)

with_note(f, text) := text if not is_string(f.note)

# The parts of a field worth showing as evidence (no location: the finding has its own).
evidence(f) := object.filter(f, ["state", "value", "defaulted", "expr", "note", "resolved"])

# Display name of a trail or event data store: its name when known, else its id.
name_of(r) := r.name.value if {
	is_string(r.name.value)
	r.name.value != ""
} else := r.id
