//! A rule's METADATA `condition` (docs/event-rules.md, "Conditions"): findings that cannot be
//! listed are counted by the condition alone, with the same counts as a full evaluation, and a
//! condition that disagrees with its rule's `deny` is reported.

use std::path::{Path, PathBuf};
use trailguard::contract::{ScanReport, Severity};
use trailguard::policy::{self, LoadOptions, PolicySet};
use trailguard::scan::{self, ScanOptions};

/// A user rule USR010 that fires on GetObject, and whose `condition` is rule `hit` (body `cond`).
fn pack(dir: &Path, memoize: bool, cond: &str) -> PolicySet {
    let pol = dir.join("p");
    std::fs::create_dir_all(&pol).unwrap();
    std::fs::write(
        pol.join("a.rego"),
        format!(
            "# METADATA\n# title: Object read\n# description: d\n# custom:\n#   id: USR010\n#   name: object-read\n#   severity: low\n#   kind: event\n#   applies_to: [events]\n#   memoize: {memoize}\n#   condition: hit\n#   remediation:\n#     events: r\npackage user.a\n\nimport rego.v1\n\ndeny contains {{\"msg\": sprintf(\"%s read by %s\", [input.eventName, input.sourceIPAddress])}} if {{\n\thit\n\tinput.eventName == \"GetObject\"\n}}\n\nhit if {cond}\n"
        ),
    )
    .unwrap();
    let (set, errors) = policy::load(&LoadOptions {
        dirs: vec![pol],
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:#?}");
    set
}

/// JSON Lines: one record per event name, each from its own address.
fn events(dir: &Path, names: &[&str]) -> PathBuf {
    let path = dir.join("e.jsonl");
    let lines: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                r#"{{"eventVersion":"1.09","eventTime":"2024-08-01T10:00:{i:02}Z","eventSource":"s3.amazonaws.com","eventName":"{name}","sourceIPAddress":"198.51.100.{}","eventID":"ev-{i}"}}"#,
                i % 3
            )
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

fn run(set: &PolicySet, path: &Path, tweak: impl FnOnce(&mut ScanOptions)) -> ScanReport {
    let mut opts = ScanOptions {
        paths: vec![path.to_path_buf()],
        fail_on: Some(Severity::Info),
        threads: 1,
        selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
        ..Default::default()
    };
    tweak(&mut opts);
    scan::scan(&opts, set, Vec::new())
}

fn messages(r: &ScanReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.message.as_str()).collect()
}

#[test]
fn findings_counted_by_the_condition_are_the_ones_a_full_evaluation_counts() {
    let dir = tempfile::tempdir().unwrap();
    // Nine reads among other calls; three addresses, so a memoized rule reuses results too.
    let names = [
        "GetObject",
        "ListBuckets",
        "GetObject",
        "GetObject",
        "PutObject",
        "GetObject",
        "GetObject",
        "GetObject",
        "HeadObject",
        "GetObject",
        "GetObject",
        "GetObject",
    ];
    let path = events(dir.path(), &names);
    for memoize in [false, true] {
        let set = pack(dir.path(), memoize, r#"input.eventName == "GetObject""#);
        // The bytecode VM, and the interpreter that runs rules the VM cannot compile.
        for (cap, interpreter_only) in [(1, false), (2, false), (5, false), (1, true), (2, true)] {
            let fast = run(&set, &path, |o| {
                o.max_findings_per_rule = cap;
                o.interpreter_only = interpreter_only
            });
            let full = run(&set, &path, |o| {
                o.max_findings_per_rule = cap;
                o.no_prefilter = true
            });
            assert!(fast.errors.is_empty(), "{:#?}", fast.errors);
            assert_eq!(
                fast.summary.findings, 9,
                "memoize {memoize}, cap {cap}, interpreter {interpreter_only}"
            );
            assert_eq!(full.summary.findings, 9);
            assert_eq!(messages(&fast), messages(&full));
            assert_eq!(fast.findings.len(), cap);
        }
        let all = run(&set, &path, |o| o.max_findings_per_rule = 0);
        assert_eq!(
            messages(&all)[..3],
            [
                "GetObject read by 198.51.100.0",
                "GetObject read by 198.51.100.2",
                "GetObject read by 198.51.100.0"
            ]
        );
        assert_eq!(all.findings.len(), 9);
    }
}

#[test]
fn a_condition_that_disagrees_with_deny_is_reported_and_the_rule_then_runs_in_full() {
    let dir = tempfile::tempdir().unwrap();
    // `hit` holds on every record, `deny` fires only on reads: the first record, evaluated in
    // full (nothing is listed yet), shows the disagreement.
    let set = pack(dir.path(), false, "input.eventName");
    let names = [
        "ListBuckets",
        "GetObject",
        "GetObject",
        "PutObject",
        "GetObject",
    ];
    let path = events(dir.path(), &names);
    let r = run(&set, &path, |o| o.max_findings_per_rule = 1);
    assert_eq!(r.summary.findings, 3, "PutObject is not counted");
    assert_eq!(messages(&r), ["GetObject read by 198.51.100.1"]);
    let errors: Vec<(&str, &str)> = r
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [(
            "policy::eval",
            "rule USR010 failed on record #0: its condition `hit` was true but `deny` held 0 \
             entries: a rule's condition must hold exactly when `deny` holds one entry \
             (findings that cannot be listed are counted by it); this scan now evaluates the \
             rule in full"
        )]
    );
    assert_eq!(trailguard::report::exit_code(&r), 2);
}

/// Every built-in condition that reads a few members gives, on a value of just those members,
/// what it gives on the whole record, and so does trailguard's own decision where it makes it: on the fixture records and on variants of them with each
/// member it reads set to every value that member takes anywhere in the corpus (and a few that
/// the rules single out).
#[test]
fn built_in_conditions_decide_the_same_on_the_members_they_read() {
    use std::collections::{BTreeMap, BTreeSet};
    use std::ops::ControlFlow;
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:#?}");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut records: Vec<serde_json::Value> = Vec::new();
    for dir in [
        "tests/fixtures/stratus",
        "tests/fixtures/events",
        "tests/fixtures/bursts",
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let _ = trailguard::events::read_path(&f, &Default::default(), |r| {
                if let Ok(v) = serde_json::from_str(r.raw) {
                    records.push(v);
                }
                ControlFlow::Continue(())
            });
        }
    }
    assert!(records.len() > 300, "{}", records.len());
    let mut engine = set.engine.clone();
    let (mut checked, mut natively) = (0, 0);
    let mut native_rules = BTreeSet::new();
    for rule in set.rules.iter().filter(|r| r.desc.condition.is_some()) {
        let entry = format!(
            "{}.{}",
            rule.desc.package,
            rule.desc.condition.as_ref().unwrap()
        );
        let Some(reads) =
            trailguard::eventscan::reads::top_level_reads(engine.get_modules(), &entry)
        else {
            continue;
        };
        let native = {
            let data = engine.get_data();
            trailguard::eventscan::native::compile(engine.get_modules(), &entry, &data)
        };
        if native.is_some() {
            native_rules.insert(rule.desc.id.clone());
        }
        // Every value each member takes in the corpus, and the values the rules single out.
        let mut pool: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for m in &reads {
            let values = pool.entry(m.as_str()).or_default();
            for r in &records {
                values.insert(r.get(m).map_or("null".into(), |v| v.to_string()));
            }
            for v in [
                "\"delivery.logs.amazonaws.com\"",
                "\"HeadBucket\"",
                "\"AccessDenied\"",
                "\"Client.UnauthorizedOperation\"",
                "403",
                "{}",
            ] {
                values.insert(v.to_string());
            }
        }
        let decide = |engine: &mut regorus::Engine, v: &serde_json::Value| {
            engine.set_input(regorus::Value::from_json_str(&v.to_string()).unwrap());
            engine.eval_rule(entry.clone()).unwrap()
        };
        let only = |v: &serde_json::Value| {
            let mut v = v.clone();
            if let Some(o) = v.as_object_mut() {
                o.retain(|k, _| reads.contains(k));
            }
            v
        };
        for (n, r) in records.iter().enumerate() {
            let mut variants = vec![r.clone()];
            // Variants of one record in ten keep the test quick.
            if n % 10 == 0 {
                for (m, values) in &pool {
                    for text in values {
                        let mut v = r.clone();
                        v[*m] = serde_json::from_str(text).unwrap();
                        variants.push(v);
                    }
                }
            }
            for v in variants {
                let whole = decide(&mut engine, &v);
                assert_eq!(
                    whole,
                    decide(&mut engine, &only(&v)),
                    "{} on {v}",
                    rule.desc.id
                );
                // Decided by trailguard itself when the condition is simple enough.
                if let Some(pred) = &native {
                    let ours = pred.holds(only(&v).as_object().unwrap());
                    assert_eq!(
                        ours,
                        whole == regorus::Value::Bool(true),
                        "{} natively on {v}",
                        rule.desc.id
                    );
                    natively += 1;
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
    assert!(natively > 1000, "{natively}");
    // TGE036's goes through a function of another package and a parameter.
    assert_eq!(
        native_rules.into_iter().collect::<Vec<_>>(),
        ["TGE001", "TGE036"]
    );
}
