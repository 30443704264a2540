# METADATA
# title: Account left the organization or organization-wide security was switched off
# description: >-
#   An account left the organization (LeaveOrganization) or was removed from it, or the
#   management account disabled the organization-wide integration of a security or logging
#   service (DisableAWSServiceAccess) or deregistered its delegated administrator
#   (DeregisterDelegatedAdministrator) for CloudTrail, Config, GuardDuty, Security Hub, IAM
#   Access Analyzer, Macie, Inspector, Detective, Firewall Manager or IAM Identity Center. Out
#   of the organization, an account escapes service control policies and the organization
#   trail; without the integration, the security service stops covering member accounts.
#   Failed attempts count unless `successful_only` is true: the Stratus detonation of this
#   technique is a denied LeaveOrganization. LeaveOrganization and
#   RemoveAccountFromOrganization are also CIS 4.15 changes (TGE015).
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.organizations-leave/
# custom:
#   id: TGE041
#   name: organization-guardrails-evaded
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Find out who in the account made the call and why. Deny organizations:LeaveOrganization
#       with an SCP, re-invite accounts that left, and re-enable trusted access and delegated
#       administrators for the security services (`aws organizations enable-aws-service-access`).
#   frameworks:
#     pci-dss-v4.0: ["10.7.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "AU-9", "SI-4"]
#     mitre-attack: ["T1666", "T1562.001"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [organizations.amazonaws.com]
#     eventName: [LeaveOrganization, RemoveAccountFromOrganization, DisableAWSServiceAccess, DeregisterDelegatedAdministrator]
package trailguard.events.organization_guardrails_evaded

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName in {"LeaveOrganization", "RemoveAccountFromOrganization", "DisableAWSServiceAccess", "DeregisterDelegatedAdministrator"}
	input.eventSource == "organizations.amazonaws.com"
	description := what
	actor.counted(input)
	msg := sprintf("%s %s%s%s", [actor.who(input), description, actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName}, object.filter(actor.request(input), {"accountId", "servicePrincipal"}))
}

security_services := {
	"cloudtrail.amazonaws.com", "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com",
	"guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com", "securityhub.amazonaws.com",
	"access-analyzer.amazonaws.com", "macie.amazonaws.com", "inspector2.amazonaws.com",
	"detective.amazonaws.com", "fms.amazonaws.com", "sso.amazonaws.com",
}

what := sprintf("took account %s out of the organization", [actor.account(input)]) if {
	input.eventName == "LeaveOrganization"
} else := sprintf("removed account %s from the organization", [object.get(actor.request(input), "accountId", "(unknown)")]) if {
	input.eventName == "RemoveAccountFromOrganization"
} else := sprintf("disabled organization-wide access for %s", [input.requestParameters.servicePrincipal]) if {
	input.eventName == "DisableAWSServiceAccess"
	input.requestParameters.servicePrincipal in security_services
} else := sprintf("deregistered account %s as delegated administrator for %s", [object.get(actor.request(input), "accountId", "(unknown)"), input.requestParameters.servicePrincipal]) if {
	input.eventName == "DeregisterDelegatedAdministrator"
	input.requestParameters.servicePrincipal in security_services
}
