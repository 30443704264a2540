# METADATA
# title: Burst of secret reads by one principal
# description: >-
#   One principal read secret values or decrypted parameters (TGE040) at least
#   `secret_read_burst` times (default 50) within one ten-minute window. Applications read
#   their few secrets steadily; a principal sweeping through many in minutes is how stolen
#   credentials are turned into more credentials. Windows are fixed ten-minute slots aligned
#   to UTC; raise the parameter for principals that legitimately read in bulk, or waive them.
# custom:
#   id: TGA003
#   name: secret-read-burst
#   severity: medium
#   kind: aggregate
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check which secrets and parameters the principal read in the window (the finding points
#       at the first read) and whether it is expected to. If not, revoke its sessions or keys
#       and rotate every secret it read.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1555.006"]
#   params:
#     secret_read_burst: 50
#   window:
#     counts: [TGE040]
#     by: [principal]
#     length: 10m
#     at_least: secret_read_burst
package trailguard.events.secret_read_burst

import rego.v1

import data.trailguard.events.lib.burst

deny contains {"msg": msg} if {
	input.count >= data.trailguard.params.secret_read_burst
	msg := sprintf("%s read secrets %d times between %s and %s%s", [burst.principal(input), input.count, input.window.start, input.window.end, burst.outside(input)])
}
