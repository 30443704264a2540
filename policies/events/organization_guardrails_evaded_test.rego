package trailguard.events.organization_guardrails_evaded_test

import rego.v1

import data.trailguard.events.organization_guardrails_evaded as rule

params := {"successful_only": false}

# Stratus aws.defense-evasion.organizations-leave (trimmed): denied by the account's policy.
leave := {
	"eventVersion": "1.09",
	"eventSource": "organizations.amazonaws.com",
	"eventName": "LeaveOrganization",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"errorCode": "AccessDenied",
	"sourceIPAddress": "203.0.113.230",
	"recipientAccountId": "307578594326",
	"requestParameters": null,
	"responseElements": null,
	"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAHKPEEQ9BHUOX4D93T:aws-go-sdk-1722587398902687000",
		"accountId": "307578594326",
		"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "leave-org-role", "arn": "arn:aws:iam::307578594326:role/leave-org-role"}},
	},
}

disable := {
	"eventVersion": "1.08",
	"eventSource": "organizations.amazonaws.com",
	"eventName": "DisableAWSServiceAccess",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"servicePrincipal": "guardduty.amazonaws.com"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_denied_leave_fires_unless_successful_only if {
	findings := rule.deny with input as leave with data.trailguard.params as params
	findings == {{
		"msg": "role 'leave-org-role' (session 'aws-go-sdk-1722587398902687000') took account 307578594326 out of the organization (failed: AccessDenied) from 203.0.113.230",
		"evidence": {"eventName": "LeaveOrganization"},
	}}
	count(rule.deny) == 0 with input as leave with data.trailguard.params as {"successful_only": true}
}

test_security_service_access_disabled_fires if {
	findings := rule.deny with input as disable with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' disabled organization-wide access for guardduty.amazonaws.com from 198.51.100.9"
}

test_other_services_do_not_fire if {
	rec := object.union(disable, {"requestParameters": {"servicePrincipal": "ram.amazonaws.com"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_delegated_admin_and_removal if {
	dereg := object.union(disable, {"eventName": "DeregisterDelegatedAdministrator", "requestParameters": {"accountId": "444455556666", "servicePrincipal": "securityhub.amazonaws.com"}})
	findings := rule.deny with input as dereg with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' deregistered account 444455556666 as delegated administrator for securityhub.amazonaws.com from 198.51.100.9"
	removal := object.union(object.remove(disable, ["requestParameters"]), {"eventName": "RemoveAccountFromOrganization", "requestParameters": {"accountId": "444455556666"}})
	count(rule.deny) == 1 with input as removal with data.trailguard.params as params
}
