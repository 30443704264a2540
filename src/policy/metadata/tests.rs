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

fn event_rule(selector: &str) -> String {
    GOOD.replace("#   kind: config", "#   kind: event").replace(
        "#   frameworks:",
        &format!("#   selector:\n{selector}#   frameworks:"),
    )
}

#[test]
fn selector_alternatives_and_field_values() {
    let src = event_rule(concat!(
        "#     eventSource: [ssm.amazonaws.com]\n",
        "#     any_of:\n",
        "#       - eventName: [GetParameter]\n",
        "#         fields:\n",
        "#           requestParameters.withDecryption: [true]\n",
        "#           requestParameters.maxResults: 10\n",
        "#       - eventName: [GetParametersByPath]\n",
    ));
    let sel = extract("x.rego", &src)
        .unwrap()
        .metadata
        .unwrap()
        .selector
        .unwrap();
    assert_eq!(sel.event_source, ["ssm.amazonaws.com"]);
    assert_eq!(sel.any_of.len(), 2);
    assert_eq!(
        sel.any_of[0].fields["requestParameters.withDecryption"],
        ["true"]
    );
    assert_eq!(sel.any_of[0].fields["requestParameters.maxResults"], ["10"]);
    assert_eq!(
        sel.names(),
        Some(vec!["GetParameter", "GetParametersByPath"])
    );
}

#[test]
fn bad_selector_alternatives_point_at_their_line() {
    let errs = extract("x.rego", &event_rule("#     any_of: []\n")).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_first_error(&errs, 12, "`selector.any_of` must be a non-empty list");
    let src = event_rule(concat!(
        "#     any_of:\n",
        "#       - eventName: [A]\n",
        "#         event_name: [B]\n",
        "#       - fields: {x: [{a: 1}]}\n",
    ));
    let errs = extract("x.rego", &src).unwrap_err();
    let messages: Vec<_> = errs.iter().map(|e| (e.line, e.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                Some(14),
                "unknown key `selector.any_of[0].event_name` (expected one of: eventSource, eventName, fields, any_of)"
            ),
            (
                Some(15),
                "`selector.any_of[1].fields` values must be strings, booleans or numbers, found {\"a\":1}"
            ),
        ]
    );
}

#[test]
fn memoize_is_a_boolean_for_event_rules() {
    let event = GOOD
        .replace("#   kind: config", "#   kind: event")
        .replace("#   frameworks:", "#   memoize: true\n#   frameworks:");
    assert!(extract("x.rego", &event).unwrap().metadata.unwrap().memoize);
    let errs = extract(
        "x.rego",
        &event.replace("memoize: true", "memoize: yes please"),
    )
    .unwrap_err();
    assert_first_error(&errs, 11, "`custom.memoize` must be true or false");
    let config = GOOD.replace("#   frameworks:", "#   memoize: true\n#   frameworks:");
    let errs = extract("x.rego", &config).unwrap_err();
    assert!(
        errs[0]
            .message
            .contains("only meaningful for `kind: event`"),
        "{}",
        errs[0].message
    );
}

#[test]
fn a_condition_names_a_rule_the_event_rule_defines() {
    let event = GOOD.replace("#   kind: config", "#   kind: event").replace(
        "#   frameworks:",
        "#   condition: violation\n#   frameworks:",
    ) + "\nviolation if { false }\n";
    let m = extract("x.rego", &event).unwrap().metadata.unwrap();
    assert_eq!(m.condition.as_deref(), Some("violation"));
    // Not defined in the file: the error is on the `condition:` line.
    let errs = extract("x.rego", &event.replace("\nviolation if", "\nother if")).unwrap_err();
    assert_first_error(
        &errs,
        11,
        "names `violation`, which this file does not define",
    );
    for bad in ["deny", "\"a.b\"", "[x]"] {
        let errs = extract(
            "x.rego",
            &event.replace("condition: violation", &format!("condition: {bad}")),
        )
        .unwrap_err();
        assert_first_error(
            &errs,
            11,
            "`custom.condition` must name a rule of this package",
        );
    }
    let config = GOOD.replace(
        "#   frameworks:",
        "#   condition: violation\n#   frameworks:",
    );
    let errs = extract("x.rego", &config).unwrap_err();
    assert_first_error(&errs, 11, "only meaningful for `kind: event`");
}

/// The first error is on `line` and its message contains `text`.
fn assert_first_error(errs: &[Diagnostic], line: u32, text: &str) {
    assert_eq!(errs[0].line, Some(line));
    assert!(errs[0].message.contains(text), "{}", errs[0].message);
}
