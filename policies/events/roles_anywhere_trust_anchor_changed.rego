# METADATA
# title: IAM Roles Anywhere trust anchor created or changed
# description: >-
#   A Roles Anywhere trust anchor was created or updated. A trust anchor makes every certificate
#   issued by its CA able to obtain role credentials from outside AWS; an attacker who registers
#   their own CA keeps access that no access key rotation removes. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.rolesanywhere-create-trust-anchor/
# custom:
#   id: TGE044
#   name: roles-anywhere-trust-anchor-changed
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Verify that the CA belongs to your PKI. If not, disable and delete the trust anchor and the
#       profiles created with it (`aws rolesanywhere delete-trust-anchor`, `delete-profile`), and
#       review CreateSession activity and the roles the profiles allowed.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.308(a)(4)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["IA-5", "AC-2"]
#     mitre-attack: ["T1098.001"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [rolesanywhere.amazonaws.com]
#     eventName: [CreateTrustAnchor, UpdateTrustAnchor]
package trailguard.events.roles_anywhere_trust_anchor_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": anchor, "evidence": evidence} if {
	input.eventName in {"CreateTrustAnchor", "UpdateTrustAnchor"}
	input.eventSource == "rolesanywhere.amazonaws.com"
	actor.counted(input)
	req := actor.request(input)
	anchor := object.get(req, "name", object.get(req, "trustAnchorId", "(unnamed)"))
	source_type := object.get(object.get(req, "source", {}), "sourceType", "(unknown source)")
	verb := {"CreateTrustAnchor": "created", "UpdateTrustAnchor": "updated"}[input.eventName]
	msg := sprintf("%s %s IAM Roles Anywhere trust anchor '%s' (%s)%s%s", [actor.who(input), verb, anchor, source_type, actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "trustAnchor": anchor, "sourceType": source_type, "enabled": object.get(req, "enabled", null)}
}
