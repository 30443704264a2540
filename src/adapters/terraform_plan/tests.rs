//! Plan adapter tests on real `terraform show -json` output (see
//! tests/fixtures/config/terraform/regenerate-plans.sh). Line numbers are asserted together
//! with the text on that line, so a regenerated fixture that moves lines fails loudly.

use super::*;
use crate::model::{Bucket, Document, EventDataStore, Field, State, Trail};
use serde_json::json;

fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/config/terraform/plan/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn plan(name: &str) -> Document {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let root = crate::syntax::json::parse(&text).expect("fixture parses");
    assert!(looks_like_plan(&root));
    match adapt(&path, &root) {
        Adapted::Document(doc, errors) => {
            assert_eq!(errors, vec![]);
            doc
        }
        Adapted::Skipped(reason) => panic!("skipped: {reason}"),
    }
}

fn adapt_text(text: &str) -> Adapted {
    let root = crate::syntax::json::parse(text).expect("test JSON parses");
    adapt("inline.json", &root)
}

/// The text of a 1-based line of a fixture.
fn line(name: &str, n: u32) -> String {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
    text.lines()
        .nth(n as usize - 1)
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn trail<'a>(doc: &'a Document, id: &str) -> &'a Trail {
    doc.trails.iter().find(|t| t.id == id).expect("trail")
}

fn bucket<'a>(doc: &'a Document, id: &str) -> &'a Bucket {
    doc.buckets.iter().find(|b| b.id == id).expect("bucket")
}

fn store<'a>(doc: &'a Document, id: &str) -> &'a EventDataStore {
    doc.event_data_stores
        .iter()
        .find(|s| s.id == id)
        .expect("store")
}

fn resolved_id(f: &Field) -> Option<&str> {
    f.resolved.as_ref().map(|r| r.id.as_str())
}

#[test]
fn recognizes_plans_and_states_only() {
    let yes = [
        r#"{"format_version":"1.2","planned_values":{}}"#,
        r#"{"format_version":"1.0","resource_changes":[]}"#,
        r#"{"format_version":"1.0","values":{"root_module":{}}}"#,
    ];
    for text in yes {
        assert!(
            looks_like_plan(&crate::syntax::json::parse(text).unwrap()),
            "{text}"
        );
    }
    let no = [
        r#"{"planned_values":{}}"#,
        r#"{"format_version":"1.0","values":{}}"#,
        r#"{"Resources":{}}"#,
    ];
    for text in no {
        assert!(
            !looks_like_plan(&crate::syntax::json::parse(text).unwrap()),
            "{text}"
        );
    }
}

#[test]
fn compliant_plan_resolves_references_known_only_after_apply() {
    let name = "compliant.json";
    let doc = plan(name);
    assert_eq!(doc.format, Format::TerraformPlan);
    assert_eq!(doc.path, fixture_path(name));
    assert_eq!(doc.trails.len(), 1);
    let t = trail(&doc, "aws_cloudtrail.main");
    assert_eq!(t.resource_type, "aws_cloudtrail");
    assert_eq!(t.loc.line, 19);
    assert_eq!(line(name, 19), r#""address": "aws_cloudtrail.main","#);

    assert_eq!(t.name.value, Some(json!("acme-audit")));
    assert_eq!((t.name.loc.line, t.name.loc.column), (55, 21));
    assert_eq!(t.s3_key_prefix.value, Some(json!("audit")));
    assert_eq!(t.is_multi_region.value, Some(json!(true)));
    assert!(!t.is_multi_region.defaulted);
    assert_eq!(t.log_file_validation.value, Some(json!(true)));
    assert_eq!(t.is_logging.value, Some(json!(true)));
    assert_eq!(t.arn.state, State::Unknown);
    assert_eq!(t.arn.expr.as_deref(), Some("known after apply"));

    // kms_key_id is unknown until apply, but the configuration says it is the key's ARN.
    assert_eq!(t.kms_key_id.state, State::Known);
    assert_eq!(t.kms_key_id.value, Some(json!("aws_kms_key.trail.arn")));
    assert_eq!(t.kms_key_id.expr.as_deref(), Some("aws_kms_key.trail.arn"));
    assert_eq!(resolved_id(&t.kms_key_id), Some("aws_kms_key.trail"));
    assert_eq!(t.kms_key_id.loc.line, 397);
    assert_eq!(line(name, 397), r#""kms_key_id": true,"#);
    let key = t.kms_key.as_ref().expect("key info");
    assert_eq!(key.managed_by, "customer");
    assert_eq!(key.resource_id.as_deref(), Some("aws_kms_key.trail"));
    assert_eq!(key.rotation_enabled.value, Some(json!(true)));
    assert_eq!(key.rotation_enabled.loc.line, 154);
    assert_eq!(line(name, 154), r#""enable_key_rotation": true,"#);

    assert_eq!(
        t.cloudwatch_logs_group_arn.value,
        Some(json!("aws_cloudwatch_log_group.trail.arn"))
    );
    assert_eq!(
        resolved_id(&t.cloudwatch_logs_group_arn),
        Some("aws_cloudwatch_log_group.trail")
    );
    assert_eq!(
        line(name, t.cloudwatch_logs_group_arn.loc.line),
        r#""cloud_watch_logs_group_arn": true,"#
    );
    assert_eq!(
        resolved_id(&t.cloudwatch_logs_role_arn),
        Some("aws_iam_role.cloudtrail_to_cloudwatch")
    );
    // Known in the plan and still traced to its topic.
    assert_eq!(t.sns_topic.value, Some(json!("cloudtrail-delivery")));
    assert_eq!(
        t.sns_topic.expr.as_deref(),
        Some("aws_sns_topic.trail.name")
    );
    assert_eq!(resolved_id(&t.sns_topic), Some("aws_sns_topic.trail"));

    assert_eq!(
        t.s3_bucket_name.value,
        Some(json!("acme-cloudtrail-logs-111122223333"))
    );
    assert_eq!(resolved_id(&t.s3_bucket_name), Some("aws_s3_bucket.logs"));
    assert_eq!(
        t.event_selectors.value,
        Some(json!([{
            "read_write_type": "All",
            "include_management_events": true,
            "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
            "exclude_management_event_sources": [],
        }]))
    );
    assert_eq!(t.advanced_event_selectors.state, State::Absent);
    assert_eq!(
        t.insight_selectors.value,
        Some(json!(["ApiCallRateInsight", "ApiErrorRateInsight"]))
    );
    assert_eq!(
        line(name, t.insight_selectors.loc.line),
        r#""insight_selector": ["#
    );
}

#[test]
fn compliant_plan_merges_split_bucket_resources() {
    let name = "compliant.json";
    let doc = plan(name);
    let t = trail(&doc, "aws_cloudtrail.main");
    let b = t.bucket.as_ref().expect("trail bucket resolved");
    assert_eq!(b.id, "aws_s3_bucket.logs");
    assert_eq!(b, bucket(&doc, "aws_s3_bucket.logs"));
    assert_eq!(b.loc.line, 192);
    assert_eq!(
        b.public_access_block.value,
        Some(json!({
            "block_public_acls": true,
            "ignore_public_acls": true,
            "block_public_policy": true,
            "restrict_public_buckets": true,
        }))
    );
    assert_eq!(
        b.public_access_block.note.as_deref(),
        Some("from aws_s3_bucket_public_access_block.logs")
    );
    assert_eq!(
        b.versioning.value,
        Some(json!({"status": "Enabled", "mfa_delete": "Enabled"}))
    );
    assert_eq!(
        line(name, b.versioning.loc.line),
        r#""versioning_configuration": ["#
    );
    assert_eq!(
        b.logging.value,
        Some(
            json!({"target_bucket": "acme-s3-access-logs-111122223333", "target_prefix": "cloudtrail/"})
        )
    );
    // The policy embeds the bucket ARN, unknown until apply: the policy is unknown, and is not
    // mistaken for the bucket it mentions.
    assert_eq!(b.policy.state, State::Unknown);
    assert_eq!(b.policy.expr.as_deref(), Some("known after apply"));
    assert_eq!(b.policy.resolved, None);
    // Optional+Computed inline settings the configuration does not set are unset, not unknown.
    assert_eq!(b.acl.state, State::Absent);
    assert_eq!(b.grants.state, State::Absent);
    let logs = bucket(&doc, "aws_s3_bucket.access_logs");
    assert_eq!(
        logs.name.value,
        Some(json!("acme-s3-access-logs-111122223333"))
    );
    for f in [
        &logs.policy,
        &logs.logging,
        &logs.versioning,
        &logs.acl,
        &logs.public_access_block,
    ] {
        assert_eq!(f.state, State::Absent);
        assert_eq!(f.value, None);
        assert_eq!(f.loc.line, 166);
    }
    assert_eq!(
        line(name, 166),
        r#""address": "aws_s3_bucket.access_logs","#
    );
}

#[test]
fn noncompliant_plan_reads_inline_bucket_settings_and_acl_grants() {
    let name = "noncompliant.json";
    let doc = plan(name);
    let legacy = trail(&doc, "aws_cloudtrail.legacy");
    assert_eq!(legacy.is_logging.value, Some(json!(false)));
    assert_eq!(
        line(name, legacy.is_logging.loc.line),
        r#""enable_logging": false,"#
    );
    assert_eq!(legacy.log_file_validation.value, Some(json!(false)));
    assert!(!legacy.log_file_validation.defaulted);
    assert!(legacy.is_multi_region.state == State::Known);
    assert_eq!(legacy.kms_key_id.state, State::Absent);
    assert_eq!(legacy.kms_key, None);
    assert_eq!(legacy.kms_key_id.loc, legacy.loc);
    assert_eq!(
        legacy.cloudwatch_logs_group_arn.value,
        Some(json!(
            "arn:aws:logs:us-east-1:111122223333:log-group:platform-trail:*"
        ))
    );
    assert_eq!(
        legacy.event_selectors.value,
        Some(json!([{
            "read_write_type": "ReadOnly",
            "include_management_events": false,
            "data_resources": [],
            "exclude_management_event_sources": ["kms.amazonaws.com", "rdsdata.amazonaws.com"],
        }]))
    );
    let b = legacy.bucket.as_ref().expect("matched by literal name");
    assert_eq!(b.id, "aws_s3_bucket.trail");
    assert_eq!(b.acl.value, Some(json!("public-read")));
    assert_eq!(line(name, b.acl.loc.line), r#""acl": "public-read","#);
    assert_eq!(
        b.policy.value,
        Some(json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::legacy-trail-logs/*",
            }],
        }))
    );
    assert_eq!(
        b.versioning.value,
        Some(json!({"status": "Enabled", "mfa_delete": "Disabled"}))
    );
    assert_eq!(
        b.logging.value,
        Some(json!({"target_bucket": "legacy-access-logs", "target_prefix": ""}))
    );

    let regional = trail(&doc, "aws_cloudtrail.regional");
    assert_eq!(regional.is_logging.value, Some(json!(true)));
    let key = regional.kms_key.as_ref().expect("key");
    assert_eq!(key.managed_by, "aws");
    assert_eq!(key.rotation_enabled.state, State::Unknown);
    let shared = regional.bucket.as_ref().expect("bucket by reference");
    assert_eq!(shared.id, "aws_s3_bucket.shared");
    assert_eq!(
        shared.grants.value,
        Some(json!([
            {"grantee": "AllUsers", "permission": "READ"},
            {"grantee": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "permission": "FULL_CONTROL"},
        ]))
    );
    assert_eq!(shared.acl.state, State::Absent);
    // mfa_delete is unknown in the plan but not configured: AWS's default, Disabled.
    assert_eq!(
        shared.versioning.value,
        Some(json!({"status": "Suspended", "mfa_delete": "Disabled"}))
    );
    assert_eq!(
        shared.versioning.note.as_deref(),
        Some("from aws_s3_bucket_versioning.shared")
    );
}

/// Regression: checkov#800 failed "CloudTrail encrypted with KMS" on plans whose kms_key_id is
/// known only after apply. Unknown must stay unknown, and references must be followed.
#[test]
fn unknown_kms_key_after_apply_is_never_absent_checkov_800() {
    let name = "kms-unknown.json";
    let doc = plan(name);
    let indirect = trail(&doc, "aws_cloudtrail.indirect");
    assert_eq!(indirect.kms_key_id.state, State::Unknown);
    assert_eq!(indirect.kms_key_id.value, None);
    assert_eq!(
        indirect.kms_key_id.expr.as_deref(),
        Some("known after apply")
    );
    assert_eq!(
        indirect.kms_key_id.note.as_deref(),
        Some("references terraform_data.key_arn.output")
    );
    assert_eq!(
        line(name, indirect.kms_key_id.loc.line),
        r#""kms_key_id": true,"#
    );
    let key = indirect.kms_key.as_ref().expect("a key is set");
    assert_eq!(key.managed_by, "unknown");
    assert_eq!(key.rotation_enabled.state, State::Unknown);

    // Through the kms module's output to the key it creates.
    let from_module = trail(&doc, "aws_cloudtrail.from_module");
    assert_eq!(from_module.kms_key_id.state, State::Known);
    assert_eq!(
        from_module.kms_key_id.value,
        Some(json!("module.kms.aws_kms_key.this.arn"))
    );
    assert_eq!(
        from_module.kms_key_id.expr.as_deref(),
        Some("module.kms.key_arn")
    );
    assert_eq!(
        resolved_id(&from_module.kms_key_id),
        Some("module.kms.aws_kms_key.this")
    );
    let key = from_module.kms_key.as_ref().expect("key");
    assert_eq!(key.managed_by, "customer");
    assert_eq!(
        key.resource_id.as_deref(),
        Some("module.kms.aws_kms_key.this")
    );
    assert_eq!(key.rotation_enabled.value, Some(json!(true)));
    // The bucket lives outside this plan.
    assert_eq!(from_module.bucket, None);
    assert!(doc.buckets.is_empty());
}

#[test]
fn child_modules_with_count_and_for_each_keep_instance_addresses() {
    let name = "org.json";
    let doc = plan(name);
    let ids: Vec<&str> = doc.trails.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "module.audit[0].aws_cloudtrail.regional[0]",
            "module.audit[0].aws_cloudtrail.regional[1]",
            r#"module.audit[0].aws_cloudtrail.this["primary"]"#,
            r#"module.audit[0].aws_cloudtrail.this["secondary"]"#,
        ]
    );
    let primary = trail(&doc, r#"module.audit[0].aws_cloudtrail.this["primary"]"#);
    assert_eq!(primary.name.value, Some(json!("org-primary")));
    assert_eq!(primary.is_multi_region.value, Some(json!(true)));
    assert_eq!(primary.is_organization_trail.value, Some(json!(true)));
    // var.kms_key_arn in the child is the root's aws_kms_key.org.arn.
    assert_eq!(primary.kms_key_id.value, Some(json!("aws_kms_key.org.arn")));
    assert_eq!(primary.kms_key_id.expr.as_deref(), Some("var.kms_key_arn"));
    let key = primary.kms_key.as_ref().expect("key");
    assert_eq!(key.resource_id.as_deref(), Some("aws_kms_key.org"));
    assert_eq!(key.rotation_enabled.value, Some(json!(false)));
    assert!(
        !key.rotation_enabled.defaulted,
        "the plan states the provider default"
    );
    // var.bucket_name is the root's bucket; its name is known in the plan.
    assert_eq!(
        primary.s3_bucket_name.value,
        Some(json!("acme-org-trail-logs"))
    );
    assert_eq!(
        resolved_id(&primary.s3_bucket_name),
        Some("aws_s3_bucket.central")
    );
    let b = primary.bucket.as_ref().expect("bucket");
    assert_eq!(
        b.public_access_block.value,
        Some(json!({
            "block_public_acls": true,
            "ignore_public_acls": false,
            "block_public_policy": true,
            "restrict_public_buckets": false,
        }))
    );

    let regional = trail(&doc, "module.audit[0].aws_cloudtrail.regional[1]");
    assert_eq!(regional.name.value, Some(json!("regional-1")));
    assert_eq!(regional.kms_key_id.state, State::Absent);
    assert_eq!(
        line(name, regional.loc.line),
        r#""address": "module.audit[0].aws_cloudtrail.regional[1]","#
    );

    let lake = store(
        &doc,
        "module.audit[0].module.lake.aws_cloudtrail_event_data_store.this",
    );
    assert_eq!(lake.retention_period.value, Some(json!(400)));
    assert_eq!(lake.termination_protection_enabled.value, Some(json!(true)));
    assert_eq!(lake.advanced_event_selectors.state, State::Absent);
    assert_eq!(lake.kms_key, None);
}

#[test]
fn advanced_selectors_of_trails_and_event_data_stores() {
    let doc = plan("advanced.json");
    let t = trail(&doc, "aws_cloudtrail.data_events");
    assert_eq!(t.event_selectors.state, State::Absent);
    assert!(!t.event_selectors.defaulted);
    let selectors = t.advanced_event_selectors.value.as_ref().expect("known");
    assert_eq!(
        selectors[0],
        json!({"name": "Management events", "field_selectors": [{
            "field": "eventCategory", "equals": ["Management"], "not_equals": [],
            "starts_with": [], "not_starts_with": [], "ends_with": [], "not_ends_with": [],
        }]})
    );
    // Field selectors are a set: the plan orders them by value. The ARN prefix embeds a
    // bucket ARN that is unknown until apply.
    assert_eq!(
        selectors[1]["field_selectors"][3],
        json!({
            "field": "resources.ARN", "equals": [], "not_equals": [],
            "starts_with": [{"unknown": "known after apply"}], "not_starts_with": [],
            "ends_with": [], "not_ends_with": [],
        })
    );
    assert_eq!(
        t.s3_bucket_name.value,
        Some(json!("acme-data-events-trail"))
    );

    let lake = store(&doc, "aws_cloudtrail_event_data_store.lake");
    assert_eq!(lake.retention_period.value, Some(json!(90)));
    assert_eq!(
        lake.termination_protection_enabled.value,
        Some(json!(false))
    );
    assert_eq!(lake.multi_region_enabled.value, Some(json!(true)));
    assert_eq!(
        lake.kms_key.as_ref().map(|k| k.managed_by.as_str()),
        Some("customer")
    );
    assert_eq!(
        lake.advanced_event_selectors.value,
        Some(
            json!([{"name": "Management events without KMS", "field_selectors": [
                {"field": "eventSource", "equals": [], "not_equals": ["kms.amazonaws.com"],
                 "starts_with": [], "not_starts_with": [], "ends_with": [], "not_ends_with": []},
                {"field": "eventCategory", "equals": ["Management"], "not_equals": [],
                 "starts_with": [], "not_starts_with": [], "ends_with": [], "not_ends_with": []},
            ]}])
        )
    );
}

#[test]
fn single_line_plans_point_at_columns() {
    let doc = plan("compact.json");
    let t = trail(&doc, "aws_cloudtrail.data_events");
    assert_eq!(t.loc.line, 1);
    let text = std::fs::read_to_string(fixture_path("compact.json")).unwrap();
    let col = t.name.loc.column as usize;
    assert_eq!(t.name.loc.line, 1);
    assert_eq!(
        text.get(col - 1..col - 1 + r#""data-events""#.len()),
        Some(r#""data-events""#)
    );
}

#[test]
fn plan_without_cloudtrail_is_skipped() {
    let text = r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[
        {"address":"aws_s3_bucket.a","mode":"managed","type":"aws_s3_bucket","name":"a","values":{"bucket":"a"}}]}}}"#;
    match adapt_text(text) {
        Adapted::Skipped(reason) => assert_eq!(
            reason,
            "Terraform plan without aws_cloudtrail or aws_cloudtrail_event_data_store resources"
        ),
        Adapted::Document(..) => panic!("expected skip"),
    }
}

#[test]
fn state_output_matches_keys_and_buckets_by_literal_values() {
    let text = r#"{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
  {"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","values":{
    "arn":"arn:aws:kms:us-east-1:111122223333:key/1234abcd","enable_key_rotation":null}},
  {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{
    "bucket":"trail-logs","policy":"","acl":null,"logging":[],"versioning":[{"enabled":false,"mfa_delete":false}]}},
  {"address":"aws_s3_bucket_policy.b","mode":"managed","type":"aws_s3_bucket_policy","name":"b","values":{
    "bucket":"trail-logs","policy":"{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\"}}"}},
  {"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t","values":{
    "name":"t","s3_bucket_name":"trail-logs","kms_key_id":"arn:aws:kms:us-east-1:111122223333:key/1234abcd",
    "arn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t","event_selector":[],"advanced_event_selector":[]}},
  {"address":"data.aws_caller_identity.me","mode":"data","type":"aws_caller_identity","name":"me","values":{}}
]}}}"#;
    let Adapted::Document(doc, errors) = adapt_text(text) else {
        panic!("expected a document")
    };
    assert_eq!(errors, vec![]);
    let t = trail(&doc, "aws_cloudtrail.t");
    assert_eq!(
        t.arn.value,
        Some(json!("arn:aws:cloudtrail:us-east-1:111122223333:trail/t"))
    );
    let key = t.kms_key.as_ref().expect("key");
    assert_eq!(key.resource_id.as_deref(), Some("aws_kms_key.k"));
    assert_eq!(key.rotation_enabled.value, Some(json!(false)));
    assert!(key.rotation_enabled.defaulted);
    assert!(t.event_selectors.defaulted);
    let b = t.bucket.as_ref().expect("bucket by name");
    assert_eq!(
        b.policy.value,
        Some(json!({"Statement": [{"Effect": "Deny", "Principal": "*"}]}))
    );
    assert_eq!(b.logging.state, State::Absent);
    assert_eq!(
        b.versioning.value,
        Some(json!({"status": "Suspended", "mfa_delete": "Disabled"}))
    );
    assert_eq!((t.loc.line, t.loc.column), (8, 4));
}

#[test]
fn malformed_entries_are_reported_not_dropped() {
    let text = r#"{"format_version":"2.0","planned_values":{"root_module":{"resources":[
  {"mode":"managed","type":"aws_cloudtrail"},
  {"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t","values":{"name":"t",
   "policy_text":"x"}}],
  "child_modules":[{"resources":[]}]}}}"#;
    let Adapted::Document(doc, errors) = adapt_text(text) else {
        panic!("expected a document")
    };
    assert_eq!(doc.trails.len(), 1);
    let lines: Vec<(Option<u32>, Option<u32>, &str)> = errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                Some(1),
                Some(19),
                "unsupported plan format_version 2.0 (this reader knows 0.x and 1.x); read as 1.x"
            ),
            (
                Some(2),
                Some(3),
                "resource without address, type and name in the plan; it is not checked"
            ),
            (
                Some(5),
                Some(20),
                "child module without address in the plan; its resources are not checked"
            ),
        ]
    );
}
