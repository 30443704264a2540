//! Detection, keys, buckets, selectors, event data stores and input errors, on small templates.

use serde_json::json;

use super::*;
use crate::adapters::cloudformation::{
    NO_CLOUDTRAIL, NOT_CLOUDFORMATION, looks_like_cloudformation,
};

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
fn unreadable_resources_are_reported_not_skipped() {
    // A resource without a readable Type might be the trail: errors, not "without CloudTrail".
    let (doc, errors) = adapt_yaml(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Trail:\n    Properties: {IsLogging: true}\n",
    );
    assert!(doc.trails.is_empty());
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(got, vec![(Some(3), "resource `Trail` has no `Type`")]);

    let (_, errors) = adapt_yaml("AWSTemplateFormatVersion: '2010-09-09'\nResources: [a]\n");
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![(Some(2), Some(1), "`Resources` is not a mapping")]
    );
}

#[test]
fn duplicate_ids_keep_the_last_and_odd_properties_are_reported() {
    let src = "\
Resources:
  T:
    Type: AWS::S3::Bucket
  T:
    Type: AWS::CloudTrail::Trail
    Properties: {\"Fn::If\": [C, {IsLogging: true}, {IsLogging: false}]}
  U:
    Type: AWS::CloudTrail::Trail
    Properties: [IsLogging]
";
    let (doc, errors) = adapt_yaml(src);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some(2),
                "logical id `T` is defined again later; the last definition is used"
            ),
            (Some(9), "`Properties` of resource `U` is not a mapping"),
        ]
    );
    assert!(doc.buckets.is_empty());
    // The long-form `Fn::If` is an expression, not a mapping of properties.
    let t = &doc.trails[0];
    assert_eq!((t.id.as_str(), t.loc.line), ("T", 4));
    assert_eq!(t.is_logging.state, State::Unknown);
    assert_eq!(doc.trails[1].is_logging.state, State::Unknown);
}
