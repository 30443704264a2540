//! End-to-end behaviour of `trailguard scan` on configuration inputs (issue #2): exact findings,
//! exit codes, selection, errors, and golden human/JSON output.

mod common;
use common::*;

const INSECURE: &str = "examples/cloudformation/insecure-trail.yaml";

#[test]
fn quick_start_scan_of_examples_finds_problems_and_exits_1() {
    let o = trailguard(&["scan", "examples/", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["version"], 1);
    assert!(
        r["errors"].as_array().unwrap().is_empty(),
        "{}",
        r["errors"]
    );
    let ids = rule_ids(&r);
    // Config and event rules both fire on the bundled examples.
    for id in ["TGC001", "TGC010", "TGC017", "TGC021", "TGE002", "TGE018"] {
        assert!(ids.contains(id), "{id} missing from {ids:?}");
    }
}

#[test]
fn secure_template_is_clean_and_exits_0() {
    let o = trailguard(&[
        "scan",
        "examples/cloudformation/secure-trail.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let r = json(&o);
    assert_eq!(r["findings"].as_array().unwrap().len(), 0);
    assert_eq!(r["summary"]["documents"], 1);
    assert_eq!(r["summary"]["resources"], 2);
}

#[test]
fn insecure_template_exact_findings() {
    let o = trailguard(&["scan", INSECURE, "--format", "json"]);
    assert_eq!(code(&o), 1);
    let got = findings(&json(&o));
    let want: Vec<(String, String, u64)> = [
        ("TGC011", "LogsBucket", 5),
        ("TGC010", "LogsBucket", 8),
        ("TGC002", "Trail", 29),
        ("TGC006", "Trail", 29),
        ("TGC008", "Trail", 29),
        ("TGC009", "Trail", 29),
        ("TGC016", "Trail", 29),
        ("TGC001", "Trail", 32),
        ("TGC005", "Trail", 36),
        ("TGC003", "Trail", 38),
        ("TGC013", "Trail", 38),
        ("TGC014", "Trail", 38),
        ("TGC015", "Trail", 38),
        ("TGC020", "LakeStore", 43),
        ("TGC018", "LakeStore", 47),
        ("TGC019", "LakeStore", 48),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn fail_on_threshold_decides_exit_code() {
    // The template's worst finding is critical (public bucket).
    assert_eq!(
        code(&trailguard(&[
            "scan",
            INSECURE,
            "--fail-on",
            "critical",
            "-q"
        ])),
        1
    );
    let o = trailguard(&[
        "scan",
        INSECURE,
        "--fail-on",
        "critical",
        "--ignore",
        "TGC010",
        "-q",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        code(&trailguard(&["scan", INSECURE, "--fail-on", "none", "-q"])),
        0
    );
}

#[test]
fn select_and_ignore_take_ids_names_and_prefixes() {
    let ids = |args: &[&str]| {
        let mut a = vec!["scan", INSECURE, "--format", "json"];
        a.extend_from_slice(args);
        rule_ids(&json(&trailguard(&a)))
    };
    assert_eq!(ids(&["--select", "TGC005"]), ["TGC005".to_string()].into());
    assert_eq!(
        ids(&["--select", "log-file-validation-disabled"]),
        ["TGC005".to_string()].into()
    );
    assert_eq!(
        ids(&["--select", "TGC01", "--ignore", "TGC013,TGC014,TGC015"]),
        ["TGC010", "TGC011", "TGC016", "TGC018", "TGC019"]
            .map(String::from)
            .into()
    );
    assert!(ids(&["--select", "TGE"]).is_empty());
}

#[test]
fn unknown_rule_id_is_an_error_not_a_silent_no_op() {
    // Checkov runs nothing and exits 0 for an unknown --check; we refuse (exit 2).
    for flag in ["--select", "--ignore"] {
        let o = trailguard(&["scan", INSECURE, flag, "TGC999"]);
        assert_eq!(code(&o), 2, "{flag}");
        assert!(
            stderr(&o).contains("unknown rule `TGC999`"),
            "{}",
            stderr(&o)
        );
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn malformed_input_is_an_error_with_position_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.yaml");
    std::fs::write(&bad, "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: [unclosed\n").unwrap();
    let o = trailguard(&["scan", bad.to_str().unwrap(), INSECURE, "--format", "json"]);
    assert_eq!(code(&o), 2);
    let r = json(&o);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], "input::parse");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("broken.yaml"));
    assert!(errors[0]["line"].as_u64().unwrap() >= 5);
    // Findings from the good file are still reported.
    assert_eq!(r["findings"].as_array().unwrap().len(), 16);
}

#[test]
fn unrelated_files_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("k8s.yaml"),
        "apiVersion: v1\nkind: ConfigMap\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("other.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    let o = trailguard(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let r = json(&o);
    let reasons: Vec<&str> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons.contains(
            &"not a CloudFormation template, Terraform plan, live export or CloudTrail log"
        )
    );
    assert!(
        reasons.contains(&"CloudFormation template without CloudTrail trails or event data stores")
    );
}

#[test]
fn output_is_identical_across_thread_counts() {
    let run = |t: &str| {
        stdout(&trailguard(&[
            "scan",
            "examples/",
            "tests/fixtures/config/",
            "--format",
            "json",
            "--threads",
            t,
        ]))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}

#[test]
fn rules_lists_every_rule_as_json() {
    let o = trailguard(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    let config = rules.iter().filter(|r| r["kind"] == "config").count();
    assert_eq!(config, 21);
    for r in rules {
        for key in ["id", "name", "kind", "severity", "compliance"] {
            assert!(!r[key].is_null(), "{key} missing in {r}");
        }
    }
}

#[test]
fn explain_shows_remediation_and_examples() {
    let o = trailguard(&["explain", "TGC005", "--color", "never"]);
    assert_eq!(code(&o), 0);
    let text = stdout(&o);
    assert!(text.contains("log-file-validation-disabled"));
    assert!(text.contains("EnableLogFileValidation"));
    assert!(text.contains("cis-aws-foundations-v3.0.0"));
    let o = trailguard(&["explain", "TGX123"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn golden_human_output() {
    let o = trailguard(&["scan", INSECURE, "--color", "never"]);
    insta::assert_snapshot!("human_insecure_template", stdout(&o));
}

#[test]
fn golden_json_output() {
    let o = trailguard(&["scan", INSECURE, "--format", "json"]);
    let mut r = json(&o);
    r["tool"]["version"] = "<version>".into();
    insta::assert_json_snapshot!("json_insecure_template", r);
}

#[test]
fn golden_clean_output() {
    let o = trailguard(&[
        "scan",
        "examples/cloudformation/secure-trail.yaml",
        "--color",
        "never",
    ]);
    insta::assert_snapshot!("human_clean", stdout(&o));
}
