package trailguard.events.role_trusts_external_principal_test

import rego.v1

import data.trailguard.events.role_trusts_external_principal as rule

params := {"trusted_accounts": [], "successful_only": false}

# Stratus aws.persistence.iam-backdoor-role (trimmed).
backdoor := {
	"eventVersion": "1.08",
	"eventSource": "iam.amazonaws.com",
	"eventName": "UpdateAssumeRolePolicy",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.70",
	"recipientAccountId": "751203476945",
	"requestParameters": {
		"policyDocument": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\n        \"Service\": \"ec2.amazonaws.com\"\n      },\n      \"Action\": \"sts:AssumeRole\"\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\n        \"AWS\": \"arn:aws:iam::193672423079:root\"\n      },\n      \"Action\": \"sts:AssumeRole\"\n    }\n  ]\n}",
		"roleName": "backdoor-role",
	},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::751203476945:user/christophe", "accountId": "751203476945"},
}

with_doc(doc) := object.union(backdoor, {"requestParameters": {"policyDocument": doc}})

test_external_account_fires if {
	findings := rule.deny with input as backdoor with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' changed the trust policy of role 'backdoor-role' to allow arn:aws:iam::193672423079:root from 203.0.113.70",
		"resource": "backdoor-role",
		"evidence": {"eventName": "UpdateAssumeRolePolicy", "roleName": "backdoor-role", "untrustedPrincipals": ["arn:aws:iam::193672423079:root"]},
	}}
}

test_trusted_account_does_not_fire if {
	count(rule.deny) == 0 with input as backdoor with data.trailguard.params as {"trusted_accounts": ["193672423079"], "successful_only": false}
}

test_own_account_and_services_do_not_fire if {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::751203476945:role/ci","751203476945"],"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	count(rule.deny) == 0 with input as with_doc(doc) with data.trailguard.params as params
}

test_wildcard_principal_fires if {
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}}`
	findings := rule.deny with input as with_doc(doc) with data.trailguard.params as params
	some f in findings
	f.evidence.untrustedPrincipals == ["*"]
	aws_star := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`
	count(rule.deny) == 1 with input as with_doc(aws_star) with data.trailguard.params as params
}

test_bare_account_id_fires if {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"}]}`
	findings := rule.deny with input as with_doc(doc) with data.trailguard.params as params
	some f in findings
	f.evidence.untrustedPrincipals == ["444455556666"]
}

test_create_role_with_external_trust_fires if {
	rec := object.union(object.remove(backdoor, ["requestParameters", "eventName"]), {
		"eventName": "CreateRole",
		"requestParameters": {
			"roleName": "malicious-iam-role",
			"assumeRolePolicyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::193672423079:root"},"Action":"sts:AssumeRole"}]}`,
		},
	})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' created role 'malicious-iam-role' trusting arn:aws:iam::193672423079:root from 203.0.113.70"
}

test_deny_statements_do_not_fire if {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`
	count(rule.deny) == 0 with input as with_doc(doc) with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(backdoor, {"errorCode": "MalformedPolicyDocument"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trusted_accounts": [], "successful_only": true}
}
