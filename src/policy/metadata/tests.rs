//! Unit tests of METADATA extraction and validation.

use super::*;

const GOOD: &str = r#"# METADATA
# title: Log file validation is disabled
# description: Without validation, tampering goes unnoticed.
# custom:
#   id: TGC005
#   name: log-file-validation-disabled
#   severity: medium
#   kind: config
#   remediation:
#     cloudformation: Set EnableLogFileValidation to true.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.2"]
package trailguard.config.log_file_validation_disabled

deny contains {"msg": "x"} if { false }
"#;

#[test]
fn extracts_package_metadata() {
    let p = extract("x.rego", GOOD).unwrap();
    assert_eq!(p.package, "trailguard.config.log_file_validation_disabled");
    let m = p.metadata.unwrap();
    assert_eq!(
        (m.id.as_str(), m.severity, m.kind),
        ("TGC005", Severity::Medium, RuleKind::Config)
    );
    assert_eq!(
        m.frameworks["cis-aws-foundations-v3.0.0"],
        vec!["3.2".to_string()]
    );
    assert!(p.defines_deny);
}

#[test]
fn unknown_key_points_at_its_line() {
    let src = GOOD.replace(
        "#   severity: medium",
        "#   severity: medium\n#   severty: high",
    );
    let errs = extract("x.rego", &src).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, Some(8));
    assert!(
        errs[0].message.contains("custom.severty"),
        "{}",
        errs[0].message
    );
}

#[test]
fn unquoted_control_is_rejected() {
    let src = GOOD.replace(r#"["3.2"]"#, "[3.10]");
    let errs = extract("x.rego", &src).unwrap_err();
    assert!(errs[0].message.contains("quoted"), "{}", errs[0].message);
}

#[test]
fn deny_without_metadata_is_an_error() {
    let errs = extract("x.rego", "package p\n\ndeny contains 1 if { true }\n").unwrap_err();
    assert_eq!(errs[0].line, Some(1));
}

#[test]
fn finds_test_rules() {
    let p = extract(
        "x_test.rego",
        "package p_test\n\ntest_a if { true }\ntest_b if { true }\ntest_a if { false }\n",
    )
    .unwrap();
    assert_eq!(p.tests, vec!["test_a", "test_b"]);
    assert!(p.is_test);
}
