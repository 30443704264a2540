# METADATA
# title: STS federation token issued
# description: >-
#   An IAM user called GetFederationToken. The temporary credentials it returns last up to 36
#   hours, keep working after the user's access key is deleted, and can be turned into a console
#   session even for a user without a password: a known persistence technique. Legitimate use
#   is limited to old identity brokers. Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.sts-federation-token/
#   - ref: https://hackingthe.cloud/aws/post_exploitation/survive_access_key_deletion_with_sts_getfederationtoken/
# custom:
#   id: TGE043
#   name: federation-token-issued
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       If the user is not a known identity broker, deny sts:GetFederationToken for it, and
#       revoke the issued sessions by attaching a policy to the user that denies everything for
#       tokens issued before now (aws:TokenIssueTime); then review the federated user's activity
#       (userIdentity.type FederatedUser).
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["IA-5", "SI-4"]
#     mitre-attack: ["T1078.004", "T1550.001"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [sts.amazonaws.com]
#     eventName: [GetFederationToken]
package trailguard.events.federation_token_issued

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName == "GetFederationToken"
	input.eventSource == "sts.amazonaws.com"
	actor.counted(input)
	req := actor.request(input)
	name := object.get(req, "name", "(unnamed)")
	msg := sprintf("%s obtained a federation token for session '%s'%s%s%s", [actor.who(input), name, scope_note(req), actor.outcome(input), actor.where(input)])
	evidence := object.union({"name": name}, object.filter(req, {"durationSeconds", "policyArns"}))
}

# An inline session policy granting Action "*" on Resource "*" keeps all of the user's rights.
# The iteration lives in `allows_everything`: the regorus VM skips an `else` that follows a body
# that iterates (docs/regorus-notes.md).
scope_note(req) := " with an allow-everything session policy" if {
	allows_everything(req)
} else := ""

allows_everything(req) if {
	some st in actor.statements(actor.policy_doc(req.policy))
	st.Effect == "Allow"
	"*" in actor.as_list(st.Action)
	"*" in actor.as_list(st.Resource)
}
