# METADATA
# title: Console password created or reset for an IAM user
# description: >-
#   A login profile (console password) was created for an IAM user, or another principal reset
#   a user's password with UpdateLoginProfile. Both give whoever chose the password console
#   access as that user: a backdoor when the user had none, an account takeover when it was
#   someone else's. Users changing their own password use ChangePassword and are not reported.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-user-login-profile/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.privilege-escalation.iam-update-user-login-profile/
# custom:
#   id: TGE022
#   name: console-password-set-for-user
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm with the user's owner. If the password was not requested, delete the login
#       profile (`aws iam delete-login-profile`) or reset it with passwordResetRequired, look for
#       ConsoleLogin events of that user since the change, and review the actor's session.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.308(a)(4)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["IA-5", "AC-2"]
#     mitre-attack: ["T1098.001"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [iam.amazonaws.com]
#     eventName: [CreateLoginProfile, UpdateLoginProfile]
package trailguard.events.console_password_set_for_user

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": target, "evidence": evidence} if {
	input.eventName in {"CreateLoginProfile", "UpdateLoginProfile"}
	input.eventSource == "iam.amazonaws.com"
	target := input.requestParameters.userName
	is_string(target)
	not own_profile(target)
	actor.counted(input)
	verb := {"CreateLoginProfile": "created a console password for", "UpdateLoginProfile": "reset the console password of"}[input.eventName]
	msg := sprintf("%s %s IAM user '%s'%s%s", [actor.who(input), verb, target, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName, "userName": target}, object.filter(actor.request(input), {"passwordResetRequired"}))
}

own_profile(target) if {
	input.userIdentity.type == "IAMUser"
	input.userIdentity.userName == target
}
