# METADATA
# title: Burst of authorization failures from one principal
# description: >-
#   One principal was denied (TGE001: AccessDenied or UnauthorizedOperation) at least
#   `authorization_failure_burst` times (default 20) within one ten-minute window. A denial now
#   and then is a missing permission; a run of them in minutes is what enumerating the reach of
#   stolen credentials looks like, the pattern CloudTrail Insights reports as an unusual API
#   error rate. Windows are fixed ten-minute slots aligned to UTC, so a burst that straddles
#   two slots counts in each; lower the parameter to catch slower probing.
# custom:
#   id: TGA001
#   name: authorization-failure-burst
#   severity: medium
#   kind: aggregate
#   applies_to: [events]
#   remediation:
#     events: >-
#       Review the principal's calls in the window (the finding points at the first one):
#       which APIs were tried, from which addresses and with which access key. If the activity
#       is not a deployment or a tool being configured, treat the credentials as compromised:
#       deactivate the access key or revoke the role's sessions, then look for what the
#       principal did successfully in the same period.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.4"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1580", "T1078.004"]
#   params:
#     authorization_failure_burst: 20
#   window:
#     counts: [TGE001]
#     by: [principal]
#     length: 10m
#     at_least: authorization_failure_burst
package trailguard.events.authorization_failure_burst

import rego.v1

import data.trailguard.events.lib.burst

deny contains {"msg": msg} if {
	input.count >= data.trailguard.params.authorization_failure_burst
	msg := sprintf("%s was denied %d times between %s and %s%s", [burst.principal(input), input.count, input.window.start, input.window.end, burst.outside(input)])
}
