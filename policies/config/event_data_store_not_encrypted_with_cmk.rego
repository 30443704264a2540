# METADATA
# title: CloudTrail Lake event data store is not encrypted with a customer managed key
# description: |
#   Without a KMS key, an event data store is encrypted with a key that AWS owns, so access to
#   the events is governed by CloudTrail permissions alone. A customer managed key adds a key
#   policy you control and a logged kms:Decrypt for every read. The key can only be set when the
#   store is created.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-encryption.html
# custom:
#   id: TGC020
#   name: event-data-store-not-encrypted-with-cmk
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: Set `KmsKeyId` on the AWS::CloudTrail::EventDataStore to a customer managed key (for example `!GetAtt LakeKey.Arn`); this replaces the store, so export what you need first.
#     terraform: Set `kms_key_id` on the aws_cloudtrail_event_data_store to a customer managed key ARN (for example `aws_kms_key.lake.arn`); this replaces the store.
#     live: Create a new event data store with `aws cloudtrail create-event-data-store --kms-key-id <key-arn> ...` and move ingestion to it; the key of an existing store cannot be changed.
#   frameworks:
#     pci-dss-v4.0: ["10.3.1", "10.3.2"]
#     pci-dss-v3.2.1: ["10.5.1", "10.5.2"]
#     hipaa-security-rule: ["164.312(a)(2)(iv)"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["AU-9(3)", "SC-12", "SC-28(1)"]
package trailguard.config.event_data_store_not_encrypted_with_cmk

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields

deny contains finding if {
	some s in input.event_data_stores
	fields.unset(s.kms_key_id)
	finding := {
		"msg": sprintf("Event data store '%s' is not encrypted with a customer managed KMS key (%s)", [
			fields.name_of(s),
			fields.describe(s.kms_key_id, attrs.eds("kms_key_id")),
		]),
		"resource": s.id,
		"loc": s.kms_key_id.loc,
		"evidence": fields.evidence(s.kms_key_id),
	}
}

deny contains finding if {
	some s in input.event_data_stores
	s.kms_key.managed_by == "aws"
	finding := {
		"msg": sprintf("Event data store '%s' is not encrypted with a customer managed KMS key (%s, an AWS managed key)", [
			fields.name_of(s),
			fields.describe(s.kms_key_id, attrs.eds("kms_key_id")),
		]),
		"resource": s.id,
		"loc": s.kms_key_id.loc,
		"evidence": object.union(fields.evidence(s.kms_key_id), {"managed_by": "aws"}),
	}
}
