//! A policy that allocates without bound is stopped by the per-evaluation memory limit (issue #5,
//! "memory bounded"): a single builtin call (`numbers.range(1, 1e12)` asked the allocator for
//! 24 TB and aborted the process), a comprehension joined by `concat`, and `array.concat`
//! doubling. The rule is named in an error, the run exits 2 instead of dying, and every other
//! rule and input is still reported, on the interpreter and on the bytecode VM, for config and
//! event scans alike.

mod hardening_util;

use hardening_util::{policy, records, scan_json, stop_logging, write};
use serde_json::Value;

const NONCOMPLIANT: &str = "tests/fixtures/config/cloudformation/noncompliant.yaml";
const EVENT_SELECTOR: &str = "#   selector:\n#     eventName: [StopLogging]\n";

/// One builtin call asking for 10^12 values (24 TB).
const RANGE_BODY: &str = "deny contains {\"msg\": \"never\", \"resource\": \"x\"} if {\n\
    \tx := numbers.range(1, 1000000000000)\n\tcount(x) > 0\n}";

/// A comprehension of 10^9 strings joined into one.
const CONCAT_BODY: &str = "deny contains {\"msg\": \"never\", \"resource\": \"x\"} if {\n\
    \ts := concat(\"\", [y | some i in numbers.range(1, 1000000000); y := \"xxxxxxxx\"])\n\
    \tcount(s) > 0\n}";

/// An array doubled 40 times (8 * 2^40 values).
fn doubling_body() -> String {
    let mut body = String::from(
        "deny contains {\"msg\": \"never\", \"resource\": \"x\"} if {\n\ta0 := [1, 2, 3, 4, 5, 6, 7, 8]\n",
    );
    for i in 0..40 {
        body.push_str(&format!("\ta{} := array.concat(a{i}, a{i})\n", i + 1));
    }
    body.push_str("\tcount(a40) > 0\n}");
    body
}

fn messages(report: &Value, code: &str) -> Vec<String> {
    report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["code"] == code)
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn rule_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The three exploding rules as config (`kind = "config"`) or event rules, plus a rule that
/// fires normally, in `dir/p`.
fn write_policies(dir: &std::path::Path, kind: &str) {
    let selector = if kind == "event" { EVENT_SELECTOR } else { "" };
    let doubling = doubling_body();
    for (id, name, body) in [
        ("USR131", "huge-range", RANGE_BODY),
        ("USR132", "huge-concat", CONCAT_BODY),
        ("USR133", "doubling", doubling.as_str()),
        (
            "USR134",
            "fires",
            "deny contains {\"msg\": \"fires\", \"resource\": \"x\"} if true",
        ),
    ] {
        let package = format!("user.{kind}_{}", name.replace('-', "_"));
        write(
            dir,
            &format!("p/{name}.rego"),
            policy(id, name, kind, selector, &package, body),
        );
    }
}

const BUILTIN_CONFIG_RULES: [&str; 16] = [
    "TGC001", "TGC002", "TGC003", "TGC005", "TGC006", "TGC008", "TGC009", "TGC010", "TGC011",
    "TGC013", "TGC014", "TGC015", "TGC016", "TGC018", "TGC019", "TGC020",
];

#[test]
fn exploding_config_rules_are_stopped_by_the_memory_limit_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_policies(d, "config");
    let events = write(d, "events.json", records(&[stop_logging("ev-1")]));
    let run = scan_json(&[
        "--max-policy-memory",
        "64MiB",
        "--policy",
        &d.join("p").to_string_lossy(),
        NONCOMPLIANT,
        &events,
    ]);
    // An exit code, not a signal: the process did not abort.
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let limit = "exceeded the memory limit of 64 MiB for one evaluation (--max-policy-memory)";
    assert_eq!(
        messages(&report, "policy::eval"),
        vec![
            format!("rule USR131 failed: {limit}"),
            format!("rule USR132 failed: {limit}"),
            format!("rule USR133 failed: {limit}"),
        ]
    );
    // Every built-in rule on the template, the user rule that fires, and the event rules on the
    // other input are still reported.
    let ids = rule_ids(&report);
    for id in BUILTIN_CONFIG_RULES.iter().chain(&["USR134", "TGE016"]) {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    assert!(
        !ids.iter()
            .any(|i| ["USR131", "USR132", "USR133"].contains(&i.as_str()))
    );
    let peak = run.peak_rss_kib.unwrap_or(0);
    assert!(peak < 1024 * 1024, "peak RSS {peak} KiB");
}

fn event_run(interpreter_only: bool) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_policies(d, "event");
    let events = write(
        d,
        "events.json",
        records(&[stop_logging("ev-1"), stop_logging("ev-2")]),
    );
    let policies = d.join("p").to_string_lossy().into_owned();
    let mut args = vec![
        "--max-policy-memory",
        "64MiB",
        "--policy",
        &policies,
        &events,
    ];
    if interpreter_only {
        args.insert(0, "--interpreter-only");
    }
    let run = scan_json(&args);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let stopped = |id: &str| {
        format!(
            "rule {id} failed on record #0: exceeded the memory limit of 64 MiB for one \
             evaluation (--max-policy-memory); the rule was stopped and is disabled for the \
             rest of this file"
        )
    };
    assert_eq!(
        messages(&report, "policy::eval"),
        vec![stopped("USR131"), stopped("USR132"), stopped("USR133")]
    );
    // Both records were evaluated by the other rules, which found what they always find.
    assert_eq!(report["summary"]["events"]["records_evaluated"], 2);
    assert_eq!(
        hardening_util::finding_event_ids(&report),
        vec!["ev-1".to_string(), "ev-2".to_string()]
    );
    assert_eq!(
        rule_ids(&report),
        vec!["TGE005", "TGE016", "TGE018", "USR134"]
    );
}

#[test]
fn exploding_event_rules_on_the_vm_are_stopped_by_the_memory_limit() {
    event_run(false);
}

#[test]
fn exploding_event_rules_on_the_interpreter_are_stopped_by_the_memory_limit() {
    event_run(true);
}

#[test]
fn the_default_limit_stops_a_huge_builtin_call() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p/range.rego",
        policy("USR135", "range", "config", "", "user.range", RANGE_BODY),
    );
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), NONCOMPLIANT]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(
        messages(&run.report(), "policy::eval"),
        vec![
            "rule USR135 failed: exceeded the memory limit of 1 GiB for one evaluation \
             (--max-policy-memory)"
        ]
    );
}

#[test]
fn a_runaway_rule_does_not_change_other_results_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_policies(d, "config");
    let policies = d.join("p").to_string_lossy().into_owned();
    let scan = |threads: &str| {
        let run = scan_json(&[
            "--threads",
            threads,
            "--max-policy-memory",
            "64MiB",
            "--policy",
            &policies,
            "tests/fixtures/config/cloudformation",
        ]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        let mut report = run.report();
        report["tool"] = Value::Null;
        report
    };
    let one = scan("1");
    let two = scan("2");
    assert_eq!(one["findings"], two["findings"]);
    assert_eq!(one["errors"], two["errors"]);
    // Each runaway rule is reported once per template, and nothing else failed.
    let failures = messages(&one, "policy::eval");
    let templates = one["summary"]["documents"].as_u64().unwrap_or(0) as usize;
    assert_eq!(failures.len(), 3 * templates, "{failures:?}");
}

/// A deny entry whose evidence shares its parts: 40 small arrays that write out as 2^40 values.
fn shared_evidence_body() -> String {
    let mut body = String::from(
        "deny contains {\"msg\": \"big\", \"resource\": \"x\", \"evidence\": {\"v\": a40}} if {\n\ta0 := [\"x\"]\n",
    );
    for i in 0..40 {
        body.push_str(&format!("\ta{} := [a{i}, a{i}]\n", i + 1));
    }
    body.push('}');
    body
}

#[test]
fn a_result_too_large_to_write_out_is_an_error_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = shared_evidence_body();
    write(
        d,
        "p/config.rego",
        policy(
            "USR137",
            "shared-config",
            "config",
            "",
            "user.shared_c",
            &body,
        ),
    );
    write(
        d,
        "p/event.rego",
        policy(
            "USR138",
            "shared-event",
            "event",
            EVENT_SELECTOR,
            "user.shared_e",
            &body,
        ),
    );
    let events = write(
        d,
        "events.json",
        records(&[stop_logging("ev-1"), stop_logging("ev-2")]),
    );
    let run = scan_json(&[
        "--policy",
        &d.join("p").to_string_lossy(),
        NONCOMPLIANT,
        &events,
    ]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let why = "its result holds more than 1000000 values or is nested deeper than 128 levels";
    assert_eq!(
        messages(&report, "policy::eval"),
        // Sorted by path: the event file is under the temporary directory.
        vec![
            format!(
                "rule USR138 failed on record #0: {why}; the rule was stopped and is disabled \
                 for the rest of this file"
            ),
            format!("rule USR137 failed: {why}"),
        ]
    );
    let ids = rule_ids(&report);
    for id in BUILTIN_CONFIG_RULES.iter().chain(&["TGE016"]) {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
}

#[test]
fn a_zero_memory_limit_is_refused() {
    let run = hardening_util::run(
        &["scan", "--max-policy-memory", "0", NONCOMPLIANT],
        std::time::Duration::from_secs(30),
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("`0`: a limit must be at least 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_exploding_policy_test_is_an_error_and_the_other_tests_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p/x_test.rego",
        "package user.x_test\n\nimport rego.v1\n\ntest_explodes if {\n\
         \tx := numbers.range(1, 1000000000000)\n\tcount(x) > 0\n}\n\n\
         test_fine if {\n\tcount([1, 2]) == 2\n}\n",
    );
    let run = hardening_util::run(
        &["test", &d.join("p").to_string_lossy()],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].contains("x_test.rego: data.user.x_test.test_explodes: ERROR ("),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines[1],
        "  exceeded the memory limit of 1 GiB for one evaluation"
    );
    assert!(run.stdout.contains("ERROR: 1/"), "{}", run.stdout);
}
