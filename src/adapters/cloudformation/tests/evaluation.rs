//! Static evaluation: every intrinsic in both spellings, unknowns, references, cycles and
//! the budgets that keep hostile templates cheap.

use serde_json::json;

use super::*;

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

#[test]
fn malformed_intrinsics_are_unknown_or_errors_never_panics() {
    let malformed = [
        "!Ref",
        "!Ref [a]",
        "!GetAtt",
        "!GetAtt NoDot",
        "!GetAtt [a]",
        "!GetAtt [B, [x]]",
        "!Sub",
        "!Sub [1, 2]",
        "!Sub '${'",
        "!Sub '${}'",
        "!Sub ['${x}', [1]]",
        "!Join",
        "!Join [x]",
        "!Join [1, [a]]",
        "!Join ['', [[a]]]",
        "!Select [-1, [a]]",
        "!Select [9, [a]]",
        "!Select [x, [a]]",
        "!Split ['', abc]",
        "!Split [',', [a]]",
        "!FindInMap []",
        "!FindInMap [M, a]",
        "!FindInMap [M, a, b, c]",
        "!If",
        "!If [c]",
        "!Equals [a]",
        "!Not [a, b]",
        "!And",
        "!Or [{Condition: nope}]",
        "!Condition",
        "!Base64 [a]",
        "{Ref: [a]}",
        "{\"Fn::GetAtt\": 3}",
        "{\"Fn::Sub\": {}}",
        "!Cidr",
        "!GetAZs [x]",
        "!Transform {Name: x}",
        "!ToJsonString {a: 1}",
        "!!str 5",
        "&a [*a2]",
    ];
    let extra = "  B:\n    Type: AWS::S3::Bucket\n  M2:\n    Type: AWS::KMS::Key\nMappings:\n  M:\n    a: {b: [1]}\n";
    for expr in malformed {
        for property in [
            "TrailName",
            "IsLogging",
            "KMSKeyId",
            "EventSelectors",
            "InsightSelectors",
        ] {
            let src = format!(
                "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      {property}: {expr}\n{extra}"
            );
            let Ok(root) = crate::syntax::yaml::parse(&src) else {
                continue;
            };
            match adapt("t.yaml", &root) {
                Adapted::Document(doc, _) => {
                    let t = &doc.trails[0];
                    let field = match property {
                        "TrailName" => &t.name,
                        "IsLogging" => &t.is_logging,
                        "KMSKeyId" => &t.kms_key_id,
                        "EventSelectors" => &t.event_selectors,
                        _ => &t.insight_selectors,
                    };
                    // Set but not knowable: never reported as missing.
                    assert_ne!(field.state, State::Absent, "{property}: {expr}");
                }
                Adapted::Skipped(reason) => panic!("{expr}: {reason}"),
            }
        }
    }
}
