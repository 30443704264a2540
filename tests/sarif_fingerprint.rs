//! Fingerprints identify a finding by rule and resource, not by line: a real scan of a template,
//! then the same template with unrelated lines added on top, must give the same SARIF
//! `primaryLocationLineHash` values while every region moves down by exactly those lines.

use serde_json::Value;
use std::collections::BTreeMap;
use trailguard::contract::Severity;
use trailguard::policy::{self, LoadOptions, PolicySet};
use trailguard::report::sarif::{self, SarifOptions};
use trailguard::scan::{self, ScanOptions};

const TEMPLATE: &str = "tests/fixtures/config/cloudformation/noncompliant.yaml";
const ADDED: &str = "# A comment added by a later commit.\n# And another line.\n\n";

fn scan_dir(set: &PolicySet, dir: &std::path::Path) -> Value {
    let opts = ScanOptions {
        paths: vec![dir.join("template.yaml")],
        selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
        threads: 1,
        fail_on: Some(Severity::Info),
        ..Default::default()
    };
    let report = scan::scan(&opts, set, vec![]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let sopts = SarifOptions {
        include_suppressed: false,
        base_dir: Some(dir.to_path_buf()),
    };
    sarif::to_value(&report, &set.descriptors(), &sopts)
}

/// (ruleId, resource) -> (fingerprint, startLine)
fn by_identity(log: &Value) -> BTreeMap<(String, String), (String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["properties"]["resource"].as_str().unwrap().to_string(),
                ),
                (
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_added_above_the_finding() {
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    let original = std::fs::read_to_string(TEMPLATE).unwrap();
    // One file edited in place, as between two commits: the path is part of the identity.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.yaml");
    std::fs::write(&file, &original).unwrap();
    let before = by_identity(&scan_dir(&set, dir.path()));
    std::fs::write(&file, format!("{ADDED}{original}")).unwrap();
    let after = by_identity(&scan_dir(&set, dir.path()));
    assert!(before.len() >= 8, "the fixture should have many findings");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let shift = ADDED.lines().count() as u64;
    for (id, (fp, line)) in &before {
        let (fp_after, line_after) = &after[id];
        assert_eq!(fp, fp_after, "fingerprint of {id:?} changed");
        assert_eq!(*line_after, line + shift, "region of {id:?} did not move");
    }
}
