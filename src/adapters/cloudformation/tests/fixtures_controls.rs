//! The compliant and noncompliant fixtures: exact states, values and lines of what policies read.

use serde_json::json;

use super::*;

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

#[test]
fn noncompliant_trail_shows_each_mistake_where_it_is() {
    let (doc, errors) = document("noncompliant.yaml");
    assert_eq!(errors, vec![]);
    let t = &doc.trails[0];
    assert_eq!((t.id.as_str(), t.loc.line, t.loc.column), ("Trail", 29, 3));
    // CloudFormation's "false" string is a boolean.
    check(&t.is_logging, State::Known, Some(json!(false)), (32, 18));
    check(
        &t.log_file_validation,
        State::Known,
        Some(json!(false)),
        (36, 32),
    );
    // Missing attributes: the documented default, at the resource header.
    check(
        &t.is_multi_region,
        State::Absent,
        Some(json!(false)),
        (29, 3),
    );
    assert!(t.is_multi_region.defaulted);
    check(
        &t.include_global_service_events,
        State::Absent,
        Some(json!(true)),
        (29, 3),
    );
    check(
        &t.is_organization_trail,
        State::Absent,
        Some(json!(false)),
        (29, 3),
    );
    check(&t.name, State::Absent, None, (29, 3));
    check(&t.cloudwatch_logs_group_arn, State::Absent, None, (29, 3));
    check(&t.cloudwatch_logs_role_arn, State::Absent, None, (29, 3));
    check(&t.sns_topic, State::Absent, None, (29, 3));
    check(&t.s3_key_prefix, State::Absent, None, (29, 3));
    assert!(!t.kms_key_id.defaulted && !t.sns_topic.defaulted);

    // Regression (trail-controls.md, "Known peer mistakes": Trivy reads `KmsKeyId`): the
    // wrong-cased property is not the trail's KMS key.
    check(&t.kms_key_id, State::Absent, None, (29, 3));
    assert_eq!(t.kms_key, None);

    // No BucketName: the reference shows the bucket's logical id.
    check(
        &t.s3_bucket_name,
        State::Known,
        Some(json!("LogsBucket")),
        (33, 21),
    );
    assert_eq!(
        t.s3_bucket_name.resolved,
        resource("LogsBucket", "AWS::S3::Bucket")
    );
    check(
        &t.event_selectors,
        State::Known,
        Some(json!([{
            "read_write_type": "WriteOnly",
            "include_management_events": false,
            "data_resources": [],
            "exclude_management_event_sources": ["kms.amazonaws.com"],
        }])),
        (38, 9),
    );
    check(&t.advanced_event_selectors, State::Absent, None, (29, 3));
    check(
        &t.insight_selectors,
        State::Absent,
        Some(json!([])),
        (29, 3),
    );

    let b = t.bucket.as_ref().unwrap();
    assert_eq!(b.id, "LogsBucket");
    check(&b.name, State::Absent, None, (5, 3));
    check(&b.acl, State::Known, Some(json!("public-read")), (8, 22));
    check(
        &b.public_access_block,
        State::Known,
        Some(json!({
            "block_public_acls": false,
            "ignore_public_acls": false,
            "block_public_policy": true,
            "restrict_public_buckets": false,
        })),
        (10, 9),
    );
    check(&b.logging, State::Absent, None, (5, 3));
    check(&b.versioning, State::Absent, None, (5, 3));
    // A policy written as a JSON string is parsed; a lone statement becomes a list.
    check(
        &b.policy,
        State::Known,
        Some(json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::public-trail-logs/*",
            }],
        })),
        (18, 9),
    );
    assert_eq!((b.policy.loc.end_line, b.policy.loc.end_column), (20, 72));

    let store = &doc.event_data_stores[0];
    assert_eq!(
        (
            store.id.as_str(),
            store.resource_type.as_str(),
            store.loc.line
        ),
        ("LakeStore", "AWS::CloudTrail::EventDataStore", 43)
    );
    check(
        &store.name,
        State::Known,
        Some(json!("short-lived-lake")),
        (46, 13),
    );
    check(
        &store.retention_period,
        State::Known,
        Some(json!(90)),
        (47, 24),
    );
    check(
        &store.termination_protection_enabled,
        State::Known,
        Some(json!(false)),
        (48, 37),
    );
    check(
        &store.multi_region_enabled,
        State::Known,
        Some(json!(false)),
        (49, 27),
    );
    check(
        &store.organization_enabled,
        State::Absent,
        Some(json!(false)),
        (43, 3),
    );
    check(&store.kms_key_id, State::Absent, None, (43, 3));
    assert_eq!(store.kms_key, None);
    check(
        &store.status,
        State::Known,
        Some(json!("STOPPED_INGESTION")),
        (50, 25),
    );
    let empty: [&str; 0] = [];
    check(
        &store.advanced_event_selectors,
        State::Known,
        Some(json!([{
            "name": "Management events only",
            "field_selectors": [
                {
                    "field": "eventCategory", "equals": ["Management"], "not_equals": empty,
                    "starts_with": empty, "not_starts_with": empty, "ends_with": empty,
                    "not_ends_with": empty,
                },
                {
                    "field": "readOnly", "equals": ["true"], "not_equals": empty,
                    "starts_with": empty, "not_starts_with": empty, "ends_with": empty,
                    "not_ends_with": empty,
                },
            ],
        }])),
        (52, 9),
    );
}
