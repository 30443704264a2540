# METADATA
# title: Glue job or development endpoint changed
# description: >-
#   A Glue job was updated (UpdateJob), or a Glue development endpoint was created or updated.
#   Both run code with the IAM role attached to them: changing a job's script or role, or
#   adding an SSH public key to a development endpoint, gives the actor that role's permissions
#   (a known privilege-escalation path) and breaks the data pipelines that depend on them.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://hackingthe.cloud/aws/exploitation/iam_privilege_escalation/
# custom:
#   id: TGE038
#   name: glue-job-or-dev-endpoint-changed
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Compare the job definition (`aws glue get-job`) or endpoint (`get-dev-endpoint`) with
#       your pipeline's source; look for a changed script location, role or added public keys.
#       Delete unexpected development endpoints and restore the job from source control.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     nist-800-53-r5: ["CM-3", "CM-5"]
#     mitre-attack: ["T1648", "T1098.004"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [glue.amazonaws.com]
#     eventName: [UpdateJob, CreateDevEndpoint, UpdateDevEndpoint]
package trailguard.events.glue_job_or_dev_endpoint_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": name, "evidence": evidence} if {
	input.eventName in {"UpdateJob", "CreateDevEndpoint", "UpdateDevEndpoint"}
	input.eventSource == "glue.amazonaws.com"
	actor.counted(input)
	req := actor.request(input)
	name := object.get(req, "jobName", object.get(req, "endpointName", "(unnamed)"))
	kind := {"UpdateJob": "updated Glue job", "CreateDevEndpoint": "created Glue development endpoint", "UpdateDevEndpoint": "updated Glue development endpoint"}[input.eventName]
	keys := {k | some k in ["publicKey", "publicKeys", "addPublicKeys", "roleArn"]; object.get(req, k, null) != null}
	msg := sprintf("%s %s '%s'%s%s%s", [actor.who(input), kind, name, key_note(keys), actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName, "name": name}, object.filter(req, {"roleArn", "addPublicKeys", "publicKey", "publicKeys"}))
}

key_note(keys) := sprintf(" (request sets %s)", [concat(", ", sort(keys))]) if count(keys) > 0

key_note(keys) := "" if count(keys) == 0
