# METADATA
# title: Role trust policy allows an untrusted or public principal
# description: >-
#   A role was created, or its trust policy replaced (UpdateAssumeRolePolicy), so that it can be
#   assumed by any AWS principal ("*") or by an account that is neither the role's own account
#   nor listed in `trusted_accounts`. A trust policy naming an outside account is the standard
#   backdoor: the attacker assumes the role from their own account, and deleting the keys they
#   used to plant it does not remove it. Statements with Principal "*" are reported even when
#   they carry conditions; check those conditions. Trust changes that only involve trusted
#   accounts and service principals are not reported. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-backdoor-role/
# custom:
#   id: TGE024
#   name: role-trusts-external-principal
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check whether the named account belongs to you or a vendor you work with; if so, add it to
#       `trusted_accounts`. Otherwise restore the previous trust policy (`aws iam
#       update-assume-role-policy`), look for AssumeRole calls on the role from that account, and
#       review how the actor was allowed to change trust policies.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.308(a)(4)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     mitre-attack: ["T1098.003", "T1199"]
#   params:
#     trusted_accounts: []
#     successful_only: false
#   selector:
#     eventSource: [iam.amazonaws.com]
#     eventName: [UpdateAssumeRolePolicy, CreateRole]
package trailguard.events.role_trusts_external_principal

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": role, "evidence": evidence} if {
	input.eventName in {"UpdateAssumeRolePolicy", "CreateRole"}
	input.eventSource == "iam.amazonaws.com"
	count(untrusted) > 0
	actor.counted(input)
	role := object.get(actor.request(input), "roleName", "(unnamed)")
	verb := {"UpdateAssumeRolePolicy": "changed the trust policy of role '%s' to allow %s", "CreateRole": "created role '%s' trusting %s"}[input.eventName]
	msg := sprintf("%s %s%s%s", [actor.who(input), sprintf(verb, [role, concat(", ", sort(untrusted))]), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "roleName": role, "untrustedPrincipals": sort(untrusted)}
}

document := actor.policy_doc(input.requestParameters.policyDocument) if {
	input.eventName == "UpdateAssumeRolePolicy"
} else := actor.policy_doc(input.requestParameters.assumeRolePolicyDocument)

untrusted contains principal if {
	some st in actor.statements(document)
	st.Effect == "Allow"
	some principal in actor.principal_values(st.Principal, "AWS")
	is_string(principal)
	actor.untrusted_account(principal, input)
}
