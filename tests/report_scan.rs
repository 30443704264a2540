//! Snapshot and behaviour tests of the human and JSON reporters on a hand-built `ScanReport`
//! (config findings with and without source, an event finding, errors, skipped inputs), plus
//! the no-findings golden and escape-injection checks.

use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use trailguard::contract::{
    Diagnostic, EventStats, Finding, Location, REPORT_VERSION, RuleKind, ScanReport, Severity,
    Skipped, Summary, ToolInfo,
};
use trailguard::report::{self, HumanOptions, SourceProvider, human, json};

const TRAIL_YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditBucket:
    Type: AWS::S3::Bucket
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      EnableLogFileValidation: false
      S3BucketName: !Ref AuditBucket
      IsMultiRegionTrail: true
      Tags:
        - Key: team
          Value: secops
"#;

const BROKEN_JSON: &str = "{\n  \"Resources\": {\n    \"Trail\": {,\n  }\n}\n";

/// Sources as the CLI would have them: two files on disk; stdin, logs and policies absent.
fn sources() -> impl SourceProvider {
    |path: &str| match path {
        "templates/trail.yaml" => Some(Arc::<str>::from(TRAIL_YAML)),
        "templates/broken.json" => Some(Arc::<str>::from(BROKEN_JSON)),
        _ => None,
    }
}

fn loc(path: &str, start: (u32, u32), end: (u32, u32)) -> Location {
    Location {
        path: path.into(),
        start_line: start.0,
        start_column: start.1,
        end_line: end.0,
        end_column: end.1,
        record_index: None,
        event_id: None,
    }
}

fn controls(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn finding(
    id: &str,
    name: &str,
    severity: Severity,
    kind: RuleKind,
    title: &str,
    message: &str,
    resource: &str,
    location: Location,
    evidence: serde_json::Value,
) -> Finding {
    let fingerprint = trailguard::contract::fingerprint(&[id, &location.path, resource]);
    Finding {
        rule_id: id.into(),
        rule_name: name.into(),
        severity,
        kind,
        title: title.into(),
        message: message.into(),
        resource: resource.into(),
        location,
        compliance: controls(&[
            ("cis-aws-foundations-v3.0.0", &["3.2"]),
            ("pci-dss-v4.0", &["10.3.2", "10.5.2"]),
        ])
        .into(),
        evidence: evidence.into(),
        fingerprint,
        baseline_state: None,
    }
}

fn by_severity(counts: [u64; 5]) -> BTreeMap<String, u64> {
    Severity::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| (s.as_str().to_string(), n))
        .collect()
}

fn full_report() -> ScanReport {
    let mut event_loc = loc(
        "logs/111122223333_CloudTrail_us-east-1_20240301T0000Z.json",
        (1, 2841),
        (1, 3902),
    );
    event_loc.record_index = Some(3);
    event_loc.event_id = Some("3f1c9a2e-7d41-4c1b-9f0e-2b8f6a7c5d10".into());
    let findings = vec![
        finding(
            "TGC002",
            "multi-region-disabled",
            Severity::Low,
            RuleKind::Config,
            "CloudTrail trail is not multi-region",
            "Trail aws_cloudtrail.main records only its home region",
            "aws_cloudtrail.main",
            loc("<stdin>", (42, 7), (42, 36)),
            json!({"field": "is_multi_region", "value": false, "state": "defaulted"}),
        ),
        finding(
            "TGE001",
            "root-account-used",
            Severity::Critical,
            RuleKind::Event,
            "The root user was used",
            "Root user signed in to the console without MFA",
            "arn:aws:iam::111122223333:root",
            event_loc,
            json!({
                "eventName": "ConsoleLogin",
                "eventSource": "signin.amazonaws.com",
                "eventTime": "2024-03-01T09:14:22Z",
                "sourceIPAddress": "203.0.113.7",
                "userIdentity": {"type": "Root", "arn": "arn:aws:iam::111122223333:root"},
                "additionalEventData": {"MFAUsed": "No"},
                "errorCode": null
            }),
        ),
        finding(
            "TGC004",
            "kms-encryption-missing",
            Severity::Medium,
            RuleKind::Config,
            "CloudTrail logs are not encrypted with a KMS key",
            "Trail AuditTrail has no KmsKeyId, so log files use SSE-S3 only",
            "AuditTrail",
            loc("templates/trail.yaml", (5, 3), (14, 24)),
            json!({"field": "kms_key_id", "state": "absent"}),
        ),
        finding(
            "TGC001",
            "log-file-validation-disabled",
            Severity::High,
            RuleKind::Config,
            "CloudTrail log file validation is disabled",
            "Trail AuditTrail does not validate its log files: tampering would go unnoticed",
            "AuditTrail",
            loc("templates/trail.yaml", (9, 32), (9, 37)),
            json!({"field": "log_file_validation", "value": false, "state": "known"}),
        ),
    ];
    ScanReport {
        suppressed: Vec::new(),
        version: REPORT_VERSION,
        tool: ToolInfo {
            name: "trailguard".into(),
            version: "0.1.0".into(),
        },
        findings,
        errors: vec![
            Diagnostic {
                code: "input::parse".into(),
                path: "templates/broken.json".into(),
                line: Some(3),
                column: Some(15),
                message: "expected a string key or '}', found ','".into(),
                help: Some("remove the comma after '{'".into()),
            },
            Diagnostic {
                code: "policy::metadata".into(),
                path: "policies/custom/no_owner.rego".into(),
                line: Some(4),
                column: Some(3),
                message: "unknown METADATA key `severty`".into(),
                help: Some("did you mean `severity`?".into()),
            },
        ],
        skipped: vec![
            Skipped {
                path: "README.md".into(),
                reason: "not a CloudTrail configuration or event log".into(),
            },
            Skipped {
                path: "templates/network.yaml".into(),
                reason: "CloudFormation template without CloudTrail resources".into(),
            },
        ],
        summary: Summary {
            suppressed: 0,
            baselined: 0,
            not_listed: None,
            files_scanned: 5,
            documents: 3,
            resources: 3,
            rules_evaluated: 20,
            findings: 4,
            by_severity: by_severity([1, 1, 1, 1, 0]),
            skipped_files: 2,
            errors: 2,
            events: Some(EventStats {
                files_pruned: 0,
                files: 1,
                bytes: 48_213,
                records_read: 1200,
                records_evaluated: 1180,
                records_skipped: [
                    ("not-an-event".to_string(), 5),
                    ("outside-time-window".to_string(), 15),
                ]
                .into_iter()
                .collect(),
                first_event_time: Some("2024-03-01T00:00:07Z".into()),
                last_event_time: Some("2024-03-01T23:59:58Z".into()),
            }),
            failed: true,
        },
    }
}

fn clean_report() -> ScanReport {
    ScanReport {
        suppressed: Vec::new(),
        version: REPORT_VERSION,
        tool: ToolInfo {
            name: "trailguard".into(),
            version: "0.1.0".into(),
        },
        findings: vec![],
        errors: vec![],
        skipped: vec![],
        summary: Summary {
            suppressed: 0,
            baselined: 0,
            not_listed: None,
            files_scanned: 2,
            documents: 2,
            resources: 2,
            rules_evaluated: 14,
            findings: 0,
            by_severity: by_severity([0; 5]),
            skipped_files: 0,
            errors: 0,
            events: None,
            failed: false,
        },
    }
}

fn human_text(report: &ScanReport, opts: &HumanOptions) -> String {
    let mut out = Vec::new();
    human::render(report, &sources(), opts, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the human report is UTF-8")
}

fn json_text(report: &ScanReport) -> String {
    let mut out = Vec::new();
    json::write(report, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

#[test]
fn human_full_report() {
    let text = human_text(&full_report(), &HumanOptions::default());
    assert!(
        !text.contains('\x1b'),
        "colour off must write no escape byte"
    );
    insta::assert_snapshot!("human_full", text);
}

#[test]
fn human_no_findings() {
    insta::assert_snapshot!(
        "human_clean",
        human_text(&clean_report(), &HumanOptions::default())
    );
}

#[test]
fn human_quiet_prints_findings_and_errors_only() {
    let quiet = HumanOptions {
        quiet: true,
        ..HumanOptions::default()
    };
    assert_eq!(human_text(&clean_report(), &quiet), "");
    let full = human_text(&full_report(), &HumanOptions::default());
    let short = human_text(&full_report(), &quiet);
    let cut = full
        .find("Skipped inputs:")
        .expect("full report lists skipped inputs");
    assert_eq!(short, full[..cut]);
}

#[test]
fn human_hides_skipped_list_but_still_counts_it() {
    let opts = HumanOptions {
        show_skipped: false,
        ..HumanOptions::default()
    };
    let text = human_text(&full_report(), &opts);
    assert!(!text.contains("Skipped inputs:"));
    assert!(!text.contains("README.md"));
    assert!(text.contains("\n2 inputs skipped, 2 errors.\n"));
}

#[test]
fn human_colour_uses_unicode_and_severity_colours() {
    let opts = HumanOptions {
        color: true,
        ..HumanOptions::default()
    };
    let text = human_text(&full_report(), &opts);
    assert!(text.contains("\x1b[1;35m[critical]\x1b[0m"));
    assert!(text.contains("\x1b[1;31m[high]\x1b[0m"));
    assert!(
        text.contains("╭─["),
        "unicode box drawing when colour is on"
    );
    let plain = human_text(&full_report(), &HumanOptions::default());
    assert!(plain.contains(",-[templates/trail.yaml:9:32]"));
    assert!(!plain.contains('╭'));
}

#[test]
fn control_characters_from_input_are_neutralised() {
    let mut report = full_report();
    let evil = "\x1b]0;owned\x07\x1b[2J\u{9b}31m";
    report.findings[3].message = format!("bad {evil}message\nsecond line\r");
    report.findings[3].resource = format!("Audit{evil}");
    report.findings[1].evidence = json!({"userAgent": evil}).into();
    report.skipped[0].reason = format!("reason {evil}");
    report.errors[1].path = format!("x{evil}.rego");
    let yaml = TRAIL_YAML.replace("IsLogging: true", "IsLogging: true # \x1b[8m");
    let provider =
        move |path: &str| (path == "templates/trail.yaml").then(|| Arc::<str>::from(yaml.as_str()));
    for color in [false, true] {
        let mut out = Vec::new();
        let opts = HumanOptions {
            color,
            ..HumanOptions::default()
        };
        human::render(&report, &provider, &opts, &mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        // Our own styling is SGR only (`ESC [ digits ; m`); nothing from input gets through.
        assert!(!text.contains('\x07') && !text.contains('\u{9b}') && !text.contains('\r'));
        assert!(!text.contains("\x1b]") && !text.contains("\x1b[2J") && !text.contains("\x1b[8m"));
        assert!(text.contains("bad ␛]0;owned␇␛[2J\u{fffd}31mmessage"));
        assert!(text.contains("second line␍"));
        assert!(text.contains(" Audit␛]0;owned␇"));
        assert!(text.contains("userAgent=␛]0;owned␇␛[2J\u{fffd}31m"));
        assert!(text.contains("README.md: reason ␛]0;owned"));
        assert!(text.contains(" x␛]0;owned␇␛[2J\u{fffd}31m.rego:4:3"));
        assert!(text.contains("IsLogging: true # ␛[8m"));
        if !color {
            assert!(!text.contains('\x1b'));
        }
    }
}

#[test]
fn json_full_report_and_round_trip() {
    let report = full_report();
    let text = json_text(&report);
    assert!(text.ends_with("}\n"));
    insta::assert_snapshot!("json_full", text);
    let back = json::read(&mut text.as_bytes()).expect("own output reads back");
    assert_eq!(back, report);
    assert_eq!(
        json_text(&back),
        text,
        "write → read → write is byte-identical"
    );
}

#[test]
fn json_no_findings() {
    insta::assert_snapshot!("json_clean", json_text(&clean_report()));
}

#[test]
fn json_read_rejects_other_versions_and_bad_syntax() {
    let newer = json_text(&clean_report()).replacen("\"version\": 1", "\"version\": 2", 1);
    match json::read(&mut newer.as_bytes()) {
        Err(json::ReadError::Version {
            found: 2,
            supported: 1,
        }) => {}
        other => panic!("expected a version error, got {other:?}"),
    }
    match json::read(&mut "{\n  \"version\": 1,\n  \"tool\": oops\n}".as_bytes()) {
        Err(json::ReadError::Syntax {
            line: 3,
            column: 11,
            message,
        }) => {
            assert_eq!(message, "expected value");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    match json::read(
        &mut "{\"version\": 1, \"tool\": {\"name\": \"x\", \"version\": \"1\"}}".as_bytes(),
    ) {
        Err(json::ReadError::Syntax { message, .. }) => {
            assert_eq!(message, "missing field `findings`")
        }
        other => panic!("expected a missing-field error, got {other:?}"),
    }
}

#[test]
fn exit_code_error_wins_over_findings() {
    let mut report = full_report();
    assert_eq!(report::exit_code(&report), 2);
    report.errors.clear();
    report.summary.errors = 0;
    assert_eq!(report::exit_code(&report), 1);
    report.summary.failed = false;
    assert_eq!(report::exit_code(&report), 0);
    assert_eq!(report::exit_code(&clean_report()), 0);
}

#[test]
fn location_outside_the_source_falls_back_to_path_line_col() {
    let mut report = clean_report();
    let mut f = full_report().findings.remove(3);
    f.location = loc("templates/trail.yaml", (99, 4), (99, 9));
    f.compliance = Default::default();
    f.evidence = Default::default();
    report.findings.push(f);
    let quiet = HumanOptions {
        quiet: true,
        ..HumanOptions::default()
    };
    assert_eq!(
        human_text(&report, &quiet),
        "TGC001 [high] log-file-validation-disabled\n\
         \x20 x Trail AuditTrail does not validate its log files: tampering would go unnoticed\n\
         \x20 at: templates/trail.yaml:99:4\n\
         \x20 resource: AuditTrail\n\n"
    );
}

#[test]
fn single_line_plan_json_is_cropped_around_the_span() {
    // `terraform show -json` writes the whole plan on one line.
    let padding = format!(
        "{{\"format_version\":\"1.2\",\"pad\":\"{}\",",
        "p".repeat(3000)
    );
    let plan = format!("{padding}\"values\":{{\"enable_log_file_validation\":false}}}}\n");
    let column = plan.find("false").map(|i| i as u32 + 1).expect("in plan");
    let mut f = full_report().findings.remove(3);
    f.location = loc("plan.json", (1, column), (1, column + 5));
    f.compliance = Default::default();
    let mut report = clean_report();
    report.findings.push(f);
    let provider = move |p: &str| (p == "plan.json").then(|| Arc::<str>::from(plan.as_str()));
    let mut out = Vec::new();
    let opts = HumanOptions {
        quiet: true,
        width: 80,
        ..HumanOptions::default()
    };
    human::render(&report, &provider, &opts, &mut out).expect("write");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "no line wider than the terminal"
    );
    insta::assert_snapshot!("human_long_line", text);
}

#[test]
fn event_accounting_that_does_not_close_is_reported() {
    let mut report = clean_report();
    report.summary.events = Some(EventStats {
        files_pruned: 0,
        files: 2,
        bytes: 3 * 1024 * 1024,
        records_read: 10,
        records_evaluated: 5,
        records_skipped: [("unparseable".to_string(), 3)].into_iter().collect(),
        first_event_time: None,
        last_event_time: None,
    });
    let text = human_text(&report, &HumanOptions::default());
    assert!(text.contains(
        "\nEvents: 10 records read = 5 evaluated + 3 skipped (unparseable: 3), from 2 files (3.0 MiB).\n\
         Accounting mismatch: 10 records read but 8 accounted for.\n"
    ), "{text}");
}
