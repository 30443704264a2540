# METADATA
# title: Burst of failed console sign-ins from one address
# description: >-
#   At least `console_sign_in_failure_burst` console sign-ins (default 5) failed (TGE006) from
#   one source address within one ten-minute window: password guessing against one user, or
#   password spraying across many (the failures of unknown user names count too). Windows are
#   fixed ten-minute slots aligned to UTC.
# custom:
#   id: TGA002
#   name: console-sign-in-failure-burst
#   severity: high
#   kind: aggregate
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check which users were tried from the address (the finding points at the first attempt)
#       and whether any sign-in from it succeeded afterwards. Block the address where you can,
#       make sure every console user has MFA, and reset the password of any user whose sign-in
#       from the address succeeded.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.4"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(5)(ii)(C)"]
#     nist-800-53-r5: ["AC-7", "SI-4"]
#     mitre-attack: ["T1110"]
#   params:
#     console_sign_in_failure_burst: 5
#   window:
#     counts: [TGE006]
#     by: [source_ip]
#     length: 10m
#     at_least: console_sign_in_failure_burst
package trailguard.events.console_sign_in_failure_burst

import rego.v1

import data.trailguard.events.lib.burst

deny contains {"msg": msg} if {
	input.count >= data.trailguard.params.console_sign_in_failure_burst
	msg := sprintf("%d console sign-ins failed from %s between %s and %s%s", [input.count, source, input.window.start, input.window.end, burst.outside(input)])
}

source := input.group.source_ip if {
	is_string(input.group.source_ip)
} else := "an unknown address"
