//! `--max-findings-per-rule` end to end: a rule that matches more records than the cap lists
//! the first N in report order and counts the rest, which still fail the run, still count in
//! the summary, are still suppressed by waivers and still go into a written baseline; the
//! listing is the same for any thread count.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// An AccessDenied record (TGE001) by `user` at second `i`.
fn denied(user: &str, i: usize) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "userName": user,
            "arn": format!("arn:aws:iam::111122223333:user/{user}"), "accountId": "111122223333"},
        "eventTime": format!("2024-05-01T00:00:{:02}Z", i % 60),
        "eventSource": "s3.amazonaws.com",
        "eventName": "ListBuckets",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "198.51.100.7",
        "errorCode": "AccessDenied",
        "errorMessage": "Access Denied",
        "eventID": format!("00000000-0000-0000-0000-{i:012}"),
        "recipientAccountId": "111122223333"
    })
}

/// Two JSON Lines files of 15 denied calls each, and one StopLogging record (TGE005, TGE018).
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (file, range) in [("a.jsonl", 0..15), ("b.jsonl", 15..30)] {
        let text: String = range.map(|i| format!("{}\n", denied("dev", i))).collect();
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    let stop = json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "userName": "mallory",
            "arn": "arn:aws:iam::111122223333:user/mallory", "accountId": "111122223333"},
        "eventTime": "2024-05-01T01:00:00Z", "eventSource": "cloudtrail.amazonaws.com",
        "eventName": "StopLogging", "awsRegion": "eu-west-1", "sourceIPAddress": "203.0.113.9",
        "requestParameters": {"name": "main"}, "eventID": "stop-1",
        "recipientAccountId": "111122223333"
    });
    std::fs::write(dir.path().join("c.jsonl"), format!("{stop}\n")).expect("write");
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailguard"))
        .current_dir(dir)
        .env("TRAILGUARD_TODAY", "2026-01-01")
        .args(["scan", "--no-config"])
        .args(args)
        .output()
        .expect("trailguard runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn json_run(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["-f", "json"];
    all.extend_from_slice(args);
    let (code, out) = run(dir, &all);
    (code, serde_json::from_str(&out).expect("JSON report"))
}

/// `RULE path#record` of every listed finding.
fn listed(r: &Value, key: &str) -> Vec<String> {
    r[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f.get("finding").unwrap_or(f))
        .map(|f| {
            format!(
                "{} {}#{}",
                f["rule_id"].as_str().unwrap_or_default(),
                f["location"]["path"].as_str().unwrap_or_default(),
                f["location"]["record_index"]
            )
        })
        .collect()
}

#[test]
fn past_the_cap_findings_are_counted_not_listed_and_still_fail_the_run() {
    let a = archive();
    let (code, r) = json_run(a.path(), &["--max-findings-per-rule", "4", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        listed(&r, "findings"),
        vec![
            // The 30 denials by one principal are also one burst (TGA001, 20 or more in 10m).
            "TGA001 a.jsonl#0",
            "TGE001 a.jsonl#0",
            "TGE001 a.jsonl#1",
            "TGE001 a.jsonl#2",
            "TGE001 a.jsonl#3",
            "TGE005 c.jsonl#0",
            "TGE018 c.jsonl#0",
        ]
    );
    let s = &r["summary"];
    assert_eq!(s["findings"], 33);
    assert_eq!(
        (
            s["by_severity"]["low"].clone(),
            s["by_severity"]["medium"].clone(),
            s["by_severity"]["high"].clone()
        ),
        (json!(31), json!(1), json!(1)),
        "{s}"
    );
    assert_eq!(
        s["not_listed"],
        json!({"max_per_rule": 4, "rules": {"TGE001": 26}})
    );
    // Only the denied calls past the cap: with TGE001 alone at or above the gate, the unlisted
    // ones still fail the run.
    let (code, r) = json_run(
        a.path(),
        &["--max-findings-per-rule", "4", "--select", "TGE001", "."],
    );
    assert_eq!((code, r["summary"]["findings"].clone()), (1, json!(30)));
    // The default lists them all (30 < 1000) and says nothing about a cap.
    let (_, r) = json_run(a.path(), &["."]);
    assert_eq!(r["findings"].as_array().map(Vec::len), Some(33));
    assert!(r["summary"].get("not_listed").is_none());
}

#[test]
fn the_listing_is_the_same_for_any_thread_count_and_the_terminal_says_what_is_missing() {
    let a = archive();
    let args = |t: &'static str| ["--max-findings-per-rule", "3", "--threads", t, "."];
    let (_, one) = run(a.path(), &[&["-f", "json"][..], &args("1")].concat());
    for t in ["2", "8"] {
        let (_, other) = run(a.path(), &[&["-f", "json"][..], &args(t)].concat());
        assert_eq!(one, other, "--threads {t}");
    }
    let (code, human) = run(
        a.path(),
        &["--color", "never", "--max-findings-per-rule", "3", "."],
    );
    assert_eq!(code, 1);
    // The summary wraps to the terminal width: compare words.
    let words = human.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "Not listed: 27 findings past the first 3 per rule (TGE001 27); \
             `--max-findings-per-rule 0` lists them all."
        ),
        "{human}"
    );
    let (_, sarif) = run(
        a.path(),
        &["-f", "sarif", "--max-findings-per-rule", "3", "."],
    );
    let sarif: Value = serde_json::from_str(&sarif).expect("SARIF");
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[0]["level"], "note");
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Not listed: 27 findings past the first 3 per rule")),
        "{notes}"
    );
    // TGE001 x3, TGE005, TGE018 and the TGA001 burst of the 30 denials.
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(6)
    );
}

#[test]
fn waivers_and_baselines_see_every_finding_listed_or_not() {
    let a = archive();
    std::fs::write(
        a.path().join("waivers.yaml"),
        "waivers:\n  - rule: TGE001\n    reason: dev's probe (SEC-9)\n",
    )
    .expect("write");
    let (code, r) = json_run(
        a.path(),
        &[
            "--waivers",
            "waivers.yaml",
            "--select",
            "TGE001",
            "--max-findings-per-rule",
            "4",
            ".",
        ],
    );
    assert_eq!(code, 0, "every denied call is waived");
    assert_eq!(r["summary"]["suppressed"], 30);
    assert_eq!(r["summary"]["findings"], 0);
    assert_eq!(listed(&r, "suppressed").len(), 4);
    assert!(r["summary"].get("not_listed").is_none());

    // An expired waiver counts the findings it would have suppressed, listed or not.
    std::fs::write(
        a.path().join("expired.yaml"),
        "waivers:\n  - rule: TGE001\n    reason: old\n    expires: 2025-01-01\n",
    )
    .expect("write");
    let (code, r) = json_run(
        a.path(),
        &[
            "--waivers",
            "expired.yaml",
            "--select",
            "TGE001",
            "--max-findings-per-rule",
            "4",
            ".",
        ],
    );
    assert_eq!(code, 2);
    let message = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.ends_with("the 30 findings it matches are reported"),
        "{message}"
    );

    // A baseline written under the cap accepts all 30, so the next run gates on nothing.
    let (code, _) = json_run(
        a.path(),
        &[
            "--write-baseline",
            "base.json",
            "--select",
            "TGE001",
            "--max-findings-per-rule",
            "4",
            ".",
        ],
    );
    assert_eq!(code, 0);
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(a.path().join("base.json")).expect("read"))
            .expect("baseline JSON");
    assert_eq!(base["entries"].as_array().map(Vec::len), Some(30));
    let (code, r) = json_run(
        a.path(),
        &[
            "--baseline",
            "base.json",
            "--select",
            "TGE001",
            "--max-findings-per-rule",
            "4",
            ".",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(r["summary"]["baselined"], 30);
    assert_eq!(r["summary"]["findings"], 30);
}

#[test]
fn the_cap_can_be_set_in_trailguard_toml_and_the_flag_wins() {
    let a = archive();
    std::fs::write(
        a.path().join("trailguard.toml"),
        "max-findings-per-rule = 2\n",
    )
    .expect("write");
    let cap = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_trailguard"))
            .current_dir(a.path())
            .args(["scan", "-f", "json", "--select", "TGE001"])
            .args(extra)
            .arg(".")
            .output()
            .expect("trailguard runs");
        let r: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        (
            r["summary"]["not_listed"]["max_per_rule"].clone(),
            r["findings"].as_array().map(Vec::len),
        )
    };
    assert_eq!(cap(&[]), (json!(2), Some(2)));
    assert_eq!(cap(&["--max-findings-per-rule", "5"]), (json!(5), Some(5)));
}

/// With no waivers or baseline, a finding past the cap is counted without being made; with a
/// waiver file (here one that matches nothing) every finding is made and classified. Both must
/// list and count the same findings, for any cap and thread count.
#[test]
fn findings_counted_without_being_made_are_the_ones_the_heap_would_drop() {
    let a = archive();
    let stratus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stratus");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let waivers = elsewhere.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "waivers:\n  - rule: TGE001\n    resource: no-such-principal\n    reason: matches nothing\n",
    )
    .expect("write");
    let stratus = stratus.to_string_lossy().into_owned();
    let waivers = waivers.to_string_lossy().into_owned();
    for cap in ["1", "2", "4", "7"] {
        for threads in ["1", "2"] {
            let common = [
                "--max-findings-per-rule",
                cap,
                "--threads",
                threads,
                ".",
                &stratus,
            ];
            let (c1, fast) = json_run(a.path(), &common);
            let with = [&["--waivers", waivers.as_str()][..], &common[..]].concat();
            let (c2, slow) = json_run(a.path(), &with);
            assert_eq!(c1, c2);
            assert_eq!(
                fast["findings"], slow["findings"],
                "cap {cap}, {threads} threads"
            );
            assert_eq!(fast["summary"]["not_listed"], slow["summary"]["not_listed"]);
            assert_eq!(fast["summary"]["findings"], slow["summary"]["findings"]);
            assert_eq!(
                fast["summary"]["by_severity"],
                slow["summary"]["by_severity"]
            );
            assert!(fast["summary"]["not_listed"]["rules"]["TGE001"].as_u64() > Some(20));
        }
    }
}
