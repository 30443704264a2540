package trailguard.config.event_data_store_not_encrypted_with_cmk_test

import rego.v1

import data.trailguard.config.event_data_store_not_encrypted_with_cmk as rule
import data.trailguard.lib.testing

no_key := object.remove(testing.eds({"kms_key_id": testing.absent}), ["kms_key"])

test_missing_key_fires_at_the_header if {
	r := rule.deny with input as testing.doc_with_stores("cloudformation", [no_key])
	r == {{
		"msg": "Event data store 'audit-store' is not encrypted with a customer managed KMS key (KmsKeyId is not set)",
		"resource": "Store",
		"loc": testing.header,
		"evidence": {"state": "absent"},
	}}
}

test_terraform_attribute_name if {
	r := rule.deny with input as testing.doc_with_stores("terraform-hcl", [no_key])
	some f in r
	f.msg == "Event data store 'audit-store' is not encrypted with a customer managed KMS key (kms_key_id is not set)"
}

test_aws_managed_alias_fires if {
	s := testing.eds({
		"kms_key_id": testing.known("alias/aws/cloudtrail", 43),
		"kms_key": {"managed_by": "aws", "rotation_enabled": testing.absent},
	})
	r := rule.deny with input as testing.doc_with_stores("cloudformation", [s])
	some f in r
	f.msg == "Event data store 'audit-store' is not encrypted with a customer managed KMS key (KmsKeyId is \"alias/aws/cloudtrail\", an AWS managed key)"
	f.loc == testing.loc(43)
}

test_customer_key_passes if {
	count(rule.deny) == 0 with input as testing.doc_with_stores("cloudformation", [testing.eds({})])
}

test_unknown_key_never_fires if {
	s := testing.eds({"kms_key_id": testing.unknown("aws_kms_key.lake.arn", 43), "kms_key": {"managed_by": "unknown"}})
	count(rule.deny) == 0 with input as testing.doc_with_stores("terraform-plan", [s])
}
