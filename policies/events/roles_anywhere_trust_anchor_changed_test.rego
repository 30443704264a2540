package trailguard.events.roles_anywhere_trust_anchor_changed_test

import rego.v1

import data.trailguard.events.roles_anywhere_trust_anchor_changed as rule

params := {"successful_only": false}

# Stratus aws.persistence.rolesanywhere-create-trust-anchor (trimmed; certificate shortened).
create := {
	"eventVersion": "1.08",
	"eventSource": "rolesanywhere.amazonaws.com",
	"eventName": "CreateTrustAnchor",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.140",
	"recipientAccountId": "791182566784",
	"requestParameters": {
		"enabled": true,
		"name": "malicious-trust-anchor",
		"source": {"sourceData": {"x509CertificateData": "-----BEGIN CERTIFICATE-----\nMIIE3zCCAsegAwIBAgIJAOZLUn\n-----END CERTIFICATE-----"}, "sourceType": "CERTIFICATE_BUNDLE"},
	},
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::791182566784:user/christophe", "accountId": "791182566784"},
}

test_create_trust_anchor_fires if {
	findings := rule.deny with input as create with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' created IAM Roles Anywhere trust anchor 'malicious-trust-anchor' (CERTIFICATE_BUNDLE) from 203.0.113.140",
		"resource": "malicious-trust-anchor",
		"evidence": {"eventName": "CreateTrustAnchor", "trustAnchor": "malicious-trust-anchor", "sourceType": "CERTIFICATE_BUNDLE", "enabled": true},
	}}
}

test_update_fires if {
	rec := object.union(object.remove(create, ["requestParameters"]), {"eventName": "UpdateTrustAnchor", "requestParameters": {"trustAnchorId": "0a1b2c3d-4e5f-6789-abcd-ef0123456789", "source": {"sourceType": "AWS_ACM_PCA"}}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' updated IAM Roles Anywhere trust anchor '0a1b2c3d-4e5f-6789-abcd-ef0123456789' (AWS_ACM_PCA) from 203.0.113.140"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(create, {"errorCode": "ValidationException"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_profiles_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(create, {"eventName": "CreateProfile"}) with data.trailguard.params as params
}
