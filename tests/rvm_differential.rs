//! Config rules give the same findings on the bytecode VM (the default) as on the regorus
//! interpreter (`interpreter_only`): every example of every config rule and every config fixture
//! under tests/fixtures/config and examples/ is scanned both ways and the reports compared.
//!
//! The VM evaluates some valid Rego differently (tests/rvm_constructs.rs,
//! docs/regorus-notes.md); the built-in pack avoids those constructs and this test holds it to
//! that. It also checks the split: built-in rules on the VM, user rules on the interpreter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use trailguard::contract::{Examples, RuleKind, ScanReport, Severity};
use trailguard::policy::{self, LoadOptions, PolicySet};
use trailguard::scan::examples::{engine_with_params, file_name};
use trailguard::scan::{Prepared, ScanOptions, scan_prepared};

fn load(dirs: Vec<PathBuf>) -> PolicySet {
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        dirs,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:#?}");
    set
}

fn config_ids(set: &PolicySet) -> BTreeSet<String> {
    set.rules
        .iter()
        .filter(|r| r.desc.kind == RuleKind::Config)
        .map(|r| r.desc.id.clone())
        .collect()
}

fn options(selected: BTreeSet<String>, paths: Vec<PathBuf>, interpreter_only: bool) -> ScanOptions {
    ScanOptions {
        paths,
        fail_on: Some(Severity::Info),
        threads: 2,
        selected,
        interpreter_only,
        ..Default::default()
    }
}

/// What must not differ between the engines: each finding's rule, resource, location, message
/// and evidence, and every diagnostic.
fn outcome(report: &ScanReport) -> (Vec<String>, Vec<String>) {
    let mut findings: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            serde_json::json!([f.rule_id, f.resource, f.location, f.message, f.evidence])
                .to_string()
        })
        .collect();
    findings.sort();
    let errors = report
        .errors
        .iter()
        .map(|e| serde_json::to_string(e).expect("diagnostic serializes"))
        .collect();
    (findings, errors)
}

/// Scan `paths` on the VM and on the interpreter with `engine`; assert identical outcomes and
/// that the VM really evaluated every built-in config rule. Returns the number of findings.
fn compare(
    set: &PolicySet,
    (engine, params): (regorus::Engine, serde_json::Value),
    paths: Vec<PathBuf>,
    what: &str,
) -> usize {
    let selected = config_ids(set);
    let vm_opts = options(selected.clone(), paths.clone(), false);
    let vm = Prepared::with_engine(set, engine.clone(), &params, &vm_opts);
    let plan = vm.config_plan();
    assert!(
        plan.program.is_some(),
        "{what}: config rules did not compile to bytecode"
    );
    assert!(
        plan.on_vm.iter().all(|&v| v),
        "{what}: a built-in rule is not on the VM"
    );
    let on_vm = outcome(&scan_prepared(&vm, &vm_opts, Vec::new()));
    let interp_opts = options(selected, paths, true);
    let interp = Prepared::with_engine(set, engine, &params, &interp_opts);
    assert!(interp.config_plan().program.is_none());
    let interpreted = outcome(&scan_prepared(&interp, &interp_opts, Vec::new()));
    assert_eq!(on_vm.1, interpreted.1, "{what}: diagnostics differ");
    let only_vm: Vec<&String> = on_vm
        .0
        .iter()
        .filter(|f| !interpreted.0.contains(f))
        .collect();
    let only_interp: Vec<&String> = interpreted
        .0
        .iter()
        .filter(|f| !on_vm.0.contains(f))
        .collect();
    assert!(
        on_vm.0 == interpreted.0,
        "{what}: findings differ\nonly on the VM: {only_vm:#?}\nonly on the interpreter: {only_interp:#?}"
    );
    on_vm.0.len()
}

#[test]
fn every_config_example_gives_the_same_findings_on_the_vm() {
    let set = load(Vec::new());
    let tmp = tempfile::tempdir().expect("tempdir");
    // Examples grouped by the parameters they are checked with (each group: one engine).
    let mut groups: BTreeMap<String, (BTreeMap<String, serde_json::Value>, Vec<PathBuf>)> =
        BTreeMap::new();
    let mut bad = 0;
    for rule in set.rules.iter().filter(|r| r.desc.kind == RuleKind::Config) {
        let text = rule.examples.as_deref().expect("every rule has examples");
        let examples = Examples::parse(text).expect("examples parse");
        let key = serde_json::to_string(&examples.params).expect("params serialize");
        let group = groups
            .entry(key)
            .or_insert_with(|| (examples.params.clone(), Vec::new()));
        for (format, set_of) in &examples.formats {
            let name = file_name(format).expect("known format");
            for (kind, list) in [("good", &set_of.good), ("bad", &set_of.bad)] {
                for (i, text) in list.iter().enumerate() {
                    let dir = tmp
                        .path()
                        .join(format!("{}-{format}-{kind}{i}", rule.desc.id));
                    std::fs::create_dir_all(&dir).expect("mkdir");
                    std::fs::write(dir.join(name), text).expect("write example");
                    group.1.push(dir);
                    bad += usize::from(kind == "bad");
                }
            }
        }
    }
    let mut findings = 0;
    for (params, dirs) in groups.into_values() {
        let engine = engine_with_params(&set, &params).expect("parameters apply");
        findings += compare(&set, engine, dirs, &format!("examples with {params:?}"));
    }
    // Every bad example fires (tests/policy_pack.rs checks which rule): the scans were real.
    assert!(bad > 50, "only {bad} bad examples");
    assert!(
        findings >= bad,
        "{findings} findings for {bad} bad examples"
    );
}

#[test]
fn config_fixtures_and_bundled_examples_give_the_same_findings_on_the_vm() {
    let set = load(Vec::new());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = compare(
        &set,
        (set.engine.clone(), set.params.clone()),
        vec![root.join("tests/fixtures/config")],
        "tests/fixtures/config",
    );
    assert!(
        fixtures > 200,
        "only {fixtures} findings in tests/fixtures/config"
    );
    let examples = compare(
        &set,
        (set.engine.clone(), set.params.clone()),
        vec![root.join("examples")],
        "examples/",
    );
    assert!(
        examples > 20,
        "only {examples} config findings in examples/"
    );
}

/// A user rule that relies on `else` after an iterating body (wrong on the VM, see
/// tests/rvm_constructs.rs) is planned on the interpreter, so it still reports correctly.
#[test]
fn user_rules_run_on_the_interpreter() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("tags.rego"),
        r#"# METADATA
# title: Trail selectors named
# description: Reports whether a trail has an advanced selector.
# custom:
#   id: ACME001
#   name: acme-selector-note
#   severity: low
#   kind: config
#   remediation:
#     cloudformation: nothing
package acme.selector_note

import rego.v1

deny contains {"msg": sprintf("Trail %s: %s", [t.id, note(t)]), "resource": t.id} if {
	some t in input.trails
}

note(t) := "advanced selectors" if {
	some s in t.advanced_event_selectors.value
	s.name
} else := "no named advanced selector"
"#,
    )
    .expect("write policy");
    let set = load(vec![dir.path().to_path_buf()]);
    let template = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config/cloudformation/compliant.yaml");
    let opts = options(config_ids(&set), vec![template], false);
    let prepared = Prepared::new(&set, &opts);
    let plan = prepared.config_plan();
    assert!(plan.program.is_some());
    let ids: Vec<&str> = set
        .rules
        .iter()
        .filter(|r| r.desc.kind == RuleKind::Config)
        .map(|r| r.desc.id.as_str())
        .collect();
    let on_interpreter: Vec<&str> = ids
        .iter()
        .zip(&plan.on_vm)
        .filter(|(_, vm)| !**vm)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(on_interpreter, ["ACME001"]);
    let report = scan_prepared(&prepared, &opts, Vec::new());
    let notes: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_id == "ACME001")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(notes, ["Trail AuditTrail: no named advanced selector"]);
}

/// A user module that adds to a built-in package changes built-in rules: none runs on the VM.
#[test]
fn a_user_module_in_a_builtin_package_is_refused_and_builtins_stay_on_the_vm() {
    // A user module joining a built-in package could change what a built-in rule means (and
    // the VM proof no longer holds): the loader refuses it, so the VM plan is unaffected.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("fields_extra.rego"),
        "package trailguard.lib.fields\n\nimport rego.v1\n\nacme_flag := true\n",
    )
    .expect("write module");
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        dirs: vec![dir.path().to_path_buf()],
        ..Default::default()
    });
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "policy::package-conflict");
    let opts = options(config_ids(&set), Vec::new(), false);
    let prepared = Prepared::new(&set, &opts);
    let plan = prepared.config_plan();
    assert!(!plan.on_vm.is_empty());
    assert!(plan.on_vm.iter().all(|&v| v));
    assert!(plan.program.is_some());
}

/// A rule that fails on the interpreter is reported by name while every other rule still
/// reports, whether the others ran on the VM or on the interpreter.
#[test]
fn a_failing_user_rule_is_named_and_the_others_still_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("conflict.rego"),
        r#"# METADATA
# title: Conflicting evidence
# description: Builds an object with one key twice.
# custom:
#   id: ACME002
#   name: acme-conflict
#   severity: low
#   kind: config
#   remediation:
#     cloudformation: nothing
package acme.conflict

import rego.v1

deny contains {"msg": "x", "evidence": {k: v | some [k, v] in [["a", 1], ["a", 2]]}} if {
	some t in input.trails
}
"#,
    )
    .expect("write policy");
    let set = load(vec![dir.path().to_path_buf()]);
    let template = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config/cloudformation/noncompliant.yaml");
    let mut outcomes = Vec::new();
    for interpreter_only in [false, true] {
        let opts = options(config_ids(&set), vec![template.clone()], interpreter_only);
        let report = scan_prepared(&Prepared::new(&set, &opts), &opts, Vec::new());
        let messages: Vec<String> = report.errors.iter().map(|e| e.message.clone()).collect();
        assert_eq!(
            messages,
            ["rule ACME002 failed: value for key `\"a\"` generated multiple times: `1` and `2`"],
            "interpreter_only = {interpreter_only}"
        );
        assert!(report.findings.iter().any(|f| &*f.rule_id == "TGC001"));
        outcomes.push(outcome(&report));
    }
    assert_eq!(outcomes[0], outcomes[1]);
}
