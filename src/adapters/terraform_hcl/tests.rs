//! HCL adapter tests: the fixture modules (the same ones the plan fixtures are generated from)
//! and small inline modules for the evaluation rules.

use super::*;
use crate::model::{Bucket, Document, Field, Loc, State, Trail};
use serde_json::json;

fn fixture_dir(name: &str) -> String {
    format!(
        "{}/tests/fixtures/config/terraform/hcl/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The `.tf` files of a fixture module, as the caller would group them.
fn read_module(name: &str) -> (String, Vec<(String, String)>) {
    let dir = fixture_dir(name);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixture dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).expect("fixture file");
            files.push((path.display().to_string(), text));
        }
    }
    (dir, files)
}

fn document(adapted: Adapted) -> (Document, Vec<InputError>) {
    match adapted {
        Adapted::Document(doc, errors) => (doc, errors),
        Adapted::Skipped(reason) => panic!("skipped: {reason}"),
    }
}

fn module(name: &str) -> Document {
    let (dir, files) = read_module(name);
    let (doc, errors) = document(adapt_module(&dir, &files));
    assert_eq!(errors, vec![]);
    assert_eq!(doc.path, dir);
    assert_eq!(doc.format, Format::TerraformHcl);
    doc
}

fn inline(text: &str) -> (Document, Vec<InputError>) {
    document(adapt_module(
        "mod",
        &[("mod/main.tf".to_string(), text.to_string())],
    ))
}

fn trail<'a>(doc: &'a Document, id: &str) -> &'a Trail {
    doc.trails.iter().find(|t| t.id == id).expect("trail")
}

fn bucket<'a>(doc: &'a Document, id: &str) -> &'a Bucket {
    doc.buckets.iter().find(|b| b.id == id).expect("bucket")
}

fn at(f: &Field) -> (&str, u32, u32) {
    (
        f.loc.path.rsplit('/').next().unwrap_or_default(),
        f.loc.line,
        f.loc.column,
    )
}

fn header(loc: &Loc) -> (&str, u32, u32, u32) {
    (
        loc.path.rsplit('/').next().unwrap_or_default(),
        loc.line,
        loc.column,
        loc.end_column,
    )
}

#[test]
fn compliant_module_resolves_variables_locals_and_references() {
    let doc = module("compliant");
    assert_eq!(doc.trails.len(), 1);
    let t = trail(&doc, "aws_cloudtrail.main");
    assert_eq!(header(&t.loc), ("main.tf", 43, 1, 33));

    assert_eq!(t.name.value, Some(json!("acme-audit")));
    assert_eq!(t.name.expr.as_deref(), Some("var.trail_name"));
    assert_eq!(
        t.name.note.as_deref(),
        Some("resolved from variable trail_name's default")
    );
    assert_eq!(at(&t.name), ("main.tf", 44, 35));
    assert_eq!(t.s3_key_prefix.value, Some(json!("audit")));
    assert_eq!(
        t.s3_key_prefix.note.as_deref(),
        Some("resolved from local log_prefix")
    );

    assert_eq!(t.kms_key_id.state, State::Known);
    assert_eq!(t.kms_key_id.value, Some(json!("aws_kms_key.trail.arn")));
    assert_eq!(t.kms_key_id.expr.as_deref(), Some("aws_kms_key.trail.arn"));
    assert_eq!(at(&t.kms_key_id), ("main.tf", 47, 35));
    let key = t.kms_key.as_ref().expect("key");
    assert_eq!(
        (key.managed_by.as_str(), key.resource_id.as_deref()),
        ("customer", Some("aws_kms_key.trail"))
    );
    assert_eq!(key.rotation_enabled.value, Some(json!(true)));
    assert_eq!(at(&key.rotation_enabled), ("main.tf", 12, 29));

    // "${...arn}:*": known by resolution to the log group.
    assert_eq!(
        t.cloudwatch_logs_group_arn.value,
        Some(json!("${aws_cloudwatch_log_group.trail.arn}:*"))
    );
    assert_eq!(
        t.cloudwatch_logs_group_arn
            .resolved
            .as_ref()
            .map(|r| r.id.as_str()),
        Some("aws_cloudwatch_log_group.trail")
    );
    assert_eq!(at(&t.cloudwatch_logs_group_arn), ("main.tf", 51, 35));
    assert_eq!(
        t.cloudwatch_logs_role_arn.value,
        Some(json!("aws_iam_role.cloudtrail_to_cloudwatch.arn"))
    );
    // A topic's name follows from its literal `name`.
    assert_eq!(t.sns_topic.value, Some(json!("cloudtrail-delivery")));
    assert_eq!(
        t.sns_topic.expr.as_deref(),
        Some("aws_sns_topic.trail.name")
    );
    // A bucket's id is its name, which comes from a variable default.
    assert_eq!(
        t.s3_bucket_name.value,
        Some(json!("acme-cloudtrail-logs-111122223333"))
    );
    assert_eq!(
        t.s3_bucket_name.resolved.as_ref().map(|r| r.id.as_str()),
        Some("aws_s3_bucket.logs")
    );

    assert_eq!(t.is_multi_region.value, Some(json!(true)));
    assert_eq!(t.is_logging.value, Some(json!(true)));
    assert!(t.is_logging.defaulted);
    assert_eq!(t.is_logging.loc, t.loc);
    assert_eq!(t.is_organization_trail.value, Some(json!(false)));
    assert!(t.is_organization_trail.defaulted);
    assert_eq!(t.arn.state, State::Unknown);
    assert_eq!(
        t.event_selectors.value,
        Some(json!([{
            "read_write_type": "All",
            "include_management_events": true,
            "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
            "exclude_management_event_sources": [],
        }]))
    );
    assert_eq!(at(&t.event_selectors), ("main.tf", 55, 3));
    assert_eq!(
        t.insight_selectors.value,
        Some(json!(["ApiCallRateInsight", "ApiErrorRateInsight"]))
    );
}

#[test]
fn compliant_module_merges_split_bucket_resources_and_evaluates_jsonencode() {
    let doc = module("compliant");
    let t = trail(&doc, "aws_cloudtrail.main");
    let b = t.bucket.as_ref().expect("bucket");
    assert_eq!(b, bucket(&doc, "aws_s3_bucket.logs"));
    assert_eq!(header(&b.loc), ("bucket.tf", 1, 1, 32));
    assert_eq!(
        b.public_access_block.value,
        Some(json!({
            "block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true,
        }))
    );
    assert_eq!(header(&b.public_access_block.loc), ("bucket.tf", 10, 1, 52));
    assert_eq!(
        b.versioning.value,
        Some(json!({"status": "Enabled", "mfa_delete": "Enabled"}))
    );
    assert_eq!(at(&b.versioning), ("bucket.tf", 22, 3));
    assert_eq!(
        b.logging.value,
        Some(
            json!({"target_bucket": "acme-s3-access-logs-111122223333", "target_prefix": "cloudtrail/"})
        )
    );
    let arn = "arn:aws:s3:::acme-cloudtrail-logs-111122223333";
    assert_eq!(
        b.policy.value,
        Some(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
                 "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:GetBucketAcl", "Resource": arn},
                {"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
                 "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:PutObject", "Resource": format!("{arn}/audit/AWSLogs/*"),
                 "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
                {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                 "Action": "s3:*", "Resource": [arn, format!("{arn}/*")],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            ],
        }))
    );
    assert_eq!(at(&b.policy), ("bucket.tf", 37, 12));
    assert_eq!(b.acl.state, State::Absent);
    assert_eq!(doc.buckets.len(), 2);
}

#[test]
fn noncompliant_module_reads_legacy_inline_settings_and_heredoc_policy() {
    let doc = module("noncompliant");
    let legacy = trail(&doc, "aws_cloudtrail.legacy");
    assert_eq!(legacy.is_logging.value, Some(json!(false)));
    assert_eq!(at(&legacy.is_logging), ("main.tf", 38, 32));
    // A variable without default: unknown, never absent.
    assert_eq!(legacy.cloudwatch_logs_group_arn.state, State::Unknown);
    assert_eq!(
        legacy.cloudwatch_logs_group_arn.expr.as_deref(),
        Some("var.log_group_arn")
    );
    assert_eq!(at(&legacy.cloudwatch_logs_group_arn), ("main.tf", 40, 32));
    assert_eq!(legacy.kms_key_id.state, State::Absent);
    assert_eq!(legacy.kms_key_id.loc, legacy.loc);
    let b = legacy.bucket.as_ref().expect("bucket by literal name");
    assert_eq!(b.id, "aws_s3_bucket.trail");
    assert_eq!(b.acl.value, Some(json!("public-read")));
    assert_eq!(at(&b.acl), ("main.tf", 11, 12));
    assert_eq!(
        b.policy.value,
        Some(json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::legacy-trail-logs/*"}]}))
    );
    assert_eq!(at(&b.policy), ("main.tf", 21, 12));
    assert_eq!(
        b.versioning.value,
        Some(json!({"status": "Enabled", "mfa_delete": "Disabled"}))
    );
    assert_eq!(
        b.logging.value,
        Some(json!({"target_bucket": "legacy-access-logs", "target_prefix": ""}))
    );

    let regional = trail(&doc, "aws_cloudtrail.regional");
    // "true" is a bool to Terraform.
    assert_eq!(regional.is_logging.value, Some(json!(true)));
    assert_eq!(
        regional.kms_key.as_ref().map(|k| k.managed_by.as_str()),
        Some("aws")
    );
    let shared = regional
        .bucket
        .as_ref()
        .expect("bucket by reference to .bucket");
    assert_eq!(
        shared.grants.value,
        Some(json!([
            {"grantee": "AllUsers", "permission": "READ"},
            {"grantee": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "permission": "FULL_CONTROL"},
        ]))
    );
    assert_eq!(at(&shared.grants), ("main.tf", 56, 3));
    // Matched by literal bucket name.
    assert_eq!(
        shared.versioning.value,
        Some(json!({"status": "Suspended", "mfa_delete": "Disabled"}))
    );
}

#[test]
fn advanced_selectors_derive_bucket_arns() {
    let doc = module("advanced");
    let t = trail(&doc, "aws_cloudtrail.data_events");
    assert_eq!(t.event_selectors.state, State::Absent);
    let selectors = t.advanced_event_selectors.value.as_ref().expect("known");
    assert_eq!(
        selectors[1]["field_selectors"][3],
        json!({
            "field": "resources.ARN", "equals": [], "not_equals": [],
            "starts_with": ["arn:aws:s3:::acme-payments-cardholder-data/"],
            "not_starts_with": [], "ends_with": [], "not_ends_with": [],
        })
    );
    assert_eq!(selectors[1]["name"], json!("Cardholder data writes"));
    let lake = &doc.event_data_stores[0];
    assert_eq!(lake.id, "aws_cloudtrail_event_data_store.lake");
    assert_eq!(lake.retention_period.value, Some(json!(90)));
    assert_eq!(lake.multi_region_enabled.value, Some(json!(true)));
    assert!(lake.multi_region_enabled.defaulted);
    assert_eq!(
        lake.kms_key.as_ref().and_then(|k| k.resource_id.as_deref()),
        Some("aws_kms_key.lake")
    );
    assert_eq!(
        lake.kms_key.as_ref().map(|k| (
            k.rotation_enabled.value.clone(),
            k.rotation_enabled.defaulted
        )),
        Some((Some(json!(false)), true))
    );
}

#[test]
fn counted_resources_are_one_resource_and_module_inputs_are_unknown() {
    let doc = module("org/modules/audit");
    let ids: Vec<&str> = doc.trails.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec!["aws_cloudtrail.this", "aws_cloudtrail.regional"]);
    let this = trail(&doc, "aws_cloudtrail.this");
    assert_eq!(this.name.state, State::Unknown);
    assert_eq!(this.name.expr.as_deref(), Some(r#""org-${each.key}""#));
    assert_eq!(
        this.is_multi_region.expr.as_deref(),
        Some("each.value.multi_region")
    );
    assert_eq!(this.s3_bucket_name.expr.as_deref(), Some("var.bucket_name"));
    assert_eq!(
        this.kms_key.as_ref().map(|k| k.managed_by.as_str()),
        Some("unknown")
    );
    assert_eq!(this.is_organization_trail.value, Some(json!(true)));
    let lake = module("org/modules/audit/lake");
    assert_eq!(
        lake.event_data_stores[0].retention_period.value,
        Some(json!(400))
    );
    assert_eq!(
        lake.event_data_stores[0].retention_period.note.as_deref(),
        Some("resolved from variable retention_days's default")
    );
}

#[test]
fn module_outputs_and_other_indirections_stay_unknown() {
    let doc = module("kms-unknown");
    let from_module = trail(&doc, "aws_cloudtrail.from_module");
    assert_eq!(from_module.kms_key_id.state, State::Unknown);
    assert_eq!(
        from_module.kms_key_id.expr.as_deref(),
        Some("module.kms.key_arn")
    );
    let indirect = trail(&doc, "aws_cloudtrail.indirect");
    assert_eq!(indirect.kms_key_id.state, State::Unknown);
    assert_eq!(
        indirect.kms_key_id.expr.as_deref(),
        Some("terraform_data.key_arn.output")
    );
}

#[test]
fn module_without_cloudtrail_is_skipped() {
    let (dir, files) = read_module("org");
    match adapt_module(&dir, &files) {
        Adapted::Skipped(reason) => assert_eq!(
            reason,
            "Terraform module without aws_cloudtrail or aws_cloudtrail_event_data_store resources"
        ),
        Adapted::Document(..) => panic!("expected skip"),
    }
}

#[test]
fn a_broken_file_is_reported_and_the_others_are_read() {
    let files = vec![
        (
            "m/broken.tf".to_string(),
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n".to_string(),
        ),
        (
            "m/main.tf".to_string(),
            "resource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n}\n".to_string(),
        ),
    ];
    let (doc, errors) = document(adapt_module("m", &files));
    assert_eq!(doc.trails.len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].path.as_str(), errors[0].line, errors[0].column),
        ("m/broken.tf", Some(2), Some(12))
    );
    assert!(
        errors[0].message.starts_with("HCL parse error: "),
        "{}",
        errors[0].message
    );
}

#[test]
fn unevaluable_expressions_keep_their_text() {
    let (doc, errors) = inline(
        r#"
variable "region_count" { default = 2 }
data "aws_kms_key" "shared" { key_id = "alias/shared" }
resource "aws_cloudtrail" "t" {
  name                  = "t"
  is_multi_region_trail = var.region_count > 1 ? true : false
  kms_key_id            = data.aws_kms_key.shared.arn
  s3_bucket_name        = lower("LOGS")

  dynamic "event_selector" {
    for_each = ["a"]
    content { read_write_type = "All" }
  }
}
"#,
    );
    assert_eq!(errors, vec![]);
    let t = trail(&doc, "aws_cloudtrail.t");
    assert_eq!(t.is_multi_region.state, State::Unknown);
    assert_eq!(
        t.is_multi_region.expr.as_deref(),
        Some("var.region_count > 1 ? true : false")
    );
    assert_eq!(
        t.kms_key_id.expr.as_deref(),
        Some("data.aws_kms_key.shared.arn")
    );
    assert_eq!(
        t.kms_key.as_ref().map(|k| k.managed_by.as_str()),
        Some("unknown")
    );
    assert_eq!(t.s3_bucket_name.expr.as_deref(), Some(r#"lower("LOGS")"#));
    assert_eq!(t.event_selectors.state, State::Unknown);
    assert_eq!(
        t.event_selectors.expr.as_deref(),
        Some(r#"dynamic "event_selector" block"#)
    );
    assert_eq!(
        (t.event_selectors.loc.line, t.event_selectors.loc.column),
        (10, 3)
    );
    assert_eq!(t.advanced_event_selectors.state, State::Absent);
}

#[test]
fn aliases_counted_references_locals_and_indented_heredocs() {
    let (doc, errors) = inline(
        r#"
locals {
  name   = "audit-${local.suffix}"
  suffix = "prod"
  cfg    = { validation = true, regions = ["us-east-1"] }
}
resource "aws_kms_key" "k" { enable_key_rotation = "true" }
resource "aws_kms_alias" "a" {
  name          = "alias/audit"
  target_key_id = aws_kms_key.k.key_id
}
resource "aws_s3_bucket" "logs" {
  count  = 1
  bucket = "logs-${local.suffix}"

  grant {
    type        = "Group"
    uri         = "http://acs.amazonaws.com/groups/s3/LogDelivery"
    permissions = ["READ_ACP", "WRITE"]
  }
}
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs[0].id
  policy = <<-EOT
    {"Statement": {"Effect": "Allow", "Principal": "*",
      "Resource": "${aws_s3_bucket.logs[0].arn}/*",
      "Condition": {"StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.me.account_id}"}}}}
  EOT
}
resource "aws_s3_bucket" "generated" { bucket_prefix = "tmp-" }
resource "aws_cloudtrail" "t" {
  name                       = local.name
  s3_bucket_name             = aws_s3_bucket.logs[0].id
  kms_key_id                 = aws_kms_alias.a.arn
  enable_log_file_validation = local.cfg.validation
  insight_selector { insight_type = "ApiCallRateInsight" }
}
resource "aws_cloudtrail" "t" { name = "again" }
"#,
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].line, errors[0].message.as_str()),
        (
            Some(38),
            "duplicate resource aws_cloudtrail.t (first declared at mod/main.tf:31); this one is not checked"
        )
    );
    let t = trail(&doc, "aws_cloudtrail.t");
    assert_eq!(t.name.value, Some(json!("audit-prod")));
    assert_eq!(t.log_file_validation.value, Some(json!(true)));
    assert_eq!(
        t.log_file_validation.note.as_deref(),
        Some("resolved from local cfg")
    );
    let key = t.kms_key.as_ref().expect("key");
    assert_eq!(key.resource_id.as_deref(), Some("aws_kms_alias.a"));
    assert_eq!(key.rotation_enabled.value, Some(json!(true)));
    assert_eq!(t.kms_key_id.value, Some(json!("aws_kms_alias.a.arn")));
    assert!(t.event_selectors.defaulted);
    assert_eq!(
        t.event_selectors.value,
        Some(
            json!([{"read_write_type": "All", "include_management_events": true,
            "data_resources": [], "exclude_management_event_sources": []}])
        )
    );
    let b = t.bucket.as_ref().expect("counted bucket");
    assert_eq!(b.name.value, Some(json!("logs-prod")));
    assert_eq!(
        b.grants.value,
        Some(json!([
            {"grantee": "LogDelivery", "permission": "READ_ACP"},
            {"grantee": "LogDelivery", "permission": "WRITE"},
        ]))
    );
    // Known parts are evaluated, the rest kept as its ${...} text.
    assert_eq!(
        b.policy.value,
        Some(json!({"Statement": [{"Effect": "Allow", "Principal": "*",
            "Resource": "arn:aws:s3:::logs-prod/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.me.account_id}"}}}]}))
    );
    let generated = bucket(&doc, "aws_s3_bucket.generated");
    assert_eq!(generated.name.state, State::Unknown);
    assert_eq!(
        generated.name.expr.as_deref(),
        Some(r#"name generated from bucket_prefix tmp-"#)
    );
}

#[test]
fn an_invalid_policy_literal_is_an_error_with_its_position() {
    let (doc, errors) = inline(
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  policy = \"{not json\"\n}\nresource \"aws_cloudtrail\" \"t\" {\n  s3_bucket_name = \"b\"\n}\n",
    );
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (Some(3), Some(12)));
    assert!(
        errors[0]
            .message
            .starts_with("bucket policy is not valid JSON"),
        "{}",
        errors[0].message
    );
    let t = trail(&doc, "aws_cloudtrail.t");
    assert_eq!(t.name.state, State::Absent);
    assert_eq!(
        t.bucket.as_ref().map(|b| b.policy.state),
        Some(State::Unknown)
    );
}

#[test]
fn override_files_replace_attributes_and_block_types() {
    let files = vec![
        (
            "m/main.tf".to_string(),
            r#"variable "name" { default = "audit" }
resource "aws_cloudtrail" "t" {
  name                       = var.name
  enable_log_file_validation = true
  event_selector { read_write_type = "All" }
}
"#
            .to_string(),
        ),
        (
            "m/a_override.tf".to_string(),
            r#"variable "name" { description = "keeps the default" }
resource "aws_cloudtrail" "t" {
  enable_log_file_validation = false
  event_selector { read_write_type = "WriteOnly" }
}
resource "aws_cloudtrail" "orphan" { name = "x" }
"#
            .to_string(),
        ),
    ];
    let (doc, errors) = document(adapt_module("m", &files));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (
            errors[0].path.as_str(),
            errors[0].line,
            errors[0].message.as_str()
        ),
        (
            "m/a_override.tf",
            Some(6),
            "override for resource aws_cloudtrail.orphan, which no other file declares; it is not checked"
        )
    );
    assert_eq!(doc.trails.len(), 1);
    let t = trail(&doc, "aws_cloudtrail.t");
    assert_eq!(t.name.value, Some(json!("audit")));
    assert_eq!(t.log_file_validation.value, Some(json!(false)));
    assert_eq!(at(&t.log_file_validation), ("a_override.tf", 3, 32));
    assert_eq!(
        t.event_selectors
            .value
            .as_ref()
            .map(|v| v[0]["read_write_type"].clone()),
        Some(json!("WriteOnly"))
    );
    assert_eq!(
        t.event_selectors
            .value
            .as_ref()
            .map(|v| v.as_array().map(Vec::len)),
        Some(Some(1))
    );
}
