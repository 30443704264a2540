# METADATA
# title: Secret value or decrypted parameter read by a person or external caller
# description: >-
#   A principal read a Secrets Manager secret value (GetSecretValue, BatchGetSecretValue) or
#   Systems Manager parameters with decryption (GetParameter, GetParameters,
#   GetParametersByPath with withDecryption true). Applications read secrets all the time, so
#   this is low severity and calls that AWS services make on a principal's behalf (invokedBy,
#   or a service as source address) are ignored; the value of the finding is in answering
#   "who read this secret?" and in bursts of reads by one principal, which TGA003
#   (secret-read-burst) counts. Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.secretsmanager-retrieve-secrets/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ssm-retrieve-securestring-parameters/
# custom:
#   id: TGE040
#   name: secret-value-retrieved
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check that the caller is an application or person expected to use the secret. If not,
#       rotate the secret or parameter, restrict secretsmanager:GetSecretValue and ssm:GetParameter*
#       with kms:Decrypt to the workloads that need them, and review the caller's session.
#   frameworks:
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["IA-5", "SI-4"]
#     mitre-attack: ["T1555.006"]
#   params:
#     successful_only: false
#   memoize: true
#   selector:
#     any_of:
#       - eventSource: [secretsmanager.amazonaws.com]
#         eventName: [GetSecretValue, BatchGetSecretValue]
#       - eventSource: [ssm.amazonaws.com]
#         eventName: [GetParameter, GetParameters, GetParametersByPath]
#         fields:
#           requestParameters.withDecryption: [true]
package trailguard.events.secret_value_retrieved

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName in {"GetSecretValue", "BatchGetSecretValue", "GetParameter", "GetParameters", "GetParametersByPath"}
	input.eventSource in {"secretsmanager.amazonaws.com", "ssm.amazonaws.com"}
	secret_read
	not input.userIdentity.invokedBy
	not endswith(object.get(input, "sourceIPAddress", ""), ".amazonaws.com")
	not input.userIdentity.type == "AWSService"
	actor.counted(input)
	names := sort(targets)
	msg := sprintf("%s read %s%s%s", [actor.who(input), what(names), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "targets": names}
}

secret_read if {
	input.eventSource == "secretsmanager.amazonaws.com"
	input.eventName in {"GetSecretValue", "BatchGetSecretValue"}
}

secret_read if {
	input.eventSource == "ssm.amazonaws.com"
	input.eventName in {"GetParameter", "GetParameters", "GetParametersByPath"}
	input.requestParameters.withDecryption == true
}

targets contains input.requestParameters.secretId if is_string(input.requestParameters.secretId)

targets contains id if {
	some id in input.requestParameters.secretIdList
	is_string(id)
}

targets contains sprintf("secrets matching filters %s", [json.marshal(input.requestParameters.filters)]) if {
	input.eventName == "BatchGetSecretValue"
	input.requestParameters.filters
}

targets contains input.requestParameters.name if is_string(input.requestParameters.name)

targets contains name if {
	some name in input.requestParameters.names
	is_string(name)
}

targets contains sprintf("parameters under path %s", [input.requestParameters.path]) if is_string(input.requestParameters.path)

what(names) := sprintf("%d secrets/parameters (%s, ...)", [count(names), concat(", ", array.slice(names, 0, 3))]) if count(names) > 3

what(names) := concat(", ", names) if {
	count(names) > 0
	count(names) <= 3
}

what(names) := "a secret value" if count(names) == 0
