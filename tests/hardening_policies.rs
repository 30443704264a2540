//! Policies are sandboxed (issue #5): no network or host built-ins, runaway evaluations stopped
//! by a per-evaluation limit with a diagnostic naming the rule while the scan goes on, recursion
//! rejected before it can overflow the stack, and no user policy can take a built-in rule's id
//! or package.

mod hardening_util;

use hardening_util::{CFN, errors, policy, records, scan_json, stop_logging, write};
use serde_json::Value;

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
    ids.dedup();
    ids
}

const EVENT_SELECTOR: &str = "#   selector:\n#     eventName: [StopLogging]\n";

/// A comprehension over 10^10 pairs: only a limit can stop it.
const EXPLODING_BODY: &str = "deny contains {\"msg\": sprintf(\"%d\", [n]), \"resource\": \"x\"} if {\n\
    \tn := count([x | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); x := i * j])\n}";

#[test]
fn network_and_runtime_builtins_are_not_available_to_policies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (id, name, call) in [
        (
            "USR101",
            "uses-http-send",
            "http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1:9/\"})",
        ),
        ("USR102", "uses-dns", "net.lookup_ip_addr(\"localhost\")"),
        ("USR103", "uses-runtime", "opa.runtime()"),
    ] {
        let package = format!("user.{}", name.replace('-', "_"));
        let body = format!(
            "deny contains {{\"msg\": sprintf(\"%v\", [r]), \"resource\": \"x\"}} if {{\n\tr := {call}\n}}"
        );
        write(
            d,
            &format!("p/{name}.rego"),
            policy(id, name, "config", "", &package, &body),
        );
    }
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), CFN]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let failures = messages(&run.report(), "policy::eval");
    assert_eq!(
        failures,
        vec![
            "rule USR101 failed: could not find function http.send",
            "rule USR102 failed: could not find function net.lookup_ip_addr",
            "rule USR103 failed: could not find function opa.runtime",
        ]
    );
}

#[test]
fn an_exploding_config_rule_is_stopped_by_the_time_limit_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p/explode.rego",
        policy(
            "USR111",
            "explodes",
            "config",
            "",
            "user.explodes",
            EXPLODING_BODY,
        ),
    );
    let events = write(d, "events.json", records(&[stop_logging("ev-1")]));
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), CFN, &events]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let failures = messages(&report, "policy::eval");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("rule USR111 failed: execution exceeded time limit"),
        "{failures:?}"
    );
    // The other input was still scanned and its findings reported.
    assert!(rule_ids(&report).contains(&"TGE016".to_string()));
}

#[test]
fn an_exploding_event_rule_is_stopped_by_the_instruction_budget_once_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pol = policy(
        "USR112",
        "explodes-on-events",
        "event",
        EVENT_SELECTOR,
        "user.explodes_ev",
        EXPLODING_BODY,
    );
    write(d, "p/explode.rego", pol);
    let events = write(
        d,
        "events.json",
        records(&[stop_logging("ev-1"), stop_logging("ev-2")]),
    );
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), &events]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let failures = messages(&report, "policy::eval");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with(
            "rule USR112 failed on record #0: Execution stopped: exceeded maximum instruction limit"
        ),
        "{failures:?}"
    );
    assert!(
        failures[0].ends_with("the rule was stopped and is disabled for the rest of this file")
    );
    // Both records were still evaluated by the built-in rules.
    assert_eq!(report["summary"]["events"]["records_evaluated"], 2);
    assert_eq!(
        hardening_util::finding_event_ids(&report),
        vec!["ev-1".to_string(), "ev-2".to_string()]
    );
}

#[test]
fn an_exploding_event_rule_on_the_interpreter_is_stopped_by_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pol = policy(
        "USR113",
        "explodes-interp",
        "event",
        EVENT_SELECTOR,
        "user.explodes_int",
        EXPLODING_BODY,
    );
    write(d, "p/explode.rego", pol);
    let events = write(
        d,
        "events.json",
        records(&[stop_logging("ev-1"), stop_logging("ev-2")]),
    );
    let run = scan_json(&[
        "--interpreter-only",
        "--policy",
        &d.join("p").to_string_lossy(),
        &events,
    ]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let failures = messages(&run.report(), "policy::eval");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("rule USR113 failed on record #0: execution exceeded time limit"),
        "{failures:?}"
    );
    // One limit per file, not one per record.
    assert!(
        run.elapsed < std::time::Duration::from_secs(60),
        "{:?}",
        run.elapsed
    );
}

const RECURSIVE: &str = "f(x) := y if {\n\ty := f(x + 1)\n}\n\n\
    deny contains {\"msg\": sprintf(\"%d\", [f(1)]), \"resource\": \"x\"} if true";

#[test]
fn recursive_functions_are_rejected_at_load_instead_of_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = write(
        d,
        "p/rec_config.rego",
        policy(
            "USR121",
            "recursive-config",
            "config",
            "",
            "user.rec_config",
            RECURSIVE,
        ),
    );
    let event = write(
        d,
        "p/rec_event.rego",
        policy(
            "USR122",
            "recursive-event",
            "event",
            EVENT_SELECTOR,
            "user.rec_event",
            RECURSIVE,
        ),
    );
    let events = write(d, "events.json", records(&[stop_logging("ev-1")]));
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), CFN, &events]);
    assert_eq!(run.code, Some(2), "crashed? {}", run.stderr);
    let report = run.report();
    let mut recursion: Vec<(String, String, Option<u64>)> = errors(&report)
        .into_iter()
        .filter(|e| e.0 == "policy::recursion")
        .collect();
    recursion.sort();
    // METADATA is 11 lines (13 with the selector), then package and import: `f` is defined on
    // line 16 (18).
    assert_eq!(
        recursion,
        vec![
            ("policy::recursion".to_string(), config, Some(16)),
            ("policy::recursion".to_string(), event, Some(18)),
        ]
    );
    assert!(
        messages(&report, "policy::recursion").contains(
            &"recursive function call: user.rec_config.f -> user.rec_config.f".to_string()
        )
    );
    assert!(rule_ids(&report).contains(&"TGE016".to_string()));
}

#[test]
fn a_user_policy_cannot_take_a_built_in_rule_id() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = "deny contains {\"msg\": \"impostor\", \"resource\": \"x\"} if false";
    let user = write(
        d,
        "p/impostor.rego",
        policy(
            "TGE016",
            "impostor",
            "event",
            EVENT_SELECTOR,
            "user.impostor",
            body,
        ),
    );
    let events = write(d, "events.json", records(&[stop_logging("ev-1")]));
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), &events]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let dup: Vec<_> = errors(&report)
        .into_iter()
        .filter(|e| e.0 == "policy::duplicate-id")
        .collect();
    assert_eq!(
        dup,
        vec![("policy::duplicate-id".to_string(), user, Some(1))]
    );
    assert_eq!(
        messages(&report, "policy::duplicate-id"),
        vec![
            "rule id or name `TGE016` is already used by builtin:policies/events/root_account_change.rego"
        ]
    );
    // The built-in rule still runs, under its own id.
    let f: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "TGE016")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["rule_name"], "root-account-change");
}

#[test]
fn a_user_policy_cannot_add_rules_to_a_built_in_package() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = "deny contains {\"msg\": \"injected\", \"resource\": \"x\"} if true";
    let user = write(
        d,
        "p/inject.rego",
        policy(
            "USR131",
            "injector",
            "event",
            EVENT_SELECTOR,
            "trailguard.events.root_account_change",
            body,
        ),
    );
    let events = write(d, "events.json", records(&[stop_logging("ev-1")]));
    let run = scan_json(&["--policy", &d.join("p").to_string_lossy(), &events]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let conflict: Vec<_> = errors(&report)
        .into_iter()
        .filter(|e| e.0 == "policy::package-conflict")
        .collect();
    assert_eq!(
        conflict,
        vec![("policy::package-conflict".to_string(), user, None)]
    );
    let injected = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"] == "injected")
        .count();
    assert_eq!(injected, 0);
}
