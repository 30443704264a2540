//! The adapter on the realistic templates in `tests/fixtures/config/cloudformation/`: exact
//! states, values and lines of the fields that policies read.

use serde_json::{Value, json};

use crate::adapters::{Adapted, InputError, cloudformation::adapt};
use crate::model::{Document, Field, Resolved, State};
use crate::syntax;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/config/cloudformation/"
);

fn load(name: &str) -> Adapted {
    let path = format!("{DIR}{name}");
    let src = std::fs::read_to_string(&path).unwrap();
    let root = if name.ends_with(".json") {
        syntax::json::parse(&src).unwrap()
    } else {
        syntax::yaml::parse(&src).unwrap()
    };
    adapt(name, &root)
}

fn document(name: &str) -> (Document, Vec<InputError>) {
    match load(name) {
        Adapted::Document(doc, errors) => (doc, errors),
        Adapted::Skipped(reason) => panic!("{name} skipped: {reason}"),
    }
}

/// Assert a field's state, value and (line, column).
#[track_caller]
fn check(field: &Field, state: State, value: Option<Value>, at: (u32, u32)) {
    assert_eq!(field.state, state, "state of {field:?}");
    assert_eq!(field.value, value, "value of {field:?}");
    assert_eq!(
        (field.loc.line, field.loc.column),
        at,
        "position of {field:?}"
    );
}

fn resource(id: &str, resource_type: &str) -> Option<Resolved> {
    Some(Resolved {
        kind: "resource".to_string(),
        id: id.to_string(),
        resource_type: Some(resource_type.to_string()),
    })
}

#[test]
fn compliant_trail_resolves_key_bucket_log_group_and_topic() {
    let (doc, errors) = document("compliant.yaml");
    assert_eq!(errors, vec![]);
    assert_eq!(doc.path, "compliant.yaml");
    assert_eq!(doc.trails.len(), 1);
    assert!(doc.event_data_stores.is_empty());
    let ids: Vec<&str> = doc.buckets.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["AccessLogBucket", "TrailBucket"]);

    let t = &doc.trails[0];
    assert_eq!(
        (t.id.as_str(), t.resource_type.as_str()),
        ("AuditTrail", "AWS::CloudTrail::Trail")
    );
    assert_eq!(
        (t.loc.path.as_str(), t.loc.line, t.loc.column),
        ("compliant.yaml", 126, 3)
    );
    check(&t.name, State::Known, Some(json!("acme-audit")), (130, 18));
    check(&t.is_logging, State::Known, Some(json!(true)), (131, 18));
    check(
        &t.is_multi_region,
        State::Known,
        Some(json!(true)),
        (132, 27),
    );
    check(
        &t.is_organization_trail,
        State::Known,
        Some(json!(true)),
        (133, 28),
    );
    check(
        &t.include_global_service_events,
        State::Known,
        Some(json!(true)),
        (134, 35),
    );
    check(
        &t.log_file_validation,
        State::Known,
        Some(json!(true)),
        (135, 32),
    );
    check(
        &t.s3_key_prefix,
        State::Known,
        Some(json!("org")),
        (138, 20),
    );
    assert!(!t.is_shadow);
    assert_eq!(t.arn.state, State::Unknown);

    check(
        &t.kms_key_id,
        State::Known,
        Some(json!("!GetAtt TrailKey.Arn")),
        (136, 17),
    );
    assert_eq!(t.kms_key_id.expr.as_deref(), Some("!GetAtt TrailKey.Arn"));
    assert_eq!(t.kms_key_id.resolved, resource("TrailKey", "AWS::KMS::Key"));
    let key = t.kms_key.as_ref().unwrap();
    assert_eq!(key.managed_by, "customer");
    assert_eq!(key.resource_id.as_deref(), Some("TrailKey"));
    check(
        &key.rotation_enabled,
        State::Known,
        Some(json!(true)),
        (77, 26),
    );

    check(
        &t.cloudwatch_logs_group_arn,
        State::Known,
        Some(json!("!GetAtt TrailLogGroup.Arn")),
        (139, 34),
    );
    assert_eq!(
        t.cloudwatch_logs_group_arn.resolved,
        resource("TrailLogGroup", "AWS::Logs::LogGroup")
    );
    check(
        &t.cloudwatch_logs_role_arn,
        State::Known,
        Some(json!("!GetAtt TrailLogsRole.Arn")),
        (140, 30),
    );
    assert_eq!(
        t.cloudwatch_logs_role_arn.resolved,
        resource("TrailLogsRole", "AWS::IAM::Role")
    );
    check(
        &t.sns_topic,
        State::Known,
        Some(json!("!GetAtt TrailTopic.TopicName")),
        (141, 21),
    );
    assert_eq!(
        t.sns_topic.resolved,
        resource("TrailTopic", "AWS::SNS::Topic")
    );

    check(
        &t.s3_bucket_name,
        State::Known,
        Some(json!("acme-audit-trail")),
        (137, 21),
    );
    assert_eq!(t.s3_bucket_name.expr.as_deref(), Some("!Ref TrailBucket"));
    assert_eq!(
        t.s3_bucket_name.resolved,
        resource("TrailBucket", "AWS::S3::Bucket")
    );

    check(
        &t.event_selectors,
        State::Known,
        Some(json!([{
            "read_write_type": "All",
            "include_management_events": true,
            "data_resources": [
                {"type": "AWS::S3::Object", "values": ["arn:aws:s3"]},
                {"type": "AWS::Lambda::Function", "values": ["arn:aws:lambda"]},
            ],
            "exclude_management_event_sources": [],
        }])),
        (143, 9),
    );
    check(&t.advanced_event_selectors, State::Absent, None, (126, 3));
    check(
        &t.insight_selectors,
        State::Known,
        Some(json!(["ApiCallRateInsight", "ApiErrorRateInsight"])),
        (153, 9),
    );

    let b = t.bucket.as_ref().unwrap();
    assert_eq!(b, &doc.buckets[1]);
    assert_eq!((b.id.as_str(), b.loc.line), ("TrailBucket", 18));
    check(
        &b.name,
        State::Known,
        Some(json!("acme-audit-trail")),
        (22, 19),
    );
    check(&b.acl, State::Known, Some(json!("private")), (23, 22));
    check(&b.grants, State::Absent, None, (18, 3));
    check(
        &b.public_access_block,
        State::Known,
        Some(json!({
            "block_public_acls": true,
            "ignore_public_acls": true,
            "block_public_policy": true,
            "restrict_public_buckets": true,
        })),
        (25, 9),
    );
    check(
        &b.logging,
        State::Known,
        Some(json!({"target_bucket": "acme-audit-access-logs", "target_prefix": "trail-bucket/"})),
        (30, 9),
    );
    check(
        &b.versioning,
        State::Known,
        Some(json!({"status": "Enabled"})),
        (33, 9),
    );

    assert_eq!(b.policy.state, State::Known);
    assert_eq!((b.policy.loc.line, b.policy.loc.column), (45, 9));
    assert_eq!(
        b.policy.resolved,
        resource("TrailBucketPolicy", "AWS::S3::BucketPolicy")
    );
    let policy = b.policy.value.as_ref().unwrap();
    assert_eq!(policy["Version"], "2012-10-17");
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 3);
    assert_eq!(
        statements[0]["Principal"],
        json!({"Service": "cloudtrail.amazonaws.com"})
    );
    assert_eq!(
        statements[0]["Resource"],
        json!({"unknown": "!GetAtt TrailBucket.Arn"})
    );
    assert_eq!(
        statements[1]["Resource"],
        json!({"unknown": "!Sub ${TrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*"})
    );
    assert_eq!(statements[2]["Principal"], "*");
    assert_eq!(
        statements[2]["Condition"],
        json!({"Bool": {"aws:SecureTransport": false}})
    );

    let access_logs = &doc.buckets[0];
    check(&access_logs.policy, State::Absent, None, (7, 3));
    check(&access_logs.logging, State::Absent, None, (7, 3));
    check(&access_logs.versioning, State::Absent, None, (7, 3));
}
