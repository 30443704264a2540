//! End-to-end tests of the CI-facing commands through the real binary: `scan --output
//! FORMAT=PATH`, `convert --from`, and `report --framework`, with their exit codes and messages.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const NONCOMPLIANT: &str = "tests/fixtures/config/cloudformation/noncompliant.yaml";
const COMPLIANT: &str = "tests/fixtures/config/cloudformation/compliant.yaml";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_file(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn one_scan_writes_every_requested_output_and_stdout_keeps_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    let arg = |fmt: &str, name: &str| format!("{fmt}={}", p(name).display());
    let out = run(&[
        "scan",
        "--format",
        "json",
        "--output",
        &arg("sarif", "r.sarif"),
        "-o",
        &arg("junit", "r.xml"),
        "-o",
        &arg("gitlab", "gl.json"),
        "-o",
        &arg("markdown", "summary.md"),
        "-o",
        &arg("github", "annotations.txt"),
        NONCOMPLIANT,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("stdout is the JSON report");
    let n = report["findings"].as_array().unwrap().len();
    assert!(n >= 8);
    let sarif = json_file(&p("r.sarif"));
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), n);
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        NONCOMPLIANT
    );
    assert_eq!(json_file(&p("gl.json")).as_array().unwrap().len(), n);
    let junit = std::fs::read_to_string(p("r.xml")).unwrap();
    assert!(junit.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"trailguard\""
    ));
    assert!(junit.contains(&format!(
        "failures=\"{}\"",
        junit.matches("<failure ").count()
    )));
    let md = std::fs::read_to_string(p("summary.md")).unwrap();
    assert!(md.starts_with(&format!("### trailguard: {n} findings (failed)")));
    let gh = std::fs::read_to_string(p("annotations.txt")).unwrap();
    assert_eq!(gh.lines().filter(|l| l.starts_with("::")).count(), n);
}

#[test]
fn an_unwritable_output_exits_2_with_the_path_and_still_writes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("ok.sarif");
    let bad = dir.path().join("missing-dir").join("x.xml");
    let out = run(&[
        "scan",
        "-o",
        &format!("junit={}", bad.display()),
        "-o",
        &format!("sarif={}", good.display()),
        "--format",
        "github",
        COMPLIANT,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "error: cannot write the junit report to {}",
            bad.display()
        )),
        "{}",
        stderr(&out)
    );
    assert!(good.exists());
    assert_eq!(stdout(&out), "trailguard: 0 findings.\n");
}

#[test]
fn a_bad_output_spec_is_a_usage_error() {
    let out = run(&["scan", "-o", "pdf=x.pdf", COMPLIANT]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "unknown format `pdf` (one of: human, json, sarif, junit, github, gitlab, markdown)"
    ));
    let out = run(&["scan", "-o", "sarif=-", COMPLIANT]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("give a file path; standard output takes the `--format` format"));
}

#[test]
fn convert_renders_a_saved_result_like_the_scan_itself() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("results.json");
    let direct = run(&[
        "scan",
        "--format",
        "sarif",
        "-o",
        &format!("json={}", saved.display()),
        NONCOMPLIANT,
    ]);
    assert_eq!(direct.status.code(), Some(1));
    let converted = run(&[
        "convert",
        "--from",
        saved.to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    assert_eq!(converted.status.code(), Some(1), "{}", stderr(&converted));
    assert_eq!(stdout(&converted), stdout(&direct));

    let gl = dir.path().join("gl.json");
    let out = run(&[
        "convert",
        "--from",
        saved.to_str().unwrap(),
        "--format",
        "markdown",
        "--output",
        &format!("gitlab={}", gl.display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("### trailguard: "));
    assert!(gl.exists());
}

#[test]
fn convert_keeps_rules_the_policy_set_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("results.json");
    let scan = run(&["scan", "--format", "json", NONCOMPLIANT]);
    let mut report: Value = serde_json::from_str(&stdout(&scan)).unwrap();
    report["findings"][0]["rule_id"] = "ACME001".into();
    report["findings"][0]["rule_name"] = "acme-custom-check".into();
    std::fs::write(&saved, serde_json::to_string(&report).unwrap()).unwrap();
    let out = run(&[
        "convert",
        "--from",
        saved.to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let idx = rules
        .iter()
        .position(|r| r["id"] == "ACME001")
        .expect("a minimal rule entry");
    assert_eq!(rules[idx]["name"], "acme-custom-check");
    let result = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ACME001")
        .unwrap();
    assert_eq!(result["ruleIndex"], idx);
}

#[test]
fn convert_rejects_what_is_not_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"runs\": []}").unwrap();
    let out = run(&[
        "convert",
        "--from",
        bad.to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a trailguard JSON report: missing field `version`"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn report_lists_controls_with_status_and_evidence() {
    let out = run(&["report", "--framework", "pci-dss-v4.0", NONCOMPLIANT]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let md = stdout(&out);
    let title = md.lines().next().unwrap();
    assert!(title.starts_with("# Payment Card Industry Data Security Standard"));
    assert!(title.ends_with(" (pci-dss-v4.0): compliance report"));
    // Live-export-only rule: not assessed on a CloudFormation template, with the reason.
    assert!(md.contains(
        "| TGC017 trail-delivery-failing | high | ⚪ not assessed | 0 | no scanned document in a format it checks (live-export) |"
    ));
    assert!(md.contains(&format!(
        "[{NONCOMPLIANT}:32](<{NONCOMPLIANT}#L32>) TGC001 [high] Trail:"
    )));

    let clean = run(&["report", "--framework", "pci-dss-v4.0", COMPLIANT]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(stdout(&clean).contains("| ❌ fail | 0 |"));
}

#[test]
fn report_writes_a_self_contained_html_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("pci.html");
    let out = run(&[
        "report",
        "--framework",
        "cis-aws-foundations-v3.0.0",
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
        NONCOMPLIANT,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!html.contains("<script") && !html.contains("<link"));
}

#[test]
fn report_rejects_an_unknown_framework_listing_the_valid_ones() {
    let out = run(&["report", "--framework", "pci", COMPLIANT]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: unknown framework `pci` (valid: "),
        "{err}"
    );
    assert!(err.contains("pci-dss-v4.0") && err.contains("hipaa-security-rule"));
}
