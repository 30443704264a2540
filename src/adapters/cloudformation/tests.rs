//! Unit tests: detection, every intrinsic function in both spellings, reference cycles, keys,
//! and input errors.

use serde_json::{Value, json};

use super::{NO_CLOUDTRAIL, NOT_CLOUDFORMATION, adapt, looks_like_cloudformation};
use crate::adapters::{Adapted, InputError};
use crate::model::{Document, Field, State, Trail};
use crate::syntax;

fn adapt_yaml(src: &str) -> (Document, Vec<InputError>) {
    let root = syntax::yaml::parse(src).unwrap();
    match adapt("t.yaml", &root) {
        Adapted::Document(doc, errors) => (doc, errors),
        Adapted::Skipped(reason) => panic!("skipped: {reason}"),
    }
}

/// A template whose trail `T` has `props` (indented 6 spaces) beside `extra` resources.
fn trail(props: &str, extra: &str) -> (Trail, Vec<InputError>) {
    let src = format!(
        "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n{props}{extra}"
    );
    let (mut doc, errors) = adapt_yaml(&src);
    (doc.trails.remove(0), errors)
}

fn known(f: &Field) -> &Value {
    assert_eq!(f.state, State::Known, "{f:?}");
    f.value.as_ref().unwrap()
}

#[test]
fn detects_templates_by_version_sam_transform_or_resource_types() {
    let yes = [
        "AWSTemplateFormatVersion: '2010-09-09'\n",
        "Transform: AWS::Serverless-2016-10-31\n",
        "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n",
        "Resources:\n  X:\n    Type: Custom::Thing\n",
    ];
    for src in yes {
        assert!(
            looks_like_cloudformation(&syntax::yaml::parse(src).unwrap()),
            "{src}"
        );
    }
    let no = [
        "apiVersion: v1\nkind: ConfigMap\n",
        "Resources:\n  X:\n    Type: Other::Thing\n",
        "- AWSTemplateFormatVersion\n",
        "",
    ];
    for src in no {
        assert!(
            !looks_like_cloudformation(&syntax::yaml::parse(src).unwrap()),
            "{src}"
        );
    }
    let root = syntax::yaml::parse("kind: Pod\n").unwrap();
    assert!(matches!(adapt("p.yaml", &root), Adapted::Skipped(r) if r == NOT_CLOUDFORMATION));
    let root = syntax::yaml::parse("Resources:\n  B:\n    Type: AWS::S3::Bucket\n").unwrap();
    assert!(matches!(adapt("b.yaml", &root), Adapted::Skipped(r) if r == NO_CLOUDTRAIL));
}

#[test]
fn kms_key_casing_regression_kmskeyid_is_not_encryption() {
    // trail-controls.md "Known peer mistakes": Trivy's adapter reads `KmsKeyId` on a Trail.
    let key = "  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n";
    let (wrong, errors) = trail("      KmsKeyId: !GetAtt Key.Arn\n", key);
    assert_eq!(errors, vec![]);
    assert_eq!(wrong.kms_key_id.state, State::Absent);
    assert_eq!(wrong.kms_key, None);

    let (right, _) = trail("      KMSKeyId: !GetAtt [Key, Arn]\n", key);
    assert_eq!(known(&right.kms_key_id), "!GetAtt Key.Arn");
    assert_eq!(right.kms_key_id.expr.as_deref(), Some("!GetAtt [Key, Arn]"));
    let info = right.kms_key.unwrap();
    assert_eq!(
        (info.managed_by.as_str(), info.resource_id.as_deref()),
        ("customer", Some("Key"))
    );
    assert_eq!(known(&info.rotation_enabled), false);
    assert_eq!(info.rotation_enabled.loc.line, 9);
}

#[test]
fn long_and_short_forms_evaluate_alike() {
    let params = "Parameters:\n  Prefix:\n    Type: String\n    Default: acme\n";
    let pairs = [
        ("!Ref Prefix", r#"{"Ref": "Prefix"}"#, json!("acme")),
        (
            "!Sub '${Prefix}-trail'",
            r#"{"Fn::Sub": "${Prefix}-trail"}"#,
            json!("acme-trail"),
        ),
        (
            "!Join [':', [a, !Ref Prefix]]",
            r#"{"Fn::Join": [":", ["a", {"Ref": "Prefix"}]]}"#,
            json!("a:acme"),
        ),
        (
            "!Select [1, [x, y, z]]",
            r#"{"Fn::Select": ["1", ["x", "y", "z"]]}"#,
            json!("y"),
        ),
        (
            "!Select [0, !Split [',', 'p,q']]",
            r#"{"Fn::Select": [0, {"Fn::Split": [",", "p,q"]}]}"#,
            json!("p"),
        ),
        (
            "!Base64 hello",
            r#"{"Fn::Base64": "hello"}"#,
            json!("aGVsbG8="),
        ),
        (
            "!FindInMap [M, a, b]",
            r#"{"Fn::FindInMap": ["M", "a", "b"]}"#,
            json!("from-map"),
        ),
        (
            "!FindInMap [M, a, missing, {DefaultValue: fallback}]",
            r#"{"Fn::FindInMap": ["M", "a", "missing", {"DefaultValue": "fallback"}]}"#,
            json!("fallback"),
        ),
        (
            "!Sub ['${X}/${!Literal}', {X: !Ref Prefix}]",
            r#"{"Fn::Sub": ["${X}/${!Literal}", {"X": {"Ref": "Prefix"}}]}"#,
            json!("acme/${Literal}"),
        ),
    ];
    for (short, long, expected) in pairs {
        for expr in [short, long] {
            let src = format!(
                "{params}Mappings:\n  M:\n    a:\n      b: from-map\nResources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      TrailName: {expr}\n"
            );
            let (doc, errors) = adapt_yaml(&src);
            assert_eq!(errors, vec![], "{expr}");
            let name = &doc.trails[0].name;
            assert_eq!(known(name), &expected, "{expr}");
            if expr == long {
                // The long form, as written in JSON, is the evidence text verbatim.
                assert_eq!(name.expr.as_deref(), Some(long));
            } else {
                assert!(
                    name.expr.as_deref().is_some_and(|e| e.starts_with('!')),
                    "{expr}"
                );
            }
        }
    }
}

#[test]
fn unresolvable_expressions_are_unknown_with_their_text() {
    let cases = [
        ("!Ref AWS::Region", "!Ref AWS::Region"),
        (
            "!Sub '${AWS::AccountId}-trail'",
            "!Sub ${AWS::AccountId}-trail",
        ),
        ("!ImportValue shared-name", "!ImportValue shared-name"),
        ("!Select [0, !GetAZs '']", "!Select [0, !GetAZs \"\"]"),
        ("!Ref NoSuchThing", "!Ref NoSuchThing"),
        ("!If [C, a, b]", "!If [C, a, b]"),
        (
            "!Join ['', [!GetAtt B.Arn, x]]",
            "!Join [\"\", [!GetAtt B.Arn, x]]",
        ),
        ("!Cidr [10.0.0.0/16, 2, 8]", "!Cidr [10.0.0.0/16, 2, 8]"),
        ("!Unheard x", "!Unheard x"),
        (
            "{\"Fn::ImportValue\": \"x\"}",
            "{\"Fn::ImportValue\": \"x\"}",
        ),
    ];
    let extra = "  B:\n    Type: AWS::S3::Bucket\n";
    for (expr, text) in cases {
        let (t, errors) = trail(&format!("      TrailName: {expr}\n"), extra);
        assert_eq!(errors, vec![], "{expr}");
        assert_eq!(t.name.state, State::Unknown, "{expr}");
        assert_eq!(t.name.value, None);
        assert_eq!(t.name.expr.as_deref(), Some(text));
        assert_eq!((t.name.loc.line, t.name.loc.column), (5, 18));
    }
}

#[test]
fn references_to_resources_resolve_to_the_resource() {
    let extra = "
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/aws/cloudtrail/${Name}'
  Name:
    Type: AWS::SNS::Topic
";
    let (t, _) = trail(
        "      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn\n      SnsTopicName: !Ref Name\n      TrailName: !Ref Logs\n",
        extra,
    );
    assert_eq!(known(&t.cloudwatch_logs_group_arn), "!GetAtt Logs.Arn");
    let resolved = t.cloudwatch_logs_group_arn.resolved.unwrap();
    assert_eq!(
        (resolved.kind.as_str(), resolved.id.as_str()),
        ("resource", "Logs")
    );
    assert_eq!(
        resolved.resource_type.as_deref(),
        Some("AWS::Logs::LogGroup")
    );
    // A topic's Ref is its ARN, unknown before deployment: the logical id stands in.
    assert_eq!(known(&t.sns_topic), "Name");
    // The log group's name needs the topic's ARN, so only the logical id is shown.
    assert_eq!(known(&t.name), "Logs");
}

#[test]
fn reference_cycles_end_as_logical_ids_not_loops() {
    let extra = "
  A:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref B
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${A}-copy'
  Self:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ['', [!Ref Self]]
  Named:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Base
  Base:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: base-bucket
Conditions:
  Loop: !Condition Loop
  Other: !Not [!Condition Loop]
  Same: !Equals [a, a]
";
    let (t, errors) = trail(
        "      S3BucketName: !Ref A\n      TrailName: !Ref Self\n      S3KeyPrefix: !Ref Named\n      IsLogging: !Condition Other\n      IsMultiRegionTrail: !Condition Same\n",
        extra,
    );
    assert_eq!(errors, vec![]);
    assert_eq!(known(&t.s3_bucket_name), "A");
    assert_eq!(t.bucket.as_ref().unwrap().id, "A");
    assert_eq!(known(&t.name), "Self");
    // Without a cycle, a name that is another bucket's name resolves through it.
    assert_eq!(known(&t.s3_key_prefix), "base-bucket");
    assert_eq!(t.is_logging.state, State::Unknown);
    assert_eq!(known(&t.is_multi_region), true);
}

#[test]
fn if_with_identical_branches_and_no_value() {
    let extra = "  K:\n    Type: AWS::KMS::Key\n";
    let (t, _) = trail(
        "      KMSKeyId: !If [C, !GetAtt K.Arn, !GetAtt K.Arn]\n      SnsTopicName: !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]\n      S3KeyPrefix: !If [C, logs, !Ref AWS::NoValue]\n",
        extra,
    );
    assert_eq!(known(&t.kms_key_id), "!GetAtt K.Arn");
    assert_eq!(t.kms_key.unwrap().resource_id.as_deref(), Some("K"));
    assert_eq!(t.sns_topic.state, State::Absent);
    assert_eq!(t.sns_topic.loc.line, 6);
    // Set in one branch, not in the other: unknown, never absent.
    assert_eq!(t.s3_key_prefix.state, State::Unknown);
    assert_eq!(
        t.s3_key_prefix.expr.as_deref(),
        Some("!If [C, logs, !Ref AWS::NoValue]")
    );
}

#[test]
fn conditional_key_and_sub_built_key_arn_still_name_the_key_resource() {
    let extra = "
  K:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
";
    for expr in [
        "!If [UseKey, !GetAtt K.Arn, !Ref AWS::NoValue]",
        "!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${K}'",
    ] {
        let (t, _) = trail(&format!("      KMSKeyId: {expr}\n"), extra);
        assert_eq!(t.kms_key_id.state, State::Unknown, "{expr}");
        let info = t.kms_key.unwrap();
        assert_eq!(info.managed_by, "customer");
        assert_eq!(info.resource_id.as_deref(), Some("K"));
        assert_eq!(known(&info.rotation_enabled), true);
    }
}

#[test]
fn aliases_follow_their_target_key() {
    let extra = "
  K:
    Type: AWS::KMS::Key
  A:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/trail
      TargetKeyId: !Ref K
";
    for expr in ["!Ref A", "alias/trail"] {
        let (t, _) = trail(&format!("      KMSKeyId: {expr}\n"), extra);
        assert_eq!(known(&t.kms_key_id), "alias/trail", "{expr}");
        let info = t.kms_key.unwrap();
        assert_eq!(info.managed_by, "customer");
        assert_eq!(info.resource_id.as_deref(), Some("K"));
        // EnableKeyRotation missing: AWS's default (off), at the key's header.
        let rotation = &info.rotation_enabled;
        assert_eq!((rotation.state, rotation.defaulted), (State::Absent, true));
        assert_eq!(rotation.value, Some(json!(false)));
        assert_eq!((rotation.loc.line, rotation.loc.column), (7, 3));
    }
}

#[test]
fn unresolved_key_is_unknown_not_absent() {
    let (t, _) = trail("      KMSKeyId: !ImportValue audit-key\n", "");
    assert_eq!(t.kms_key_id.state, State::Unknown);
    let info = t.kms_key.unwrap();
    assert_eq!(info.managed_by, "unknown");
    assert_eq!(info.rotation_enabled.state, State::Unknown);
    assert_eq!(
        info.rotation_enabled.expr.as_deref(),
        Some("!ImportValue audit-key")
    );
}

#[test]
fn wrong_value_types_are_input_errors_and_unknown() {
    let (t, errors) = trail(
        "      IsLogging: [yes]\n      IsMultiRegionTrail: maybe\n      EventSelectors: {ReadWriteType: All}\n",
        "",
    );
    assert_eq!(t.is_logging.state, State::Unknown);
    assert_eq!(t.is_multi_region.state, State::Unknown);
    assert_eq!(t.event_selectors.state, State::Unknown);
    let got: Vec<(Option<u32>, Option<u32>, &str)> = errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some(7),
                Some(23),
                "`EventSelectors` of `T` should be a list of objects"
            ),
            (
                Some(5),
                Some(18),
                "`IsLogging` of `T` should be a boolean, found `[yes]`"
            ),
            (
                Some(6),
                Some(27),
                "`IsMultiRegionTrail` of `T` should be a boolean, found `maybe`"
            ),
        ]
    );
    assert!(errors.iter().all(|e| e.path == "t.yaml"));
}

#[test]
fn malformed_resources_are_reported_and_skipped() {
    let src = "\
Resources:
  NotAMap: 3
  NoType:
    Properties: {}
  T:
    Type: AWS::CloudTrail::Trail
    Properties: !If [C, {IsLogging: true}, {IsLogging: false}]
";
    let (doc, errors) = adapt_yaml(src);
    let got: Vec<(Option<u32>, &str)> = errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(2), "resource `NotAMap` is not a mapping"),
            (Some(3), "resource `NoType` has no `Type`"),
        ]
    );
    // Properties chosen by a condition: every attribute is unknown, none is absent.
    let t = &doc.trails[0];
    assert_eq!(t.is_logging.state, State::Unknown);
    assert_eq!(
        t.is_logging.expr.as_deref(),
        Some("!If [C, {\"IsLogging\": true}, {\"IsLogging\": false}]")
    );
    assert_eq!(t.s3_bucket_name.state, State::Unknown);
    assert_eq!(t.event_selectors.state, State::Unknown);
}

#[test]
fn selectors_mark_unresolvable_scalars_and_unknown_lists() {
    let (t, _) = trail(
        "      EventSelectors:\n        - ReadWriteType: !Ref Mode\n          DataResources:\n            - Type: AWS::S3::Object\n              Values: !Ref Buckets\n",
        "",
    );
    assert_eq!(
        known(&t.event_selectors),
        &json!([{
            "read_write_type": {"unknown": "!Ref Mode"},
            "include_management_events": true,
            "data_resources": [{"type": "AWS::S3::Object", "values": [{"unknown": "!Ref Buckets"}]}],
            "exclude_management_event_sources": [],
        }])
    );
    assert_eq!(t.advanced_event_selectors.state, State::Absent);

    let (t, _) = trail("      AdvancedEventSelectors: !FindInMap [S, x, y]\n", "");
    assert_eq!(t.advanced_event_selectors.state, State::Unknown);
    assert_eq!(t.event_selectors.state, State::Absent);
    assert_eq!(t.event_selectors.value, None);

    let (t, _) = trail(
        "      EventSelectors:\n        - !If [C, {ReadWriteType: All}, !Ref AWS::NoValue]\n",
        "",
    );
    assert_eq!(t.event_selectors.state, State::Unknown);
}

#[test]
fn bucket_policy_attaches_by_reference_or_by_name() {
    let extra = "
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: named-bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: named-bucket
      PolicyDocument:
        Statement:
          Effect: Deny
          Principal: '*'
          Action: 's3:*'
          Resource: !Sub 'arn:aws:s3:::${B}/*'
";
    let (t, _) = trail("      S3BucketName: named-bucket\n", extra);
    let b = t.bucket.unwrap();
    assert_eq!(b.id, "B");
    assert_eq!(
        known(&b.policy),
        &json!({"Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": "arn:aws:s3:::named-bucket/*",
        }]})
    );
    assert_eq!((b.policy.loc.line, b.policy.loc.column), (16, 9));
}

#[test]
fn logging_without_destination_logs_into_the_bucket_itself() {
    let extra = "
  B:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration: {}
      PublicAccessBlockConfiguration:
        BlockPublicAcls: !Ref Flag
";
    let (t, _) = trail("      S3BucketName: !Ref B\n", extra);
    let b = t.bucket.unwrap();
    assert_eq!(
        known(&b.logging),
        &json!({"target_bucket": "B", "target_prefix": ""})
    );
    // One unknown flag: the whole block is unknown rather than "false".
    assert_eq!(b.public_access_block.state, State::Unknown);
    assert_eq!(b.public_access_block.loc.line, 12);
}

#[test]
fn event_data_store_reads_kmskeyid_in_its_own_casing() {
    let src = "\
Resources:
  K:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: 'false'
  Lake:
    Type: AWS::CloudTrail::EventDataStore
    Properties:
      KmsKeyId: !Ref K
      RetentionPeriod: '3653'
";
    let (doc, errors) = adapt_yaml(src);
    assert_eq!(errors, vec![]);
    let store = &doc.event_data_stores[0];
    assert_eq!(known(&store.kms_key_id), "K");
    let info = store.kms_key.as_ref().unwrap();
    assert_eq!(info.resource_id.as_deref(), Some("K"));
    assert_eq!(known(&info.rotation_enabled), false);
    assert_eq!(known(&store.retention_period), 3653);
    assert_eq!(store.multi_region_enabled.value, Some(json!(true)));
    assert_eq!(store.advanced_event_selectors.state, State::Absent);
    assert!(doc.trails.is_empty());
}

#[test]
fn chains_of_repeated_references_stay_bounded() {
    // Each bucket's name uses the next one ten times: 10^40 evaluations without memoization,
    // and a 10^40-character name without a size budget.
    let mut extra = String::new();
    for i in 0..40 {
        let next = format!("!Ref B{}", i + 1);
        let parts = [next.as_str(); 10].join(", ");
        extra.push_str(&format!(
            "  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join ['', [{parts}]]\n"
        ));
    }
    extra.push_str("  B40:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: x\n");
    let mut conditions = String::from("Conditions:\n");
    for i in 0..40 {
        let next = format!("!Condition C{}", i + 1);
        let parts = [next.as_str(); 10].join(", ");
        conditions.push_str(&format!("  C{i}: !And [{parts}]\n"));
    }
    conditions.push_str("  C40: !Equals [a, a]\n");
    let (t, _) = trail(
        "      S3BucketName: !Ref B0\n      IsLogging: !Condition C0\n",
        &format!("{extra}{conditions}"),
    );
    // The name would be 10^40 characters: past the evaluation budget, so the logical id shows.
    assert_eq!(known(&t.s3_bucket_name), "B0");
    assert_eq!(known(&t.is_logging), true);
}
