//! The built-in pack's own quality gates (issues #2 and #3): every Rego unit test passes, every
//! good example fires nothing and every bad example fires exactly its rule, and the metadata
//! invariants hold (ids unique, controls exist in the shipped catalogs, files side by side).

use std::collections::BTreeSet;
use trailguard::policy::{self, LoadOptions, testing};

fn load(include_tests: bool) -> policy::PolicySet {
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        include_tests,
        ..Default::default()
    });
    assert!(
        errors.is_empty(),
        "built-in pack has load errors: {errors:#?}"
    );
    set
}

#[test]
fn rego_unit_tests_pass() {
    let set = load(true);
    let results = testing::run(&set, None);
    assert!(results.len() > 400, "only {} tests found", results.len());
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.outcome != testing::Outcome::Pass)
        .map(|r| format!("{}.{}: {:?}", r.package, r.name, r.outcome))
        .collect();
    assert!(
        failed.is_empty(),
        "failing Rego tests:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_example_behaves_as_documented() {
    let set = load(false);
    let results = trailguard::scan::examples::check(&set);
    assert!(results.len() > 300, "only {} examples", results.len());
    let bad: Vec<String> = results
        .iter()
        .filter_map(|r| {
            r.problem
                .as_ref()
                .map(|p| format!("{} {} {} #{}: {p}", r.rule, r.format, r.kind, r.index + 1))
        })
        .collect();
    assert!(bad.is_empty(), "examples not behaving:\n{}", bad.join("\n"));
}

#[test]
fn every_rule_has_tests_and_examples_beside_it() {
    let files: BTreeSet<&str> = policy::BUILTIN_FILES.iter().map(|(p, _)| *p).collect();
    let set = load(false);
    assert_eq!(set.rules.len(), 71);
    for rule in &set.rules {
        let path = rule
            .desc
            .source
            .strip_prefix(policy::BUILTIN_PREFIX)
            .unwrap();
        let stem = path.strip_suffix(".rego").unwrap();
        assert!(
            files.contains(format!("{stem}_test.rego").as_str()),
            "{} has no _test.rego",
            rule.desc.id
        );
        assert!(
            rule.examples.is_some(),
            "{} has no .examples.yaml",
            rule.desc.id
        );
        // Package follows the path: policies/config/x.rego -> data.trailguard.config.x
        let expected = format!(
            "data.trailguard.{}",
            stem.trim_start_matches("policies/").replace('/', ".")
        );
        assert_eq!(rule.desc.package, expected);
        assert!(
            !rule.desc.compliance.is_empty(),
            "{} maps to no control",
            rule.desc.id
        );
        assert!(
            !rule.desc.remediation.is_empty(),
            "{} has no remediation",
            rule.desc.id
        );
    }
}

#[test]
fn ids_and_names_are_unique_and_controls_exist() {
    let set = load(false);
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in &set.rules {
        assert!(ids.insert(r.desc.id.clone()), "duplicate id {}", r.desc.id);
        assert!(
            names.insert(r.desc.name.clone()),
            "duplicate name {}",
            r.desc.name
        );
        for (fw, controls) in &r.desc.compliance {
            for c in controls {
                assert!(
                    set.catalogs.control(fw, c).is_some(),
                    "{}: {fw} {c} not in catalog",
                    r.desc.id
                );
            }
        }
    }
}

#[test]
fn user_policy_cannot_shadow_a_builtin_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.rego"),
        "# METADATA\n# title: Mine\n# description: Mine.\n# custom:\n#   id: TGC001\n#   name: my-rule\n#   severity: low\n#   kind: config\n#   remediation:\n#     cloudformation: nothing\npackage acme.mine\n\ndeny contains {\"msg\": \"x\"} if { false }\n",
    )
    .unwrap();
    let (_, errors) = policy::load(&LoadOptions {
        builtin: true,
        dirs: vec![dir.path().to_path_buf()],
        ..Default::default()
    });
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "policy::duplicate-id");
    assert_eq!(errors[0].line, Some(1));
}

#[test]
fn every_parameter_is_documented() {
    let set = load(false);
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/parameters.md"))
        .unwrap();
    for name in set.params.as_object().unwrap().keys() {
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/parameters.md does not document `{name}`"
        );
    }
}
