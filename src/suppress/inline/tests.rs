//! Reading inline suppressions: where they attach, what they say, and how a mistake is kept.

use super::*;

fn cfn(src: &str) -> Vec<InlineSuppression> {
    let root = crate::syntax::yaml::parse(src).expect("test template parses");
    from_cloudformation("t.yaml", &root)
}

fn hcl(src: &str) -> Vec<InlineSuppression> {
    let body = hcl_edit::parser::parse_body(src).expect("test module parses");
    from_hcl("main.tf", src, &body)
}

/// (resource, rule, reason, line, column, invalid)
type Row<'a> = (&'a str, &'a str, &'a str, u32, u32, Option<&'a str>);

fn rows(found: &[InlineSuppression]) -> Vec<Row<'_>> {
    found
        .iter()
        .map(|s| {
            (
                s.resource.as_str(),
                s.rule.as_str(),
                s.reason.as_str(),
                s.line,
                s.column,
                s.invalid.as_deref(),
            )
        })
        .collect()
}

const CFN: &str = "\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      cfn_nag: {rules_to_suppress: [{id: W35, reason: other tool}]}
  Trail:
    Type: AWS::CloudTrail::Trail
    Metadata:
      trailguard:
        ignore:
          - id: TGC002
            reason: '  organization trail covers all regions  '
          - rule: sns-notifications-missing
            reason: EventBridge instead
          - TGC009
          - {id: TGC005}
";

#[test]
fn cloudformation_entries_with_id_or_rule() {
    assert_eq!(
        rows(&cfn(CFN)),
        vec![
            (
                "Trail",
                "TGC002",
                "organization trail covers all regions",
                11,
                13,
                None
            ),
            (
                "Trail",
                "sns-notifications-missing",
                "EventBridge instead",
                13,
                13,
                None
            ),
            ("Trail", "TGC009", "", 15, 13, None),
            ("Trail", "TGC005", "", 16, 13, None),
        ]
    );
}

#[test]
fn cloudformation_mistakes_are_kept_with_the_reason() {
    let src = "\
Resources:
  A:
    Type: AWS::CloudTrail::Trail
    Metadata:
      trailguard:
        ignor: []
  B:
    Type: AWS::CloudTrail::Trail
    Metadata:
      trailguard:
        ignore: {id: TGC002, reason: x}
  C:
    Type: AWS::CloudTrail::Trail
    Metadata:
      trailguard:
        ignore:
          - {id: TGC002, rule: TGC003, reason: x}
          - {id: TGC002, reason: !Sub '${AWS::Region}'}
          - {reason: forgot the rule}
          - {id: TGC002, reason: x, expires: 2026-01-01}
";
    assert_eq!(
        rows(&cfn(src)),
        vec![
            (
                "A",
                "",
                "",
                6,
                9,
                Some("unknown key `ignor` in `Metadata.trailguard` (expected `ignore`)")
            ),
            (
                "B",
                "",
                "",
                11,
                17,
                Some("`Metadata.trailguard.ignore` must be a list of `{id, reason}` entries")
            ),
            (
                "C",
                "TGC002",
                "x",
                17,
                13,
                Some("give the rule once, as `id` or as `rule`")
            ),
            (
                "C",
                "TGC002",
                "",
                18,
                13,
                Some("`reason` must be a plain string (line 18)")
            ),
            (
                "C",
                "",
                "forgot the rule",
                19,
                13,
                Some("the entry names no rule: add `id: <rule id>`")
            ),
            (
                "C",
                "TGC002",
                "x",
                20,
                13,
                Some("unknown key `expires` (line 20; expected `id` and `reason`)")
            ),
        ]
    );
}

const HCL: &str = r#"# trailguard:ignore TGC009 not attached: a blank line follows

# Platform team owns this trail.
# trailguard:ignore TGC002,TGC016 -- regional account; the organization trail covers the rest
// another comment line keeps the run going
resource "aws_cloudtrail" "main" {
  name = "main # trailguard:ignore TGC001 inside a string is not a comment"
  enable_log_file_validation = false # trailguard:ignore log-file-validation-disabled: digests checked by the SIEM
  event_selector {
      # trailguard:ignore TGC013
  }
}
resource "aws_s3_bucket" "logs" {
  # trailguard: prose, not a directive
  # trailguard:skip TGC010 wrong word
}
"#;

#[test]
fn terraform_comments_above_and_inside_blocks() {
    assert_eq!(
        rows(&hcl(HCL)),
        vec![
            (
                "",
                "TGC009",
                "not attached: a blank line follows",
                1,
                1,
                Some(
                    "`trailguard:ignore` is neither inside a `resource` block nor in the comment lines directly above one"
                )
            ),
            (
                "aws_cloudtrail.main",
                "TGC002",
                "regional account; the organization trail covers the rest",
                4,
                1,
                None
            ),
            (
                "aws_cloudtrail.main",
                "TGC016",
                "regional account; the organization trail covers the rest",
                4,
                1,
                None
            ),
            (
                "aws_cloudtrail.main",
                "log-file-validation-disabled",
                "digests checked by the SIEM",
                8,
                38,
                None
            ),
            ("aws_cloudtrail.main", "TGC013", "", 10, 7, None),
            (
                "aws_s3_bucket.logs",
                "",
                "",
                15,
                3,
                Some("unknown directive `trailguard:skip` (the only one is `trailguard:ignore`)")
            ),
        ]
    );
}

#[test]
fn a_directive_without_a_rule_is_invalid() {
    let found = hcl("resource \"aws_cloudtrail\" \"x\" {\n  # trailguard:ignore\n}\n");
    assert_eq!(
        rows(&found),
        vec![(
            "aws_cloudtrail.x",
            "",
            "",
            2,
            3,
            Some("`trailguard:ignore` names no rule")
        )]
    );
}

#[test]
fn binding_targets_only_findings_on_the_same_resource() {
    let mut doc = Document::new(crate::model::Format::CloudFormation, "t.yaml");
    doc.suppressions = cfn(CFN);
    let finding = |resource: &str, fp: &str| Finding {
        rule_id: "TGC002".into(),
        rule_name: "trail-not-multi-region".into(),
        severity: crate::contract::Severity::Medium,
        kind: crate::contract::RuleKind::Config,
        title: "".into(),
        message: String::new(),
        resource: resource.into(),
        location: Default::default(),
        compliance: Default::default(),
        evidence: Default::default(),
        fingerprint: fp.into(),
        baseline_state: None,
    };
    let bound = bind(&doc, &[finding("Trail", "a"), finding("Bucket", "b")]);
    assert_eq!(bound.len(), 4);
    assert!(bound.iter().all(|b| b.targets == vec!["a".to_string()]));
}
