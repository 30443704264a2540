# METADATA
# title: Bedrock foundation model access enabled
# description: >-
#   Someone enabled access to Amazon Bedrock foundation models: submitted the model access use
#   case form (PutUseCaseForModelAccess), accepted a model's offer (CreateFoundationModelAgreement)
#   or created the entitlement (PutFoundationModelEntitlement). Stolen credentials are used this
#   way to run expensive models at the victim's cost ("LLMjacking"); in accounts that do not use
#   Bedrock, any of these calls is unexpected. Failed attempts count unless `successful_only` is
#   true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.impact.bedrock-invoke-model/
# custom:
#   id: TGE048
#   name: bedrock-model-access-enabled
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm with the account owner that Bedrock is in use. If not, remove the model access,
#       deny bedrock:* with an SCP where it is not needed, review InvokeModel activity and cost,
#       and treat the caller's credentials as compromised.
#   frameworks:
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4", "CM-7"]
#     mitre-attack: ["T1496"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [bedrock.amazonaws.com]
#     eventName: [PutUseCaseForModelAccess, CreateFoundationModelAgreement, PutFoundationModelEntitlement]
package trailguard.events.bedrock_model_access_enabled

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName in {"PutUseCaseForModelAccess", "CreateFoundationModelAgreement", "PutFoundationModelEntitlement"}
	input.eventSource == "bedrock.amazonaws.com"
	actor.counted(input)
	model := object.get(actor.request(input), "modelId", null)
	msg := sprintf("%s called bedrock:%s%s%s%s", [actor.who(input), input.eventName, model_note(model), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "modelId": model, "awsRegion": object.get(input, "awsRegion", null)}
}

model_note(model) := sprintf(" for model %s", [model]) if is_string(model)

model_note(model) := "" if not is_string(model)
