# METADATA
# title: AWS Organizations changed
# description: >-
#   The organization's structure or policies changed: accounts created, invited, moved, removed
#   or leaving, organizational units and policies (SCPs, tag and backup policies) created,
#   updated, attached, detached or deleted, policy types enabled or disabled, handshakes
#   accepted or declined, or the organization deleted. These are the 18 calls of CIS 4.15 on
#   organizations.amazonaws.com. (Prowler additionally expects CancelHandshake,
#   CreateOrganization and EnableAllFeatures; this rule follows the benchmark.) An account
#   leaving the organization is also reported, with high severity, by TGE041. Failed attempts
#   count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_security_incident-response.html
# custom:
#   id: TGE015
#   name: organizations-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the change with the organization's administrators. Detached or deleted service
#       control policies and accounts moved out of protected OUs weaken guardrails for every
#       account below them: restore them if the change was not planned.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.15"]
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "AU-6"]
#     mitre-attack: ["T1666", "T1484"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [organizations.amazonaws.com]
#     eventName: [AcceptHandshake, AttachPolicy, CreateAccount, CreateOrganizationalUnit, CreatePolicy, DeclineHandshake, DeleteOrganization, DeleteOrganizationalUnit, DeletePolicy, DetachPolicy, DisablePolicyType, EnablePolicyType, InviteAccountToOrganization, LeaveOrganization, MoveAccount, RemoveAccountFromOrganization, UpdatePolicy, UpdateOrganizationalUnit]
package trailguard.events.organizations_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName in {
		"AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
		"DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
		"DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization",
		"MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit",
	}
	input.eventSource == "organizations.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	evidence := object.union({"eventName": input.eventName}, object.filter(actor.request(input), {
		"accountId", "policyId", "targetId", "sourceParentId", "destinationParentId", "name", "type",
		"policyType", "rootId", "handshakeId", "organizationalUnitId", "accountName",
	}))
	details := [sprintf("%s %v", [k, params[k]]) | some k in ["policyId", "targetId", "accountId", "name", "organizationalUnitId", "policyType"]; params[k]]
	msg := sprintf("%s called organizations:%s%s%s%s", [actor.who(input), input.eventName, detail_text(details), actor.outcome(input), actor.where(input)])
}

detail_text(details) := sprintf(" (%s)", [concat(", ", details)]) if count(details) > 0

detail_text(details) := "" if count(details) == 0
