# METADATA
# title: Administrator permissions granted
# description: >-
#   A principal gave an identity full administrator rights: the AWS managed
#   AdministratorAccess policy attached to a user, role or group, an inline policy or a new
#   default policy version with an Allow statement for Action "*" on Resource "*", or the same
#   through an IAM Identity Center permission set (AttachManagedPolicyToPermissionSet,
#   PutInlinePolicyToPermissionSet). Inline documents are read whether CloudTrail logged them
#   as JSON or URL-encoded JSON. Callers listed in `break_glass_principals` (user or role ARNs)
#   are not reported. Failed attempts count unless `successful_only` is true. The IAM calls are
#   also CIS 4.4 policy changes (TGE004).
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-admin-user/
# custom:
#   id: TGE023
#   name: admin-permissions-granted
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the grant with the identity's owner and your change records. Remove unexpected
#       grants at once (detach the policy, delete the inline policy or restore the previous
#       policy version), then review what the identity did with its new rights and how the
#       actor obtained permission to grant them.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["1.16"]
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.308(a)(4)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["AC-6", "AC-2", "AU-6"]
#     mitre-attack: ["T1098.003"]
#   params:
#     break_glass_principals: []
#     successful_only: false
#   selector:
#     eventSource: [iam.amazonaws.com, sso.amazonaws.com]
#     eventName: [AttachUserPolicy, AttachRolePolicy, AttachGroupPolicy, PutUserPolicy, PutRolePolicy, PutGroupPolicy, CreatePolicyVersion, AttachManagedPolicyToPermissionSet, PutInlinePolicyToPermissionSet]
package trailguard.events.admin_permissions_granted

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": target, "evidence": evidence} if {
	input.eventName in {
		"AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "PutUserPolicy", "PutRolePolicy",
		"PutGroupPolicy", "CreatePolicyVersion", "AttachManagedPolicyToPermissionSet",
		"PutInlinePolicyToPermissionSet",
	}
	input.eventSource in {"iam.amazonaws.com", "sso.amazonaws.com"}
	grants_admin
	actor.counted(input)
	not break_glass
	req := actor.request(input)
	target := object.get(req, "userName", object.get(req, "roleName", object.get(req, "groupName", object.get(req, "permissionSetArn", object.get(req, "policyArn", "(unknown)")))))
	msg := sprintf("%s granted administrator access to %s '%s' with %s%s%s", [actor.who(input), kind, target, input.eventName, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName}, object.filter(req, {
		"userName", "roleName", "groupName", "policyArn", "policyName", "managedPolicyArn", "permissionSetArn",
		"setAsDefault",
	}))
}

grants_admin if {
	input.eventName in {"AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy"}
	input.eventSource == "iam.amazonaws.com"
	admin_arn(input.requestParameters.policyArn)
}

grants_admin if {
	input.eventName in {"PutUserPolicy", "PutRolePolicy", "PutGroupPolicy"}
	input.eventSource == "iam.amazonaws.com"
	admin_document(actor.policy_doc(input.requestParameters.policyDocument))
}

grants_admin if {
	input.eventName == "CreatePolicyVersion"
	input.eventSource == "iam.amazonaws.com"
	input.requestParameters.setAsDefault == true
	admin_document(actor.policy_doc(input.requestParameters.policyDocument))
}

grants_admin if {
	input.eventName == "AttachManagedPolicyToPermissionSet"
	input.eventSource == "sso.amazonaws.com"
	admin_arn(input.requestParameters.managedPolicyArn)
}

grants_admin if {
	input.eventName == "PutInlinePolicyToPermissionSet"
	input.eventSource == "sso.amazonaws.com"
	admin_document(actor.policy_doc(input.requestParameters.inlinePolicy))
}

# arn:aws:iam::aws:policy/AdministratorAccess in every partition (aws, aws-cn, aws-us-gov).
admin_arn(arn) if {
	startswith(arn, "arn:aws")
	endswith(arn, ":iam::aws:policy/AdministratorAccess")
}

admin_document(doc) if {
	some st in actor.statements(doc)
	st.Effect == "Allow"
	some a in actor.as_list(st.Action)
	a in {"*", "*:*"}
	some r in actor.as_list(st.Resource)
	r == "*"
}

break_glass if {
	some arn in actor.caller_arns(input)
	arn in {p | some p in data.trailguard.params.break_glass_principals}
}

kind := "user" if {
	input.requestParameters.userName
} else := "role" if {
	input.requestParameters.roleName
} else := "group" if {
	input.requestParameters.groupName
} else := "permission set" if {
	input.requestParameters.permissionSetArn
} else := "every identity using policy"
