//! Inline suppressions end to end (issue 4): CloudFormation `Metadata: trailguard: ignore` and
//! Terraform `# trailguard:ignore` comments move findings to `suppressed` with their reason; a
//! suppression without a reason or for an unknown rule suppresses nothing and exits 2;
//! `--no-ignores` turns them all off.

use serde_json::Value;
use std::process::Command;

const CFN_OK: &str = "tests/fixtures/suppress/cfn/suppressed.yaml";
const CFN_BAD: &str = "tests/fixtures/suppress/cfn/no-reason.yaml";
const HCL_OK: &str = "tests/fixtures/suppress/hcl/suppressed";
const HCL_BAD: &str = "tests/fixtures/suppress/hcl/no-reason";

/// Run `trailguard scan --no-config ARGS -f json` from the crate root; (exit code, report).
fn scan(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TRAILGUARD_TODAY", "2026-01-01")
        .args(["scan", "--no-config", "-f", "json"])
        .args(args)
        .output()
        .expect("trailguard runs");
    let report = serde_json::from_slice(&out.stdout).expect("JSON report on stdout");
    (out.status.code().unwrap_or(-1), report)
}

/// `(rule_id, resource)` of every reported finding.
fn findings(r: &Value) -> Vec<(String, String)> {
    r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (s(&f["rule_id"]), s(&f["resource"])))
        .collect()
}

/// `(rule_id, resource, kind, reason, source)` of every suppressed finding.
fn suppressed(r: &Value) -> Vec<(String, String, String, String, String)> {
    r["suppressed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            let (f, sup) = (&x["finding"], &x["suppression"]);
            (
                s(&f["rule_id"]),
                s(&f["resource"]),
                s(&sup["kind"]),
                s(&sup["reason"]),
                s(&sup["source"]),
            )
        })
        .collect()
}

/// `(code, path, line, column)` of every error.
fn errors(r: &Value) -> Vec<(String, String, u64, u64)> {
    r["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                s(&e["code"]),
                s(&e["path"]),
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn cloudformation_metadata_suppresses_with_its_reason() {
    let (code, r) = scan(&[CFN_OK]);
    assert_eq!(code, 1, "four low findings remain");
    assert_eq!(
        findings(&r),
        pairs(&[
            ("TGC013", "Trail"),
            ("TGC014", "Trail"),
            ("TGC015", "Trail"),
            ("TGC016", "Trail")
        ])
    );
    let src = |line: u32| format!("{CFN_OK}:{line}");
    assert_eq!(
        suppressed(&r),
        vec![
            (
                "TGC009".into(),
                "Trail".into(),
                "inline".into(),
                "Delivery is monitored through EventBridge instead of SNS".into(),
                src(12)
            ),
            (
                "TGC002".into(),
                "Trail".into(),
                "inline".into(),
                "Regional workload account; the organization trail covers every region".into(),
                src(10)
            ),
        ]
    );
    assert_eq!(r["summary"]["suppressed"], 2);
    assert_eq!(r["summary"]["findings"], 4);
    assert_eq!(r["errors"], Value::Array(vec![]));
}

#[test]
fn no_ignores_reports_everything() {
    let (code, r) = scan(&["--no-ignores", CFN_OK]);
    assert_eq!(code, 1);
    assert_eq!(r["suppressed"], Value::Array(vec![]));
    assert_eq!(r["summary"]["suppressed"], 0);
    let found = findings(&r);
    assert_eq!(found.len(), 6);
    assert!(found.contains(&("TGC002".into(), "Trail".into())));
    assert!(found.contains(&("TGC009".into(), "Trail".into())));
}

#[test]
fn cloudformation_suppression_without_reason_or_known_rule_is_an_error() {
    let (code, r) = scan(&[CFN_BAD]);
    assert_eq!(code, 2);
    assert_eq!(
        errors(&r),
        vec![
            ("suppress::missing-reason".into(), CFN_BAD.into(), 10, 13),
            ("suppress::unknown-rule".into(), CFN_BAD.into(), 11, 13),
        ]
    );
    assert!(findings(&r).contains(&("TGC002".into(), "Trail".into())));
    assert_eq!(r["suppressed"], Value::Array(vec![]));
}

#[test]
fn terraform_comments_suppress_only_their_own_resource() {
    let (code, r) = scan(&[HCL_OK]);
    assert_eq!(code, 1);
    let src = |line: u32| format!("{HCL_OK}/main.tf:{line}");
    assert_eq!(
        suppressed(&r),
        vec![
            (
                "TGC002".into(),
                "aws_cloudtrail.regional".into(),
                "inline".into(),
                "regional workload account; the organization trail covers every region".into(),
                src(4)
            ),
            (
                "TGC009".into(),
                "aws_cloudtrail.regional".into(),
                "inline".into(),
                "delivery is monitored through EventBridge".into(),
                src(12)
            ),
        ]
    );
    let found = findings(&r);
    assert!(found.contains(&("TGC002".into(), "aws_cloudtrail.other".into())));
    assert!(found.contains(&("TGC009".into(), "aws_cloudtrail.other".into())));
    assert!(!found.contains(&("TGC002".into(), "aws_cloudtrail.regional".into())));
}

#[test]
fn terraform_comment_without_reason_or_resource_is_an_error() {
    let (code, r) = scan(&[HCL_BAD]);
    assert_eq!(code, 2);
    let main = format!("{HCL_BAD}/main.tf");
    assert_eq!(
        errors(&r),
        vec![
            ("suppress::invalid".into(), main.clone(), 11, 1),
            ("suppress::missing-reason".into(), main, 1, 1),
        ]
    );
    assert!(findings(&r).contains(&("TGC002".into(), "aws_cloudtrail.regional".into())));
    // `--no-ignores` does not read them at all: nothing to report, the findings gate.
    let (code, r) = scan(&["--no-ignores", HCL_BAD]);
    assert_eq!((code, errors(&r)), (1, vec![]));
}

#[test]
fn the_terminal_summary_counts_suppressed_findings() {
    let out = Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--no-config", "--color", "never", CFN_OK])
        .output()
        .expect("trailguard runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "\n2 findings suppressed by inline suppressions or waivers (listed with reasons in --format json).\n"
        ),
        "{text}"
    );
}
