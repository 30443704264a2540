//! Every SARIF log trailguard writes must (1) validate against the official OASIS SARIF 2.1.0
//! schema (vendored in `tests/schemas/`, so a plain clone runs this offline) and (2) pass the
//! GitHub code-scanning profile checked here: what the schema cannot say but GitHub rejects or
//! mis-shows (relative URIs, `startLine >= 1`, numeric-string `security-severity`, limits,
//! message text, one run per category, consistent `ruleIndex`).

mod formats_fixture;

use formats_fixture as fx;
use serde_json::Value;
use std::collections::BTreeSet;
use trailguard::contract::{RuleKind, Severity};
use trailguard::report::sarif::{self, SarifOptions};

fn schema_errors(log: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schemas/sarif-schema-2.1.0.json"
    ))
    .expect("the vendored schema is part of the repository");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn text_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.get("text")?.as_str()
}

/// GitHub's code-scanning profile. Returns every violation found.
fn profile_errors(log: &Value, allow_suppressions: bool) -> Vec<String> {
    let mut errs = Vec::new();
    let mut err = |s: String| errs.push(s);
    if log["version"] != "2.1.0" {
        err("version must be 2.1.0".into());
    }
    // GitHub's limit is 10 MB gzip-compressed; the uncompressed size is a stricter bound.
    let size = serde_json::to_string(log).map_or(0, |t| t.len());
    if size > 10 * 1024 * 1024 {
        err(format!("{size} bytes (over 10 MB)"));
    }
    let runs = log["runs"].as_array().cloned().unwrap_or_default();
    if runs.is_empty() || runs.len() > 20 {
        err(format!("{} runs (1..=20 allowed)", runs.len()));
    }
    let mut categories = BTreeSet::new();
    for (ri, run) in runs.iter().enumerate() {
        let driver = &run["tool"]["driver"];
        let tool = driver["name"].as_str().unwrap_or("");
        if tool.is_empty() {
            err(format!("run {ri}: tool.driver.name missing"));
        }
        let id = run["automationDetails"]["id"].as_str().unwrap_or("");
        let category = id.rsplit_once('/').map_or(id, |(c, _)| c);
        if category.is_empty() || !categories.insert((tool.to_string(), category.to_string())) {
            err(format!(
                "run {ri}: category `{category}` missing or repeated"
            ));
        }
        let rules = driver["rules"].as_array().cloned().unwrap_or_default();
        if rules.len() > 25_000 {
            err(format!("run {ri}: {} rules", rules.len()));
        }
        let mut ids = BTreeSet::new();
        for rule in &rules {
            let rid = rule["id"].as_str().unwrap_or("");
            if rid.is_empty() || !ids.insert(rid.to_string()) {
                err(format!("run {ri}: rule id `{rid}` empty or repeated"));
            }
            for key in ["shortDescription", "fullDescription", "help"] {
                match text_of(rule, key) {
                    Some(t) if !t.trim().is_empty() => {
                        if key != "help" && t.chars().count() > 1024 {
                            err(format!("{rid}: {key} longer than 1024"));
                        }
                    }
                    _ => err(format!("{rid}: {key}.text missing or empty")),
                }
            }
            if rule["name"]
                .as_str()
                .is_some_and(|n| n.chars().count() > 255)
            {
                err(format!("{rid}: name longer than 255"));
            }
            let props = &rule["properties"];
            if props["tags"].as_array().is_some_and(|t| t.len() > 20) {
                err(format!("{rid}: more than 20 tags"));
            }
            if let Some(sev) = props.get("security-severity") {
                match sev.as_str().and_then(|s| s.parse::<f64>().ok()) {
                    Some(x) if x > 0.0 && x <= 10.0 => {}
                    _ => err(format!(
                        "{rid}: security-severity {sev} is not a string in (0,10]"
                    )),
                }
            }
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap_or("");
            if !["none", "note", "warning", "error"].contains(&level) {
                err(format!("{rid}: defaultConfiguration.level `{level}`"));
            }
        }
        let results = run["results"].as_array().cloned().unwrap_or_default();
        if run["results"].is_null() {
            err(format!("run {ri}: results must be present ([] when clean)"));
        }
        if results.len() > 25_000 {
            err(format!("run {ri}: {} results", results.len()));
        }
        for (i, r) in results.iter().enumerate() {
            let at = format!("run {ri} result {i}");
            if text_of(r, "message").is_none_or(|t| t.trim().is_empty()) {
                err(format!("{at}: message.text missing"));
            }
            let rule_id = r["ruleId"].as_str().unwrap_or("");
            match r["ruleIndex"].as_u64().and_then(|x| rules.get(x as usize)) {
                Some(rule) if rule["id"] == rule_id => {}
                _ => err(format!(
                    "{at}: ruleIndex does not point at rule `{rule_id}`"
                )),
            }
            let locs = r["locations"].as_array().cloned().unwrap_or_default();
            if locs.is_empty() || locs.len() > 1000 {
                err(format!("{at}: {} locations", locs.len()));
            }
            if let Some(first) = locs.first() {
                let phys = &first["physicalLocation"];
                let art = &phys["artifactLocation"];
                let uri = art["uri"].as_str().unwrap_or("");
                let has_scheme = uri.split('/').next().is_some_and(|s| s.contains(':'));
                if uri.is_empty() || has_scheme || uri.starts_with('/') || uri.contains('\\') {
                    err(format!(
                        "{at}: uri `{uri}` is not a relative forward-slash path"
                    ));
                }
                if art["uriBaseId"] != "%SRCROOT%" {
                    err(format!("{at}: uriBaseId is not %SRCROOT%"));
                }
                if let Some(region) = phys.get("region") {
                    let start = region["startLine"].as_u64().unwrap_or(0);
                    if start < 1 {
                        err(format!("{at}: startLine < 1"));
                    }
                    if region["endLine"].as_u64().is_some_and(|e| e < start) {
                        err(format!("{at}: endLine before startLine"));
                    }
                    if region["startColumn"].as_u64() == Some(0) {
                        err(format!("{at}: startColumn 0"));
                    }
                }
            }
            if r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .is_none_or(str::is_empty)
            {
                err(format!("{at}: no primaryLocationLineHash"));
            }
            if !allow_suppressions && r.get("suppressions").is_some() {
                err(format!("{at}: suppressed result in a GitHub-bound log"));
            }
        }
    }
    errs
}

fn assert_valid(log: &Value, allow_suppressions: bool) {
    let schema = schema_errors(log);
    assert!(schema.is_empty(), "schema errors: {schema:#?}");
    let profile = profile_errors(log, allow_suppressions);
    assert!(profile.is_empty(), "GitHub profile errors: {profile:#?}");
}

fn opts() -> SarifOptions {
    SarifOptions {
        include_suppressed: false,
        base_dir: Some(fx::base()),
    }
}

#[test]
fn config_and_event_findings_validate_in_one_run_per_category() {
    let log = sarif::to_value(&fx::full(), &fx::descriptors(), &opts());
    assert_valid(&log, false);
    let runs = log["runs"].as_array().unwrap();
    let ids: Vec<&str> = runs
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["trailguard/config/", "trailguard/events/"]);
    // Config run: 4 config rules loaded + TGC099 known only from its finding; suppressed left out.
    let rules: Vec<&str> = runs[0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["TGC001", "TGC005", "TGC010", "TGC016", "TGC099"]);
    assert_eq!(runs[0]["results"].as_array().unwrap().len(), 4);
    assert_eq!(runs[1]["results"].as_array().unwrap().len(), 1);
    // The absolute path under the base became relative.
    assert_eq!(
        runs[0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/main.yaml"
    );
    assert_eq!(
        runs[0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///work/repo/"
    );
}

#[test]
fn event_finding_points_at_its_record_and_event() {
    let report = fx::report(vec![fx::event_finding()], vec![]);
    let log = sarif::to_value(&report, &fx::descriptors(), &opts());
    assert_valid(&log, false);
    let runs = log["runs"].as_array().unwrap();
    // Two documents and an event file were scanned: the clean config run is still emitted.
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["results"], serde_json::json!([]));
    let r = &runs[1]["results"][0];
    assert_eq!(r["ruleId"], "TGE001");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["region"],
        serde_json::json!({"startLine": 1, "startColumn": 1, "endLine": 1})
    );
    assert_eq!(
        loc["logicalLocations"][0],
        serde_json::json!({
            "name": "3f1c9a2e-7d41-4c1b-9f0e-2b8f6a7c5d10",
            "fullyQualifiedName": "/Records/12",
            "kind": "object"
        })
    );
    assert_eq!(r["properties"]["recordIndex"], 12);
    let fp = fx::event_finding().fingerprint;
    assert_eq!(
        r["partialFingerprints"]["primaryLocationLineHash"],
        format!("{fp}:1")
    );
}

#[test]
fn a_clean_scan_is_one_valid_run_with_empty_results() {
    let mut report = fx::clean();
    report.summary.documents = 0;
    let log = sarif::to_value(&report, &fx::descriptors(), &opts());
    assert_valid(&log, false);
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["automationDetails"]["id"], "trailguard/config/");
    assert_eq!(runs[0]["results"], serde_json::json!([]));
    assert_eq!(runs[0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn suppressed_findings_only_behind_the_flag_and_with_their_kind() {
    let with = SarifOptions {
        include_suppressed: true,
        ..opts()
    };
    let log = sarif::to_value(&fx::full(), &fx::descriptors(), &with);
    assert_valid(&log, true);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let sup: Vec<&Value> = results
        .iter()
        .filter_map(|r| r.get("suppressions"))
        .collect();
    assert_eq!(sup.len(), 2);
    assert_eq!(sup[0][0]["kind"], "inSource");
    assert_eq!(sup[0][0]["justification"], "Insights cost too much here");
    assert_eq!(sup[1][0]["kind"], "external");
    assert_eq!(sup[1][0]["properties"]["expires"], "2026-12-31");
}

#[test]
fn severity_maps_to_level_and_security_severity() {
    let log = sarif::to_value(&fx::clean(), &fx::descriptors(), &opts());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let get = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(get("TGC010")["properties"]["security-severity"], "9.5");
    assert_eq!(get("TGC010")["defaultConfiguration"]["level"], "error");
    assert_eq!(get("TGC001")["properties"]["security-severity"], "8.0");
    assert_eq!(get("TGC005")["properties"]["security-severity"], "5.5");
    assert_eq!(get("TGC005")["defaultConfiguration"]["level"], "warning");
    assert!(
        get("TGC016")["properties"]
            .get("security-severity")
            .is_none()
    );
    assert_eq!(get("TGC016")["defaultConfiguration"]["level"], "note");
    assert_eq!(
        get("TGC001")["properties"]["tags"],
        serde_json::json!([
            "security",
            "cloudtrail",
            "high",
            "config",
            "pci-dss-v4.0/10.2.1",
            "soc2/CC7.2"
        ])
    );
    assert_eq!(
        get("TGC001")["helpUri"],
        format!("{}/blob/main/docs/rules.md#tgc001", sarif::project_url())
    );
    assert!(
        get("TGC001")["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains(
                "- **Live account (AWS CLI):** aws cloudtrail update-trail --name &lt;trail&gt;"
            )
    );
}

#[test]
fn the_profile_check_catches_what_github_rejects() {
    let mut log = sarif::to_value(&fx::full(), &fx::descriptors(), &opts());
    let result = &mut log["runs"][0]["results"][0];
    result["ruleIndex"] = 1.into();
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "file:///work/repo/infra/main.yaml".into();
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"] = 8.0.into();
    let dup = log["runs"][0].clone();
    log["runs"].as_array_mut().unwrap().push(dup);
    let errs = profile_errors(&log, false);
    let has = |needle: &str| errs.iter().any(|e| e.contains(needle));
    assert!(
        has("ruleIndex does not point at rule `TGC010`"),
        "{errs:#?}"
    );
    assert!(has("is not a relative forward-slash path"), "{errs:#?}");
    assert!(has("startLine < 1"), "{errs:#?}");
    assert!(
        has("TGC001: security-severity 8.0 is not a string"),
        "{errs:#?}"
    );
    assert!(
        has("category `trailguard/config` missing or repeated"),
        "{errs:#?}"
    );
    // And the schema catches a level SARIF does not define.
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema_errors(&log).is_empty());
}

#[test]
fn a_real_scan_of_templates_plans_and_event_logs_validates() {
    use trailguard::policy::{self, LoadOptions};
    use trailguard::scan::{self, ScanOptions};
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    let opts = ScanOptions {
        paths: vec![
            "tests/fixtures/config/cloudformation".into(),
            "tests/fixtures/config/terraform/plan".into(),
            "examples/events".into(),
        ],
        selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
        threads: 1,
        fail_on: Some(Severity::Info),
        ..Default::default()
    };
    let report = scan::scan(&opts, &set, vec![]);
    assert!(report.findings.len() > 10);
    let sopts = SarifOptions {
        include_suppressed: false,
        base_dir: std::env::current_dir().ok(),
    };
    let log = sarif::to_value(&report, &set.descriptors(), &sopts);
    assert_valid(&log, false);
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    // Aggregate rules read event logs: they report in the events run.
    let run_of = |k: RuleKind| match k {
        RuleKind::Aggregate => RuleKind::Event,
        k => k,
    };
    for (run, kind) in runs.iter().zip([RuleKind::Config, RuleKind::Event]) {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let loaded = set
            .rules
            .iter()
            .filter(|r| run_of(r.desc.kind) == kind)
            .count();
        assert_eq!(rules.len(), loaded);
        let findings = report
            .findings
            .iter()
            .filter(|f| run_of(f.kind) == kind)
            .count();
        assert!(findings > 0);
        assert_eq!(run["results"].as_array().unwrap().len(), findings);
    }
}
