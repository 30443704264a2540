//! Snapshot tests of the `rules` listing (text and JSON) and the `explain` page.

use std::collections::BTreeMap;
use trailguard::contract::{EventSelector, RuleDescriptor, RuleKind, Severity};
use trailguard::report::{Examples, FormatExamples, RulesFormat, explain, rules_table};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn map(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), strings(v)))
        .collect()
}

fn rule(id: &str, name: &str, severity: Severity, kind: RuleKind) -> RuleDescriptor {
    let dir = kind.as_str();
    let file = name.replace('-', "_");
    RuleDescriptor {
        id: id.into(),
        name: name.into(),
        title: String::new(),
        description: String::new(),
        severity,
        kind,
        remediation: BTreeMap::new(),
        compliance: BTreeMap::new(),
        applies_to: vec![],
        selector: None,
        requires_params: Vec::new(),
        memoize: false,
        condition: None,
        window: None,
        aliases: vec![],
        package: format!("data.trailguard.{dir}.{file}"),
        source: format!("builtin:policies/{dir}/{file}.rego"),
        related_resources: vec![],
        builtin: true,
    }
}

/// Given out of id order on purpose: the listing sorts.
fn catalog() -> Vec<RuleDescriptor> {
    let mut tamper = rule("TGE003", "trail-tampered", Severity::High, RuleKind::Event);
    tamper.title = "A trail was stopped, deleted or narrowed".into();
    tamper.selector = Some(EventSelector {
        event_source: strings(&["cloudtrail.amazonaws.com"]),
        event_name: strings(&[
            "StopLogging",
            "DeleteTrail",
            "UpdateTrail",
            "PutEventSelectors",
        ]),
        fields: BTreeMap::new(),
        any_of: Vec::new(),
    });
    tamper.compliance = map(&[
        ("cis-aws-foundations-v3.0.0", &["4.5"]),
        ("nist-800-53-r5", &["AU-9"]),
    ]);

    let mut root = rule(
        "TGE001",
        "root-account-used",
        Severity::Critical,
        RuleKind::Event,
    );
    root.title = "The root user was used".into();
    root.description = "The root user cannot be limited by IAM policies; day-to-day use of it \
defeats least privilege and is rarely legitimate."
        .into();
    root.remediation = [(
        "events".to_string(),
        "Confirm who signed in. If it was not planned, rotate the root password and MFA device."
            .to_string(),
    )]
    .into_iter()
    .collect();
    root.selector = Some(EventSelector {
        event_source: vec![],
        event_name: vec![],
        fields: map(&[("userIdentity.type", &["Root"])]),
        any_of: Vec::new(),
    });
    root.compliance = map(&[
        ("cis-aws-foundations-v1.4.0", &["4.3"]),
        ("cis-aws-foundations-v3.0.0", &["4.3"]),
        ("pci-dss-v4.0", &["10.2.1.2"]),
    ]);

    let mut burst = rule(
        "TGE009",
        "access-denied-burst",
        Severity::Medium,
        RuleKind::Event,
    );
    burst.title = "Many AccessDenied errors from one principal".into();

    vec![tamper, log_validation(), root, burst]
}

fn log_validation() -> RuleDescriptor {
    let mut r = rule(
        "TGC001",
        "log-file-validation-disabled",
        Severity::High,
        RuleKind::Config,
    );
    r.title = "CloudTrail log file validation is disabled".into();
    r.description =
        "Log file validation makes CloudTrail deliver a signed digest file every hour. \
Without it, a log file that was changed or deleted after delivery cannot be told apart from \
an original, so the trail cannot serve as evidence.\n\nAWS leaves it off by default."
            .into();
    r.remediation = [
        ("cloudformation".to_string(), "Set `EnableLogFileValidation: true` on the trail.".to_string()),
        (
            "terraform".to_string(),
            "Enable validation on the trail:\n\n    resource \"aws_cloudtrail\" \"main\" {\n      enable_log_file_validation = true\n    }".to_string(),
        ),
    ]
    .into_iter()
    .collect();
    r.compliance = map(&[
        ("cis-aws-foundations-v3.0.0", &["3.2"]),
        ("hipaa", &["164.312(c)(2)"]),
        ("pci-dss-v4.0", &["10.3.2", "10.5.2"]),
        ("soc2", &["CC7.2"]),
    ]);
    r.applies_to = strings(&["cloudformation", "terraform", "live"]);
    r.aliases = strings(&["TG-LOG-001"]);
    r.related_resources = strings(&[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    ]);
    r
}

fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn rules_text_table() {
    let text = render(|out| rules_table(&catalog(), RulesFormat::Text, out));
    insta::assert_snapshot!("rules_text", text);
}

#[test]
fn rules_json_listing_has_the_same_keys_for_every_rule() {
    let text = render(|out| rules_table(&catalog(), RulesFormat::Json, out));
    insta::assert_snapshot!("rules_json", text);
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let rules = value.as_array().expect("an array");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["TGC001", "TGE001", "TGE003", "TGE009"]);
    let keys = |r: &serde_json::Value| r.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
    assert!(rules.iter().all(|r| keys(r) == keys(&rules[0])));
    assert_eq!(rules[0]["selector"], serde_json::Value::Null);
    assert_eq!(
        rules[3]["runs_on_every_record"],
        serde_json::Value::Bool(true)
    );
}

#[test]
fn rules_empty_catalog() {
    assert_eq!(
        render(|out| rules_table(&[], RulesFormat::Text, out)),
        "No rules.\n"
    );
    assert_eq!(
        render(|out| rules_table(&[], RulesFormat::Json, out)),
        "[]\n"
    );
}

#[test]
fn explain_config_rule_with_examples() {
    let mut examples = Examples::default();
    examples.by_format.insert(
        "cloudformation".into(),
        FormatExamples {
            bad: strings(&["Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n"]),
            good: strings(&[
                "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      EnableLogFileValidation: true\n",
            ]),
        },
    );
    let text = render(|out| explain(&log_validation(), Some(&examples), out, false));
    assert!(!text.contains('\x1b'));
    insta::assert_snapshot!("explain_config", text);
}

#[test]
fn explain_event_rule_without_examples() {
    let rules = catalog();
    let text = render(|out| explain(&rules[2], None, out, false));
    insta::assert_snapshot!("explain_event", text);
    let burst = render(|out| explain(&rules[3], None, out, false));
    assert!(burst.contains("  prefilter: none: the rule runs on every record\n"));
}

#[test]
fn explain_neutralises_control_characters_in_metadata() {
    let mut r = log_validation();
    r.title = "Title \x1b[2J".into();
    r.description = "Line\x1b]8;;http://x\x07".into();
    let text = render(|out| explain(&r, None, out, true));
    assert!(!text.contains("\x1b[2J") && !text.contains("\x1b]") && !text.contains('\x07'));
    assert!(text.contains("Title ␛[2J"));
    assert!(text.contains("  Line␛]8;;http://x␇\n"));
}
