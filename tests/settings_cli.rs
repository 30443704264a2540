//! `trailguard.toml` end to end (issue 4): found from the working directory upward or named
//! with `--config`, relative paths resolved against its directory, the command line winning,
//! and an invalid file stopping the run with exit 2 and the line and column of each mistake.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const TEMPLATE: &str = include_str!("fixtures/suppress/project/stacks/audit.yaml");

/// A project with `stacks/audit.yaml` (TGC009 low on AuditTrail; TGC018 and TGC019 medium on
/// LakeStore), an empty `ci/` directory and `trailguard.toml` at its root.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for d in ["stacks", "ci", "conf"] {
        std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
    }
    std::fs::write(dir.path().join("stacks/audit.yaml"), TEMPLATE).expect("write");
    std::fs::write(dir.path().join("trailguard.toml"), config).expect("write");
    dir
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .current_dir(cwd)
        .env("TRAILGUARD_TODAY", "2026-01-01")
        .arg("scan")
        .args(args)
        .output()
        .expect("trailguard runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON report on stdout")
}

/// `RULE resource severity` of every finding.
fn findings(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule_id"].as_str().unwrap_or_default(),
                f["resource"].as_str().unwrap_or_default(),
                f["severity"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn settings_are_found_upward_and_apply() {
    let p = project(
        "format = \"json\"\nfail-on = \"high\"\nignore = [\"TGC019\"]\n\n[severity]\nTGC009 = \"critical\"\nevent-data-store-retention-too-short = \"info\"\n",
    );
    let out = run(&p.path().join("ci"), &["../stacks"]);
    assert_eq!(out.status.code(), Some(1), "TGC009 is critical now");
    let r = json(&out);
    assert_eq!(
        findings(&r),
        vec!["TGC009 AuditTrail critical", "TGC018 LakeStore info"]
    );
    assert_eq!(r["summary"]["by_severity"]["critical"], 1);
}

#[test]
fn the_command_line_wins_over_the_file() {
    let p = project(
        "format = \"json\"\nfail-on = \"none\"\nselect = [\"TGC01\"]\nignore = [\"TGC019\"]\n",
    );
    // From the file: the TGC01 rules but TGC019, and findings never fail the run.
    let out = run(p.path(), &["stacks"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings(&json(&out)), vec!["TGC018 LakeStore medium"]);
    // `--select` replaces the file's selection (its `ignore` too: TGC019 runs again);
    // `--fail-on` replaces its threshold.
    let out = run(
        p.path(),
        &["--select", "TGC009,TGC019", "--fail-on", "low", "stacks"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&json(&out)),
        vec!["TGC009 AuditTrail low", "TGC019 LakeStore medium"]
    );
    // `--ignore` alone replaces the file's `ignore` and keeps its `select`.
    let out = run(p.path(), &["--ignore", "TGC018", "stacks"]);
    assert_eq!(findings(&json(&out)), vec!["TGC019 LakeStore medium"]);
    // `-f human` replaces the file's format.
    let out = run(p.path(), &["-f", "human", "--color", "never", "stacks"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("TGC018 [medium]"), "{text}");
    // `--no-config` ignores the file entirely: every rule, fail on anything.
    let out = run(p.path(), &["--no-config", "-f", "json", "stacks"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&json(&out)).len(), 3);
}

#[test]
fn an_explicit_config_resolves_paths_against_its_directory() {
    let p = project("");
    std::fs::write(
        p.path().join("conf/scan.toml"),
        "format = \"json\"\nwaivers = \"waivers.yaml\"\nexclude = [\"../stacks/ignored/*\"]\n",
    )
    .expect("write");
    std::fs::write(
        p.path().join("conf/waivers.yaml"),
        "waivers:\n  - rule: TGC009\n    reason: SNS is replaced by EventBridge\n",
    )
    .expect("write");
    std::fs::create_dir_all(p.path().join("stacks/ignored")).expect("mkdir");
    std::fs::write(p.path().join("stacks/ignored/copy.yaml"), TEMPLATE).expect("write");
    let out = run(
        &p.path().join("ci"),
        &["--config", "../conf/scan.toml", "../stacks"],
    );
    let r = json(&out);
    assert_eq!(
        findings(&r),
        vec!["TGC018 LakeStore medium", "TGC019 LakeStore medium"],
        "the copy under stacks/ignored is excluded"
    );
    assert_eq!(
        r["suppressed"][0]["suppression"]["source"],
        "../conf/waivers.yaml:2"
    );
    assert_eq!(r["summary"]["files_scanned"], 1);
}

#[test]
fn an_invalid_config_exits_2_with_line_and_column() {
    let p = project(
        "format = \"json\"\nfail-on = \"hgh\"\ncolour = true\n\n[severity]\nTGC404 = \"low\"\n",
    );
    let out = run(&p.path().join("ci"), &["--color", "never", "../stacks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no report is written");
    let err = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "[../trailguard.toml:2:11]",
        "`fail-on` must be one of critical, high, medium, low, info, none, not `hgh`",
        "[../trailguard.toml:3:1]",
        "unknown key `colour`",
        "[../trailguard.toml:6:1]",
        "unknown rule `TGC404` in `[severity]`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert_eq!(err.matches("config::invalid [error]").count(), 3, "{err}");
}

#[test]
fn a_toml_syntax_error_exits_2_with_its_position() {
    let p = project("select = [\"TGC001\"\nformat = \"json\"\n");
    let out = run(p.path(), &["--color", "never", "stacks"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config::parse [error]"), "{err}");
    assert!(err.contains("[trailguard.toml:2:"), "{err}");
}

/// `rules` and `explain` list what `scan` would load here: the policy directories and
/// severities of `trailguard.toml` count, `--no-config` leaves them out, and a broken file
/// stops them as it stops `scan`.
#[test]
fn rules_and_explain_read_the_settings_file() {
    let p = project(
        "policy-dirs = [\"conf/policies\"]\n\n[severity]\nTGC009 = \"critical\"\nACME001 = \"high\"\n",
    );
    std::fs::create_dir_all(p.path().join("conf/policies")).expect("mkdir");
    std::fs::write(
        p.path().join("conf/policies/trail_name.rego"),
        "# METADATA\n# title: Trail names follow the convention\n# description: Names start with org-.\n# custom:\n#   id: ACME001\n#   name: trail-name-off-convention\n#   severity: low\n#   kind: config\n#   remediation:\n#     cloudformation: Rename the trail.\npackage acme.trail_name\n\nimport rego.v1\n\ndeny contains {\"msg\": \"x\", \"resource\": \"t\"} if false\n",
    )
    .expect("write");
    let cmd = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trailguard"))
            .current_dir(p.path().join("ci"))
            .args(args)
            .output()
            .expect("trailguard runs")
    };
    let listed = |out: &Output| -> Vec<(String, String)> {
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|r| ["TGC009", "ACME001"].contains(&r["id"].as_str().unwrap_or("")))
            .map(|r| {
                (
                    r["id"].as_str().unwrap().into(),
                    r["severity"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let out = cmd(&["rules", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        listed(&out),
        [
            ("ACME001".into(), "high".into()),
            ("TGC009".into(), "critical".into())
        ]
    );
    let out = cmd(&["rules", "--format", "json", "--no-config"]);
    assert_eq!(listed(&out), [("TGC009".into(), "low".into())]);
    let out = cmd(&["explain", "--color", "never", "ACME001"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Trail names follow the convention"));
    let out = cmd(&["explain", "--no-config", "ACME001"]);
    assert_eq!(out.status.code(), Some(2));

    std::fs::write(
        p.path().join("trailguard.toml"),
        "[severity]\nACME404 = \"high\"\n",
    )
    .expect("write");
    let out = cmd(&["rules"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown rule `ACME404` in `[severity]`"),
        "{err}"
    );
}
