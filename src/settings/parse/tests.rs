//! `trailguard.toml` parsing: values, path resolution, and every mistake at its position.

use super::*;

fn errors(text: &str) -> Vec<(u32, u32, String)> {
    let (_, errs) = parse("trailguard.toml", text, Path::new("../.."));
    errs.into_iter()
        .map(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0), d.message))
        .collect()
}

#[test]
fn reads_every_key_and_resolves_paths_against_the_file() {
    let text = r#"
select = ["TGC", "trail-bucket-public"]
ignore = ["TGC013"]
fail-on = "high"
format = "json"
exclude = ["examples/**", "*.bak", "**/vendor/**"]
policy-dirs = ["policies", "/opt/policies"]
data-files = ["params.yaml"]
no-builtin = false
waivers = "security/waivers.yaml"
baseline = ".trailguard/baseline.json"
no-ignores = true
follow-links = true
max-findings-per-rule = 250

[severity]
TGC009 = "info"
trail-bucket-public = "HIGH"
"#;
    let (s, errs) = parse("trailguard.toml", text, Path::new("../.."));
    assert_eq!(errs, vec![]);
    let values = |v: &Option<Vec<Setting<String>>>| -> Vec<String> {
        v.iter().flatten().map(|s| s.value.clone()).collect()
    };
    assert_eq!(values(&s.select), ["TGC", "trail-bucket-public"]);
    assert_eq!(
        s.select.as_ref().map(|v| (v[1].line, v[1].column)),
        Some((2, 18))
    );
    assert_eq!(values(&s.ignore), ["TGC013"]);
    assert_eq!(s.max_findings_per_rule, Some(250));
    assert_eq!(s.fail_on.map(|v| v.value), Some("high".to_string()));
    assert_eq!(
        s.format.map(|v| (v.value, v.line, v.column)),
        Some(("json".to_string(), 5, 10))
    );
    assert_eq!(
        s.exclude,
        Some(vec![
            "../../examples/**".to_string(),
            "*.bak".to_string(),
            "**/vendor/**".to_string()
        ])
    );
    assert_eq!(
        s.policy_dirs,
        Some(vec![
            PathBuf::from("../../policies"),
            PathBuf::from("/opt/policies")
        ])
    );
    assert_eq!(s.data_files, Some(vec![PathBuf::from("../../params.yaml")]));
    assert_eq!(s.no_builtin, Some(false));
    assert_eq!(
        s.waivers,
        Some(PathBuf::from("../../security/waivers.yaml"))
    );
    assert_eq!(
        s.baseline,
        Some(PathBuf::from("../../.trailguard/baseline.json"))
    );
    assert_eq!((s.no_ignores, s.follow_links), (Some(true), Some(true)));
    let severities: Vec<(String, Severity)> = s
        .severity
        .iter()
        .map(|(r, sev)| (r.value.clone(), *sev))
        .collect();
    assert_eq!(
        severities,
        vec![
            ("TGC009".to_string(), Severity::Info),
            ("trail-bucket-public".to_string(), Severity::High)
        ]
    );
}

#[test]
fn every_mistake_is_reported_at_its_position() {
    let text = "fail-on = \"hgh\"\nselect = \"TGC001\"\ncolour = true\nno-ignores = \"yes\"\nexclude = [\"a\", 3]\n\n[severity]\nTGC001 = \"urgent\"\n";
    assert_eq!(
        errors(text),
        vec![
            (
                1,
                11,
                "`fail-on` must be one of critical, high, medium, low, info, none, not `hgh`".into()
            ),
            (2, 10, "`select` must be a list of strings, not string".into()),
            (
                3,
                1,
                "unknown key `colour` (known keys: select, ignore, fail-on, severity, format, exclude, policy-dirs, data-files, no-builtin, waivers, baseline, no-ignores, follow-links, max-findings-per-rule)".into()
            ),
            (4, 14, "`no-ignores` must be true or false, not string".into()),
            (5, 17, "`exclude` must be a string, not integer".into()),
            (
                8,
                10,
                "severity of `TGC001` must be one of critical, high, medium, low, info, not `urgent`".into()
            ),
        ]
    );
}

#[test]
fn a_syntax_error_has_its_line_and_column() {
    let errs = errors("select = [\"TGC001\"]\nfail-on = high\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].0, errs[0].1), (2, 11));
    assert!(errs[0].2.starts_with("invalid TOML: "), "{}", errs[0].2);
}

#[test]
fn columns_count_characters() {
    assert_eq!(position("é = 1\nab = \"x\"", 12), (2, 6));
}

#[test]
fn the_listing_cap_is_a_whole_number() {
    assert_eq!(
        errors("max-findings-per-rule = -1\n"),
        vec![(
            1,
            25,
            "`max-findings-per-rule` must be a whole number, 0 or more, not `-1`".into()
        )]
    );
    assert_eq!(
        errors("max-findings-per-rule = \"all\"\n"),
        vec![(
            1,
            25,
            "`max-findings-per-rule` must be a whole number, 0 or more, not string".into()
        )]
    );
    let (s, errs) = parse("t.toml", "max-findings-per-rule = 0x10\n", Path::new("."));
    assert_eq!((s.max_findings_per_rule, errs.len()), (Some(16), 0));
}
