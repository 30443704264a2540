# METADATA
# title: Lambda function or layer opened to everyone or an untrusted account
# description: >-
#   AddPermission (any of its version-suffixed names) granted a Lambda function's resource
#   policy to Principal "*" or to an account that is neither the owner nor listed in
#   `trusted_accounts`, or AddLayerVersionPermission shared a layer the same way. A public
#   invoke permission lets anyone run the function with its role; a public layer grant lets
#   anyone pull the layer's code. Grants limited to an organization (principalOrgID,
#   organizationId) and grants to AWS service principals are not reported. Failed attempts count
#   unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.lambda-backdoor-function/
# custom:
#   id: TGE037
#   name: lambda-resource-policy-public
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Remove the statement (`aws lambda remove-permission --function-name <f> --statement-id
#       <sid>` or `remove-layer-version-permission`), check the function's invocations since the
#       grant, and review the function role's permissions.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(a)(1)", "164.312(b)"]
#     nist-800-53-r5: ["AC-3", "AC-22"]
#     mitre-attack: ["T1648", "T1098"]
#   params:
#     trusted_accounts: []
#     successful_only: false
#   selector:
#     eventSource: [lambda.amazonaws.com]
#     eventName: [AddPermission, AddPermission20150331, AddPermission20150331v2, AddLayerVersionPermission, AddLayerVersionPermission20181031]
package trailguard.events.lambda_resource_policy_public

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": target, "evidence": evidence} if {
	input.eventName in {
		"AddPermission", "AddPermission20150331", "AddPermission20150331v2", "AddLayerVersionPermission",
		"AddLayerVersionPermission20181031",
	}
	input.eventSource == "lambda.amazonaws.com"
	req := input.requestParameters
	principal := req.principal
	is_string(principal)
	not contains(principal, ".amazonaws.com")
	actor.untrusted_account(principal, input)
	not req.principalOrgID
	not req.organizationId
	actor.counted(input)
	target := object.get(req, "functionName", object.get(req, "layerName", "(unknown)"))
	msg := sprintf("%s allowed %s to %s on %s%s%s", [actor.who(input), grantee(principal), object.get(req, "action", "(unknown action)"), target, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName}, object.filter(req, {"functionName", "layerName", "versionNumber", "principal", "action", "statementId", "functionUrlAuthType", "sourceArn", "sourceAccount"}))
}

grantee(principal) := "everyone" if principal == "*"

grantee(principal) := sprintf("account %s", [actor.principal_account(principal)]) if principal != "*"
