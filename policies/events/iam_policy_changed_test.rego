package trailguard.events.iam_policy_changed_test

import rego.v1

import data.trailguard.events.iam_policy_changed as rule

params := {"successful_only": false}

# Stratus aws.persistence.iam-create-admin-user (trimmed).
attach := {
	"eventVersion": "1.08",
	"eventSource": "iam.amazonaws.com",
	"eventName": "AttachUserPolicy",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.40",
	"recipientAccountId": "229654561268",
	"requestParameters": {"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess", "userName": "malicious-iam-user"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::229654561268:user/christophe", "accountId": "229654561268"},
}

delete_version := object.union(object.remove(attach, ["requestParameters"]), {
	"eventName": "DeletePolicyVersion",
	"requestParameters": {"policyArn": "arn:aws:iam::229654561268:policy/ci-deploy", "versionId": "v3"},
})

test_attach_fires if {
	findings := rule.deny with input as attach with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' called iam:AttachUserPolicy for policy arn:aws:iam::aws:policy/AdministratorAccess on user 'malicious-iam-user' from 203.0.113.40",
		"resource": "arn:aws:iam::aws:policy/AdministratorAccess",
		"evidence": {"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess", "userName": "malicious-iam-user"},
	}}
}

test_delete_policy_version_fires if {
	findings := rule.deny with input as delete_version with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' called iam:DeletePolicyVersion for policy arn:aws:iam::229654561268:policy/ci-deploy from 203.0.113.40"
	f.evidence == {"policyArn": "arn:aws:iam::229654561268:policy/ci-deploy", "versionId": "v3"}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(attach, {"errorCode": "AccessDenied"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' called iam:AttachUserPolicy for policy arn:aws:iam::aws:policy/AdministratorAccess on user 'malicious-iam-user' (failed: AccessDenied) from 203.0.113.40"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_organizations_create_policy_is_not_iam if {
	rec := object.union(attach, {"eventSource": "organizations.amazonaws.com", "eventName": "CreatePolicy", "requestParameters": {"name": "deny-leave", "type": "SERVICE_CONTROL_POLICY"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_other_iam_calls_do_not_fire if {
	rec := object.union(attach, {"eventName": "UpdateAssumeRolePolicy"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
