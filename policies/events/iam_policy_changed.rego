# METADATA
# title: IAM policy changed
# description: >-
#   An IAM policy was created, deleted, versioned, attached, detached or edited inline: the 16
#   API calls of CIS 4.4. The benchmark's filter does not name an event source, so it also
#   matches AWS Organizations' CreatePolicy/DeletePolicy; this rule requires
#   iam.amazonaws.com (Organizations policy changes are TGE015). Failed attempts count unless
#   `successful_only` is true. Grants of administrator rights are also reported, with high
#   severity, by TGE023.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
# custom:
#   id: TGE004
#   name: iam-policy-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check the change against your change records: which identity was given or lost which
#       permissions. Unexpected grants should be reverted (detach the policy, delete the inline
#       policy or restore the previous default version) and the actor's other recent IAM calls
#       reviewed.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.4"]
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(4)(ii)(C)"]
#     nist-800-53-r5: ["AC-2", "AC-6", "AU-6"]
#     mitre-attack: ["T1098", "T1098.003"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [iam.amazonaws.com]
#     eventName: [DeleteGroupPolicy, DeleteRolePolicy, DeleteUserPolicy, PutGroupPolicy, PutRolePolicy, PutUserPolicy, CreatePolicy, DeletePolicy, CreatePolicyVersion, DeletePolicyVersion, AttachRolePolicy, DetachRolePolicy, AttachUserPolicy, DetachUserPolicy, AttachGroupPolicy, DetachGroupPolicy]
package trailguard.events.iam_policy_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": policy, "evidence": evidence} if {
	input.eventName in {
		"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
		"PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
		"AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
		"DetachGroupPolicy",
	}
	input.eventSource == "iam.amazonaws.com"
	actor.counted(input)
	params := actor.request(input)
	policy := object.get(params, "policyArn", object.get(params, "policyName", "(unknown policy)"))
	msg := sprintf("%s called iam:%s for policy %s%s%s%s", [actor.who(input), input.eventName, policy, principal, actor.outcome(input), actor.where(input)])
	evidence := object.filter(params, {"policyArn", "policyName", "userName", "roleName", "groupName", "versionId", "setAsDefault"})
}

principal := sprintf(" on user '%s'", [input.requestParameters.userName]) if {
	input.requestParameters.userName
} else := sprintf(" on role '%s'", [input.requestParameters.roleName]) if {
	input.requestParameters.roleName
} else := sprintf(" on group '%s'", [input.requestParameters.groupName]) if {
	input.requestParameters.groupName
} else := ""
