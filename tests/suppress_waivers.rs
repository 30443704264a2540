//! Waiver files and baselines end to end (issue 4), in a throwaway project: waivers found from
//! the working directory upward and matched by globs, expiry by `TRAILGUARD_TODAY`, and a
//! baseline that gates only on new findings, with exact exit codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const TEMPLATE: &str = include_str!("fixtures/suppress/project/stacks/audit.yaml");

/// A project: `stacks/audit.yaml` (findings TGC009 on AuditTrail, TGC018 and TGC019 on
/// LakeStore) and an empty `ci/` directory to run from.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("stacks")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("ci")).expect("mkdir");
    std::fs::write(dir.path().join("stacks/audit.yaml"), TEMPLATE).expect("write");
    dir
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p
}

fn run(cwd: &Path, today: &str, args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .current_dir(cwd)
        .env("TRAILGUARD_TODAY", today)
        .args(["scan", "--no-config", "-f", "json"])
        .args(args)
        .output()
        .expect("trailguard runs");
    let report = serde_json::from_slice(&out.stdout).expect("JSON report on stdout");
    (out.status.code().unwrap_or(-1), report)
}

fn list(r: &Value, key: &str, field: &dyn Fn(&Value) -> String) -> Vec<String> {
    r[key].as_array().into_iter().flatten().map(field).collect()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// `RULE resource [baseline_state]` of every finding.
fn findings(r: &Value) -> Vec<String> {
    list(r, "findings", &|f| {
        let state = f["baseline_state"].as_str().map(|s| format!(" {s}"));
        format!(
            "{} {}{}",
            text(&f["rule_id"]),
            text(&f["resource"]),
            state.unwrap_or_default()
        )
    })
}

const WAIVERS: &str = "\
waivers:
  - rule: TGC01*
    resource: Lake*
    path: stacks/*.yaml
    reason: Lake store is being decommissioned (SEC-412)
    owner: secops@example.com
    expires: 2026-06-30
  - rule: sns-notifications-missing
    resource: Other*
    reason: does not match AuditTrail
";

#[test]
fn waivers_are_found_upward_and_matched_by_glob() {
    let p = project();
    write(p.path(), ".trailguard/waivers.yaml", WAIVERS);
    let (code, r) = run(&p.path().join("ci"), "2026-01-01", &["../stacks"]);
    assert_eq!(code, 1, "TGC009 on AuditTrail is not waived");
    assert_eq!(findings(&r), vec!["TGC009 AuditTrail"]);
    let waived = list(&r, "suppressed", &|s| {
        let (f, w) = (&s["finding"], &s["suppression"]);
        format!(
            "{} {} {} {} {} {} {}",
            text(&f["rule_id"]),
            text(&f["resource"]),
            text(&w["kind"]),
            text(&w["owner"]),
            text(&w["expires"]),
            text(&w["source"]),
            text(&w["reason"])
        )
    });
    let tail = "waiver secops@example.com 2026-06-30 ../.trailguard/waivers.yaml:2 Lake store is being decommissioned (SEC-412)";
    assert_eq!(
        waived,
        vec![
            format!("TGC018 LakeStore {tail}"),
            format!("TGC019 LakeStore {tail}")
        ]
    );
    assert_eq!(r["summary"]["suppressed"], 2);
    assert_eq!(r["summary"]["findings"], 1);
}

#[test]
fn an_expired_waiver_stops_suppressing_and_is_an_error() {
    let p = project();
    write(p.path(), ".trailguard/waivers.yaml", WAIVERS);
    // Still valid on its expiry date.
    let (code, r) = run(p.path(), "2026-06-30", &["stacks"]);
    assert_eq!((code, r["summary"]["suppressed"].as_u64()), (1, Some(2)));
    let (code, r) = run(p.path(), "2026-07-01", &["stacks"]);
    assert_eq!(code, 2);
    assert_eq!(
        findings(&r),
        vec!["TGC009 AuditTrail", "TGC018 LakeStore", "TGC019 LakeStore"]
    );
    let errors = list(&r, "errors", &|e| {
        format!(
            "{} {}:{}:{} {}",
            text(&e["code"]),
            text(&e["path"]),
            e["line"],
            e["column"],
            text(&e["message"])
        )
    });
    assert_eq!(
        errors,
        vec![
            "waiver::expired .trailguard/waivers.yaml:2:5 waiver for `TGC01*` (owner: secops@example.com) expired on 2026-06-30; it no longer suppresses: the 2 findings it matches are reported"
        ]
    );
    assert_eq!(r["summary"]["suppressed"], 0);
}

#[test]
fn an_explicit_waiver_file_with_mistakes_reports_each_at_its_line() {
    let p = project();
    let file = "waivers:\n  - rule: TGC018\n    reason: ok\n  - rule: TGC019\n    expires: soon\n";
    write(p.path(), "exceptions.yaml", file);
    let (code, r) = run(
        p.path(),
        "2026-01-01",
        &["--waivers", "exceptions.yaml", "stacks"],
    );
    assert_eq!(code, 2);
    let errors = list(&r, "errors", &|e| {
        format!(
            "{} {}:{}:{}",
            text(&e["code"]),
            text(&e["path"]),
            e["line"],
            e["column"]
        )
    });
    assert_eq!(
        errors,
        vec![
            "waiver::invalid exceptions.yaml:4:5",
            "waiver::invalid exceptions.yaml:5:14"
        ]
    );
    // The valid entry still applies; the broken one does not.
    assert_eq!(findings(&r), vec!["TGC009 AuditTrail", "TGC019 LakeStore"]);
}

#[test]
fn a_baseline_gates_only_new_findings() {
    let p = project();
    let root = p.path();
    // Writing the baseline accepts every current finding: exit 0 although there are findings.
    let (code, r) = run(
        root,
        "2026-01-01",
        &["--write-baseline", "baseline.json", "stacks"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        findings(&r),
        vec![
            "TGC009 AuditTrail unchanged",
            "TGC018 LakeStore unchanged",
            "TGC019 LakeStore unchanged"
        ]
    );
    assert_eq!(r["summary"]["baselined"], 3);
    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("baseline.json")).expect("baseline written"),
    )
    .expect("baseline is JSON");
    assert_eq!(written["version"], 1);
    assert_eq!(written["created"], "2026-01-01");
    assert_eq!(written["tool"]["name"], "trailguard");
    let entries = list(&written, "entries", &|e| {
        format!(
            "{} {} {}",
            text(&e["rule_id"]),
            text(&e["resource"]),
            text(&e["path"])
        )
    });
    assert_eq!(entries.len(), 3);
    assert!(entries.contains(&"TGC018 LakeStore stacks/audit.yaml".to_string()));

    // Unchanged project: everything is in the baseline.
    let (code, r) = run(
        root,
        "2026-01-02",
        &["--baseline", "baseline.json", "stacks"],
    );
    assert_eq!((code, r["summary"]["failed"].as_bool()), (0, Some(false)));

    // A new problem gates; the old ones still do not.
    let changed = TEMPLATE.replace(
        "EnableLogFileValidation: true",
        "EnableLogFileValidation: false",
    );
    write(root, "stacks/audit.yaml", &changed);
    let (code, r) = run(
        root,
        "2026-01-02",
        &["--baseline", "baseline.json", "stacks"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&r),
        vec![
            "TGC009 AuditTrail unchanged",
            "TGC005 AuditTrail new",
            "TGC018 LakeStore unchanged",
            "TGC019 LakeStore unchanged"
        ]
    );
    assert_eq!(
        (
            r["summary"]["baselined"].as_u64(),
            r["summary"]["findings"].as_u64()
        ),
        (Some(3), Some(4))
    );
    // The new finding is medium: below `--fail-on high` it does not gate either.
    let (code, _) = run(
        root,
        "2026-01-02",
        &["--baseline", "baseline.json", "--fail-on", "high", "stacks"],
    );
    assert_eq!(code, 0);
}

#[test]
fn baseline_problems_exit_2() {
    let p = project();
    let (code, r) = run(
        p.path(),
        "2026-01-01",
        &["--baseline", "missing.json", "stacks"],
    );
    assert_eq!(code, 2);
    assert_eq!(r["errors"][0]["code"], "baseline::read");
    assert_eq!(r["errors"][0]["path"], "missing.json");
    // Without a baseline the findings carry no baseline state and gate as usual.
    assert_eq!(r["findings"][0]["baseline_state"], Value::Null);
    // The two baseline flags contradict each other: a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .current_dir(p.path())
        .args([
            "scan",
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
            "stacks",
        ])
        .output()
        .expect("trailguard runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
