package trailguard.events.organizations_changed_test

import rego.v1

import data.trailguard.events.organizations_changed as rule

params := {"successful_only": false}

detach := {
	"eventVersion": "1.08",
	"eventSource": "organizations.amazonaws.com",
	"eventName": "DetachPolicy",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"policyId": "p-abcd1234", "targetId": "ou-ab12-cdef3456"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

# Stratus aws.defense-evasion.organizations-leave: a denied attempt from a member account role.
leave_denied := {
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

test_detach_policy_fires if {
	findings := rule.deny with input as detach with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' called organizations:DetachPolicy (policyId p-abcd1234, targetId ou-ab12-cdef3456) from 198.51.100.9",
		"evidence": {"eventName": "DetachPolicy", "policyId": "p-abcd1234", "targetId": "ou-ab12-cdef3456"},
	}}
}

test_denied_leave_counts_unless_successful_only if {
	findings := rule.deny with input as leave_denied with data.trailguard.params as params
	findings == {{
		"msg": "role 'leave-org-role' (session 'aws-go-sdk-1722587398902687000') called organizations:LeaveOrganization (failed: AccessDenied) from 203.0.113.230",
		"evidence": {"eventName": "LeaveOrganization"},
	}}
	count(rule.deny) == 0 with input as leave_denied with data.trailguard.params as {"successful_only": true}
}

test_iam_create_policy_is_not_organizations if {
	rec := object.union(detach, {"eventSource": "iam.amazonaws.com", "eventName": "CreatePolicy"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_calls_outside_the_cis_list_do_not_fire if {
	rec := object.union(detach, {"eventName": "EnableAllFeatures"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
