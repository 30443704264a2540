//! Fixtures from other sources: `cdk synth` JSON, SAM, parameter-driven templates, and a
//! template without CloudTrail.

use serde_json::json;

use super::*;

#[test]
fn cdk_synth_json_reads_long_form_intrinsics() {
    let (doc, errors) = document("cdk-synth.json");
    assert_eq!(errors, vec![]);
    let t = &doc.trails[0];
    assert_eq!(
        (t.id.as_str(), t.loc.line, t.loc.column),
        ("TrailDF0DAA6F", 88, 3)
    );
    check(&t.is_logging, State::Known, Some(json!(true)), (96, 18));
    check(
        &t.kms_key_id,
        State::Known,
        Some(json!("!GetAtt AuditKeyE0E8D5E1.Arn")),
        (98, 17),
    );
    assert_eq!(
        t.kms_key_id.expr.as_deref(),
        Some(r#"{"Fn::GetAtt": ["AuditKeyE0E8D5E1", "Arn"]}"#)
    );
    let key = t.kms_key.as_ref().unwrap();
    assert_eq!(
        (key.managed_by.as_str(), key.resource_id.as_deref()),
        ("customer", Some("AuditKeyE0E8D5E1"))
    );
    // `"true"` as a string, as CDK writes it, is a boolean.
    check(
        &key.rotation_enabled,
        State::Known,
        Some(json!(true)),
        (6, 26),
    );
    check(
        &t.s3_bucket_name,
        State::Known,
        Some(json!("TrailS3B3AE5C62")),
        (99, 21),
    );
    assert_eq!(
        t.s3_bucket_name.expr.as_deref(),
        Some(r#"{"Ref": "TrailS3B3AE5C62"}"#)
    );
    check(
        &t.cloudwatch_logs_group_arn,
        State::Known,
        Some(json!("!GetAtt TrailLogGroup343A29D2.Arn")),
        (91, 34),
    );
    // `"EventSelectors": []` configures nothing: the AWS default applies.
    check(
        &t.event_selectors,
        State::Absent,
        Some(crate::adapters::cloudformation::selectors::default_classic()),
        (88, 3),
    );
    check(&t.advanced_event_selectors, State::Absent, None, (88, 3));

    let b = t.bucket.as_ref().unwrap();
    assert_eq!(b.id, "TrailS3B3AE5C62");
    check(&b.name, State::Absent, None, (27, 3));
    check(
        &b.versioning,
        State::Known,
        Some(json!({"status": "Enabled"})),
        (36, 32),
    );
    assert_eq!(
        b.public_access_block.value.as_ref().unwrap()["restrict_public_buckets"],
        true
    );
    assert_eq!(
        (
            b.public_access_block.loc.line,
            b.public_access_block.loc.column
        ),
        (30, 39)
    );
    let statements = &b.policy.value.as_ref().unwrap()["Statement"];
    assert_eq!(
        statements[1]["Resource"],
        json!({"unknown": r#"{"Fn::Join": ["", [{"Fn::GetAtt": ["TrailS3B3AE5C62", "Arn"]}, "/AWSLogs/", {"Ref": "AWS::AccountId"}, "/*"]]}"#})
    );
}

#[test]
fn json_template_reads_the_same_through_the_yaml_parser() {
    let src = std::fs::read_to_string(format!("{DIR}cdk-synth.json")).unwrap();
    let from_json = adapt("t.json", &syntax::json::parse(&src).unwrap());
    let from_yaml = adapt("t.json", &syntax::yaml::parse(&src).unwrap());
    match (from_json, from_yaml) {
        (Adapted::Document(a, _), Adapted::Document(b, _)) => assert_eq!(a, b),
        other => panic!("expected two documents, got {other:?}"),
    }
}

#[test]
fn sam_template_with_aws_managed_key_and_advanced_selectors() {
    let (doc, errors) = document("sam.yaml");
    assert_eq!(errors, vec![]);
    assert_eq!(doc.trails.len(), 1);
    let t = &doc.trails[0];
    assert_eq!((t.id.as_str(), t.loc.line), ("FunctionTrail", 21));
    check(
        &t.kms_key_id,
        State::Known,
        Some(json!("alias/aws/cloudtrail")),
        (28, 17),
    );
    let key = t.kms_key.as_ref().unwrap();
    assert_eq!(
        (key.managed_by.as_str(), key.resource_id.as_deref()),
        ("aws", None)
    );
    assert_eq!(key.rotation_enabled.state, State::Unknown);

    // The bucket's name is only known at deploy time: the reference shows its logical id.
    check(
        &t.s3_bucket_name,
        State::Known,
        Some(json!("TrailBucket")),
        (27, 21),
    );
    let b = t.bucket.as_ref().unwrap();
    check(&b.name, State::Unknown, None, (19, 19));
    assert_eq!(
        b.name.expr.as_deref(),
        Some("!Sub ${AWS::StackName}-trail-${AWS::AccountId}")
    );

    check(&t.event_selectors, State::Absent, None, (21, 3));
    let advanced = t.advanced_event_selectors.value.as_ref().unwrap();
    assert_eq!(
        (
            t.advanced_event_selectors.loc.line,
            t.advanced_event_selectors.loc.column
        ),
        (30, 9)
    );
    assert_eq!(advanced[0]["name"], "Management events");
    assert_eq!(
        advanced[0]["field_selectors"][0]["equals"],
        json!(["Management"])
    );
    let data = &advanced[1]["field_selectors"];
    assert_eq!(data[1]["equals"], json!(["AWS::Lambda::Function"]));
    assert_eq!(data[2]["field"], "resources.ARN");
    assert_eq!(
        data[2]["equals"],
        json!([{"unknown": "!GetAtt OrdersFunction.Arn"}])
    );
    assert_eq!(data[2]["not_starts_with"], json!([]));
}

#[test]
fn parameters_mappings_and_conditions_resolve_only_what_the_template_fixes() {
    let (doc, errors) = document("parameters.yaml");
    assert_eq!(errors, vec![]);
    let t = &doc.trails[0];
    assert_eq!((t.id.as_str(), t.loc.line), ("Trail", 42));

    check(&t.name, State::Unknown, None, (46, 18));
    assert_eq!(t.name.expr.as_deref(), Some("!Sub ${Environment}-audit"));
    // Both branches agree, so the condition does not matter.
    check(&t.is_logging, State::Known, Some(json!(true)), (47, 18));
    assert_eq!(
        t.is_logging.expr.as_deref(),
        Some("!If [IsProd, true, true]")
    );
    check(
        &t.include_global_service_events,
        State::Unknown,
        None,
        (50, 35),
    );
    assert_eq!(
        t.include_global_service_events.expr.as_deref(),
        Some("!If [IsProd, true, false]")
    );
    check(
        &t.is_multi_region,
        State::Known,
        Some(json!(true)),
        (48, 27),
    );

    check(
        &t.log_file_validation,
        State::Known,
        Some(json!(true)),
        (49, 32),
    );
    assert_eq!(
        t.log_file_validation.note.as_deref(),
        Some("resolved from parameter EnableValidation's Default")
    );
    assert_eq!(
        t.log_file_validation.expr.as_deref(),
        Some("!Ref EnableValidation")
    );
    assert_eq!(
        t.log_file_validation.resolved,
        Some(Resolved {
            kind: "parameter".into(),
            id: "EnableValidation".into(),
            resource_type: None
        })
    );

    // `!Ref AWS::NoValue` leaves the property unset: the default applies.
    check(
        &t.is_organization_trail,
        State::Absent,
        Some(json!(false)),
        (51, 28),
    );
    assert_eq!(
        t.is_organization_trail.expr.as_deref(),
        Some("!Ref AWS::NoValue")
    );

    let arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    check(&t.kms_key_id, State::Known, Some(json!(arn)), (52, 17));
    assert_eq!(
        t.kms_key_id.note.as_deref(),
        Some("resolved from parameter TrailKeyArn's Default")
    );
    let key = t.kms_key.as_ref().unwrap();
    assert_eq!(
        (key.managed_by.as_str(), key.resource_id.as_deref()),
        ("customer", None)
    );
    assert_eq!(key.rotation_enabled.state, State::Unknown);

    // The bucket is found by name: the parameter default equals the bucket's BucketName.
    check(
        &t.s3_bucket_name,
        State::Known,
        Some(json!("acme-trail-logs")),
        (53, 21),
    );
    assert_eq!(
        t.bucket.as_ref().map(|b| b.id.as_str()),
        Some("TrailBucket")
    );
    check(
        &t.bucket.as_ref().unwrap().name,
        State::Known,
        Some(json!("acme-trail-logs")),
        (40, 19),
    );

    check(&t.s3_key_prefix, State::Unknown, None, (54, 20));
    assert_eq!(
        t.s3_key_prefix.expr.as_deref(),
        Some("!Join [/, [!FindInMap [Settings, Trail, Prefix], !Ref AWS::Region]]")
    );
    // No default, and an SSM parameter whose default is a parameter name: both unknown.
    check(&t.cloudwatch_logs_group_arn, State::Unknown, None, (55, 34));
    assert_eq!(
        t.cloudwatch_logs_group_arn.expr.as_deref(),
        Some("!Ref LogGroupArn")
    );
    check(&t.sns_topic, State::Unknown, None, (56, 21));

    let store = &doc.event_data_stores[0];
    check(
        &store.retention_period,
        State::Known,
        Some(json!(400)),
        (61, 24),
    );
    assert_eq!(
        store.retention_period.note.as_deref(),
        Some("resolved from parameter RetentionDays's Default")
    );
    check(&store.kms_key_id, State::Unknown, None, (62, 17));
    assert_eq!(
        store.kms_key_id.expr.as_deref(),
        Some("!ImportValue shared-audit-key-arn")
    );
    let key = store.kms_key.as_ref().unwrap();
    assert_eq!(key.managed_by, "unknown");
    assert_eq!(key.rotation_enabled.state, State::Unknown);
    check(
        &store.termination_protection_enabled,
        State::Absent,
        Some(json!(true)),
        (58, 3),
    );
    check(
        &store.retention_period.clone(),
        State::Known,
        Some(json!(400)),
        (61, 24),
    );
    check(
        &store.status,
        State::Absent,
        Some(json!("ENABLED")),
        (58, 3),
    );
}

#[test]
fn template_without_cloudtrail_is_skipped_with_a_reason() {
    match load("no-cloudtrail.yaml") {
        Adapted::Skipped(reason) => {
            assert_eq!(
                reason,
                "CloudFormation template without CloudTrail trails or event data stores"
            );
        }
        Adapted::Document(..) => panic!("expected a skip"),
    }
}
