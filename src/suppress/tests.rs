//! Waiver files, baselines, and applying exceptions to findings.

use super::*;
use crate::contract::{Location, RuleKind, Severity};

fn names() -> RuleNames {
    RuleNames::from_pairs(&[
        ("TGC002", "trail-not-multi-region"),
        ("TGC010", "trail-bucket-public"),
        ("TGC011", "trail-bucket-access-logging-disabled"),
        ("TGC018", "event-data-store-retention-too-short"),
    ])
}

fn finding(rule: &str, resource: &str, path: &str) -> Finding {
    Finding {
        rule_id: rule.into(),
        rule_name: "".into(),
        severity: Severity::Medium,
        kind: RuleKind::Config,
        title: "".into(),
        message: String::new(),
        resource: resource.into(),
        location: Location {
            path: path.into(),
            start_line: 1,
            start_column: 1,
            end_line: 1,
            end_column: 1,
            ..Default::default()
        },
        compliance: Default::default(),
        evidence: Default::default(),
        fingerprint: crate::contract::fingerprint(&[rule, path, resource]),
        baseline_state: None,
    }
}

fn diags(errors: &[Diagnostic]) -> Vec<(&str, Option<u32>, Option<u32>, &str)> {
    errors
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column, d.message.as_str()))
        .collect()
}

const WAIVERS: &str = "\
waivers:
  - rule: TGC01*
    resource: Lake*
    reason: Lake store is being decommissioned
    owner: secops@example.com
    expires: 2026-06-30
  - rule: trail-bucket-public
    path: infra/**
    reason: Public by design
  - rule: TGC002
    reason: Old exception
    expires: 2025-12-31
";

#[test]
fn waiver_files_are_read_strictly() {
    let text = "\
waivers:
  - rule: TGC999
    reason: no such rule
  - rule: TGC002
  - rule: TGC002
    reason: x
    expires: 2026-13-01
  - rule: TGC002
    reason: x
    owner: [a, b]
    ticket: SEC-1
  - rule: '[TGC'
    reason: x
extra: 1
";
    let (waivers, errors) = waivers::parse("w.yaml", text, &names());
    assert!(waivers.is_empty());
    assert_eq!(
        diags(&errors),
        vec![
            (
                "waiver::invalid",
                Some(2),
                Some(11),
                "`TGC999` matches no known rule (`trailguard rules` lists them)"
            ),
            (
                "waiver::invalid",
                Some(4),
                Some(5),
                "the waiver has no `reason`: every exception must say why it is acceptable"
            ),
            (
                "waiver::invalid",
                Some(7),
                Some(14),
                "`expires` must be a date YYYY-MM-DD, not `2026-13-01`"
            ),
            (
                "waiver::invalid",
                Some(10),
                Some(12),
                "`owner` must be a string"
            ),
            (
                "waiver::invalid",
                Some(11),
                Some(5),
                "unknown key `ticket` in a waiver (expected one of: rule, resource, path, reason, owner, expires)"
            ),
            (
                "waiver::invalid",
                Some(12),
                Some(11),
                "invalid rule glob `[TGC`: unclosed character class; missing ']'"
            ),
            (
                "waiver::invalid",
                Some(14),
                Some(1),
                "unknown key `extra` (expected `waivers`)"
            ),
        ]
    );
}

#[test]
fn waiver_yaml_syntax_errors_have_a_position() {
    let (_, errors) = waivers::parse("w.yaml", "waivers:\n  - rule: [TGC002\n", &names());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "waiver::parse");
    assert_eq!(errors[0].line, Some(3));
}

fn exceptions(today: &str) -> Exceptions {
    let (list, errors) = waivers::parse(".trailguard/waivers.yaml", WAIVERS, &names());
    assert_eq!(errors, vec![]);
    Exceptions {
        inline: true,
        names: names(),
        waivers: Some(WaiverFile::for_tests(".trailguard/waivers.yaml", list)),
        baseline: None,
        write_baseline: None,
        today: waivers::date(today).expect("test date"),
    }
}

#[test]
fn waivers_match_by_rule_resource_and_path_globs_until_they_expire() {
    let mut findings = vec![
        finding("TGC018", "LakeStore", "stacks/lake.yaml"),
        finding("TGC018", "OtherStore", "stacks/lake.yaml"),
        finding("TGC010", "Logs", "infra/prod/trail.yaml"),
        finding("TGC010", "Logs", "stacks/trail.yaml"),
        finding("TGC002", "Trail", "stacks/trail.yaml"),
    ];
    let applied = apply(
        &exceptions("2026-01-01"),
        Vec::new(),
        &mut findings,
        &Unlisted::default(),
    );
    let suppressed: Vec<(&str, &str, &str)> = applied
        .suppressed
        .iter()
        .map(|s| {
            (
                &*s.finding.rule_id,
                s.finding.resource.as_str(),
                s.suppression.source.as_str(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        vec![
            ("TGC018", "LakeStore", ".trailguard/waivers.yaml:2"),
            ("TGC010", "Logs", ".trailguard/waivers.yaml:7"),
        ]
    );
    assert_eq!(
        applied.suppressed[0].suppression,
        Suppression {
            kind: "waiver".into(),
            reason: "Lake store is being decommissioned".into(),
            owner: Some("secops@example.com".into()),
            expires: Some("2026-06-30".into()),
            source: ".trailguard/waivers.yaml:2".into(),
        }
    );
    let kept: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (&*f.rule_id, f.resource.as_str()))
        .collect();
    assert_eq!(
        kept,
        vec![
            ("TGC018", "OtherStore"),
            ("TGC010", "Logs"),
            ("TGC002", "Trail")
        ]
    );
    assert_eq!(
        diags(&applied.errors),
        vec![(
            "waiver::expired",
            Some(10),
            Some(5),
            "waiver for `TGC002` expired on 2025-12-31; it no longer suppresses: the 1 finding it matches is reported"
        )]
    );
}

#[test]
fn a_waiver_suppresses_through_its_expiry_date_and_not_after() {
    let on_the_day = {
        let mut f = vec![finding("TGC018", "LakeStore", "a.yaml")];
        apply(
            &exceptions("2026-06-30"),
            Vec::new(),
            &mut f,
            &Unlisted::default(),
        )
        .suppressed
        .len()
    };
    let mut after = vec![finding("TGC018", "LakeStore", "a.yaml")];
    let applied = apply(
        &exceptions("2026-07-01"),
        Vec::new(),
        &mut after,
        &Unlisted::default(),
    );
    assert_eq!(
        (on_the_day, applied.suppressed.len(), after.len()),
        (1, 0, 1)
    );
    let expired: Vec<&str> = applied.errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        expired,
        vec![
            "waiver for `TGC01*` (owner: secops@example.com) expired on 2026-06-30; it no longer suppresses: the 1 finding it matches is reported",
            "waiver for `TGC002` expired on 2025-12-31; it no longer suppresses: it matches no finding",
        ]
    );
}

#[test]
fn inline_suppressions_need_a_known_rule_and_a_reason() {
    let f = finding("TGC002", "Trail", "t.yaml");
    let s = |rule: &str, reason: &str| Bound {
        suppression: InlineSuppression {
            resource: "Trail".into(),
            rule: rule.into(),
            reason: reason.into(),
            path: "t.yaml".into(),
            line: 9,
            column: 13,
            invalid: None,
        },
        targets: vec![f.fingerprint.clone()],
    };
    let mut findings = vec![f.clone()];
    let applied = apply(
        &exceptions("2026-01-01"),
        vec![s("TGC002", ""), s("TGC404", "x")],
        &mut findings,
        &Unlisted::default(),
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(
        diags(&applied.errors),
        vec![
            (
                "suppress::missing-reason",
                Some(9),
                Some(13),
                "suppression of `TGC002` on `Trail` has no reason; it suppresses nothing"
            ),
            (
                "suppress::unknown-rule",
                Some(9),
                Some(13),
                "suppression names unknown rule `TGC404`; it suppresses nothing"
            ),
            (
                "waiver::expired",
                Some(10),
                Some(5),
                "waiver for `TGC002` expired on 2025-12-31; it no longer suppresses: the 1 finding it matches is reported"
            ),
        ]
    );
    // By name, with a reason: suppressed inline (before any waiver is considered).
    let applied = apply(
        &exceptions("2026-01-01"),
        vec![s("trail-not-multi-region", "org trail")],
        &mut findings,
        &Unlisted::default(),
    );
    assert_eq!(findings.len(), 0);
    assert_eq!(applied.suppressed[0].suppression.kind, "inline");
    assert_eq!(applied.suppressed[0].suppression.source, "t.yaml:9");
    // --no-ignores: not applied, and not checked either.
    let mut findings = vec![f.clone()];
    let ex = Exceptions {
        inline: false,
        ..exceptions("2026-01-01")
    };
    let applied = apply(
        &ex,
        vec![s("TGC002", "org trail"), s("TGC404", "")],
        &mut findings,
        &Unlisted::default(),
    );
    assert_eq!((findings.len(), applied.suppressed.len()), (1, 0));
}

#[test]
fn baseline_marks_findings_new_or_unchanged() {
    let old = finding("TGC002", "Trail", "t.yaml");
    let text = serde_json::to_string(&baseline::BaselineFile::new(
        std::slice::from_ref(&old),
        &[],
        waivers::date("2026-01-01").expect("date"),
    ))
    .expect("serializes");
    let ex = Exceptions {
        baseline: Some(baseline::parse("b.json", &text).expect("parses")),
        waivers: None,
        ..exceptions("2026-01-01")
    };
    let mut findings = vec![old, finding("TGC010", "Logs", "t.yaml")];
    apply(&ex, Vec::new(), &mut findings, &Unlisted::default());
    let states: Vec<Option<BaselineState>> = findings.iter().map(|f| f.baseline_state).collect();
    assert_eq!(
        states,
        vec![Some(BaselineState::Unchanged), Some(BaselineState::New)]
    );
}

#[test]
fn baseline_files_are_checked() {
    let bad_version = r#"{"version": 9, "tool": {"name": "trailguard", "version": "0"}, "created": "2026-01-01", "entries": []}"#;
    let d = baseline::parse("b.json", bad_version).expect_err("version 9 is refused");
    assert_eq!(
        (d.code.as_str(), d.message.as_str()),
        (
            "baseline::version",
            "baseline format version 9 is not supported (this trailguard reads version 1)"
        )
    );
    let extra = "{\"version\": 1, \"tool\": {\"name\": \"trailguard\", \"version\": \"0\"},\n \"created\": \"2026-01-01\", \"entries\": [], \"more\": 1}";
    let d = baseline::parse("b.json", extra).expect_err("unknown field is refused");
    assert_eq!((d.code.as_str(), d.line), ("baseline::parse", Some(2)));
    assert!(
        d.message
            .starts_with("not a trailguard baseline: unknown field `more`"),
        "{}",
        d.message
    );
}
