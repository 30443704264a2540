# METADATA
# title: Lambda function code or configuration changed
# description: >-
#   A Lambda function's code or configuration was updated. Both are legitimate in every
#   deployment, hence low severity, but they are also how a function is backdoored (new code, a
#   malicious layer or extension, a different role or environment). The message names what the
#   request changed. CloudTrail records these calls under version-suffixed names
#   (UpdateFunctionCode20150331v2 and so on); all known variants are matched. Failed attempts
#   count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.lambda-overwrite-code/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.lambda-layer-extension/
# custom:
#   id: TGE036
#   name: lambda-function-modified
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Match the change to a deployment from your pipeline (its role, time and code hash). If
#       none matches, roll the function back to the last known version, inspect new layers and
#       environment variables, and review who else can call lambda:Update*.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     nist-800-53-r5: ["CM-3", "CM-5", "SI-7"]
#     mitre-attack: ["T1648"]
#   params:
#     successful_only: false
#   memoize: true
#   condition: violation
#   selector:
#     eventSource: [lambda.amazonaws.com]
#     eventName: [UpdateFunctionCode, UpdateFunctionCode20150331, UpdateFunctionCode20150331v2, UpdateFunctionConfiguration, UpdateFunctionConfiguration20150331, UpdateFunctionConfiguration20150331v2]
package trailguard.events.lambda_function_modified

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": function, "evidence": evidence} if {
	violation
	req := actor.request(input)
	function := object.get(req, "functionName", "(unknown function)")
	# The parameters worth naming: a walk over the request (a few keys) rather than a lookup
	# per name, against a literal set (a helper rule would be rebuilt on every evaluation).
	changed := {k | some k, v in req; k in {"layers", "environment", "role", "handler", "runtime", "imageUri", "s3Bucket", "zipFile", "publish", "vpcConfig"}; v != null}
	msg := sprintf("%s updated the %s of Lambda function %s%s%s%s", [actor.who(input), part, function, changes(changed), actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName, "functionName": function}, object.filter(req, {"layers", "role", "handler", "runtime", "imageUri", "s3Bucket", "s3Key", "publish"}))
}

# The METADATA `condition`: everything `deny` adds to it is defined whenever it holds.
violation if {
	input.eventName in {
		"UpdateFunctionCode", "UpdateFunctionCode20150331", "UpdateFunctionCode20150331v2",
		"UpdateFunctionConfiguration", "UpdateFunctionConfiguration20150331",
		"UpdateFunctionConfiguration20150331v2",
	}
	input.eventSource == "lambda.amazonaws.com"
	actor.counted(input)
}

part := "code" if {
	startswith(input.eventName, "UpdateFunctionCode")
} else := "configuration"

changes(changed) := sprintf(" (request sets %s)", [concat(", ", sort(changed))]) if count(changed) > 0

changes(changed) := "" if count(changed) == 0
