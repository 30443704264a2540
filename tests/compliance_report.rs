//! The compliance report: control statuses from findings and coverage (fail / pass / not
//! assessed, with the conservative "pass needs every rule" rule), the coverage definition on
//! documents' facts, and golden Markdown and HTML pages (with escaping and no external asset).

mod formats_fixture;

use formats_fixture as fx;
use std::collections::{BTreeMap, BTreeSet};
use trailguard::contract::{
    RuleDescriptor, RuleKind, ScanReport, Severity, SuppressedFinding, Suppression,
};
use trailguard::policy::catalog::{Catalog, Control};
use trailguard::report::compliance::coverage::{self, DocFacts};
use trailguard::report::compliance::{self, Assessment, ComplianceReport, Coverage, Status};

fn rule(id: &str, name: &str, sev: Severity, kind: RuleKind, controls: &[&str]) -> RuleDescriptor {
    let mut d = fx::descriptor(id, name, sev, kind);
    d.compliance = fx::controls(&[("pci-dss-v4.0", controls)]);
    d
}

fn rules() -> Vec<RuleDescriptor> {
    let mut live_only = rule(
        "TGC017",
        "trail-delivery-failing",
        Severity::High,
        RuleKind::Config,
        &["10.7.2"],
    );
    live_only.applies_to = vec!["live-export".into()];
    vec![
        rule(
            "TGC001",
            "trail-logging-disabled",
            Severity::High,
            RuleKind::Config,
            &["10.2.1"],
        ),
        rule(
            "TGC005",
            "log-file-validation-disabled",
            Severity::Medium,
            RuleKind::Config,
            &["10.3.2", "10.7.2"],
        ),
        live_only,
        rule(
            "TGC018",
            "event-data-store-retention-too-short",
            Severity::Medium,
            RuleKind::Config,
            &["10.5.1"],
        ),
        rule(
            "TGC021",
            "no-multi-region-logging-trail",
            Severity::High,
            RuleKind::Config,
            &["10.2.1"],
        ),
        rule(
            "TGE001",
            "root-account-used",
            Severity::Critical,
            RuleKind::Event,
            &["10.4.1"],
        ),
    ]
}

fn catalog() -> Catalog {
    let c = |id: &str, title: &str| Control {
        id: id.into(),
        title: title.into(),
    };
    Catalog {
        framework: "pci-dss-v4.0".into(),
        title: "PCI DSS <v4.0>".into(),
        version: Some("4.0".into()),
        url: Some("https://example.org/pci".into()),
        controls: vec![
            c("10.2.1", "Audit logs are enabled & active"),
            c("10.3.2", "Audit log files are protected"),
            c("10.4.1", "Audit logs are reviewed"),
            c("10.5.1", "Retain audit log history"),
            c("10.7.2", "Failures are detected"),
            c("12.1", "A security policy exists"),
        ],
    }
}

fn scan() -> ScanReport {
    let trail = fx::finding(
        "TGC001",
        "trail-logging-disabled",
        Severity::High,
        RuleKind::Config,
        "Trail 'Audit' is <not> logging",
        "AuditTrail",
        fx::loc("templates/trail.yaml", (7, 18), (7, 23)),
    );
    let mut root = fx::event_finding();
    root.rule_id = "TGE001".into();
    let suppressed = SuppressedFinding {
        finding: root,
        suppression: Suppression {
            kind: "waiver".into(),
            reason: "Break-glass drill".into(),
            owner: None,
            expires: Some("2026-12-31".into()),
            source: ".trailguard-waivers.yaml:4".into(),
        },
    };
    let mut r = fx::report(vec![trail], vec![suppressed]);
    r.summary.events = Some(Default::default());
    r.summary.events.as_mut().unwrap().records_evaluated = 40;
    r
}

fn facts() -> Vec<DocFacts> {
    vec![DocFacts {
        format: "cloudformation".into(),
        trails: 1,
        trail_buckets: 1,
        event_data_stores: 0,
    }]
}

fn sources(rules: &[RuleDescriptor]) -> BTreeMap<String, String> {
    rules
        .iter()
        .map(|d| {
            let text = match d.id.as_str() {
                "TGC018" => "some s in input.event_data_stores",
                "TGC021" => "every t in input.trails",
                _ => "some t in trails.owned",
            };
            (d.source.clone(), text.to_string())
        })
        .collect()
}

fn coverage_for(report: &ScanReport) -> Coverage {
    let rules = rules();
    let selected: BTreeSet<String> = rules.iter().map(|d| d.id.clone()).collect();
    coverage::assess(&rules, &selected, &facts(), report, &sources(&rules))
}

fn built() -> ComplianceReport {
    let report = scan();
    compliance::build(&catalog(), &rules(), &report, &coverage_for(&report))
}

#[test]
fn coverage_follows_formats_subjects_and_event_records() {
    let mut report = scan();
    let cov = coverage_for(&report);
    let na = |s: &str| Assessment::NotAssessed(s.into());
    assert_eq!(cov["TGC001"], Assessment::Assessed);
    assert_eq!(cov["TGC021"], Assessment::Assessed);
    assert_eq!(
        cov["TGC017"],
        na("no scanned document in a format it checks (live-export)")
    );
    assert_eq!(
        cov["TGC018"],
        na("no event data store in the scanned documents")
    );
    assert_eq!(cov["TGE001"], Assessment::Assessed);
    report.summary.events = None;
    let rules = rules();
    let only: BTreeSet<String> = ["TGC001".to_string()].into();
    let cov = coverage::assess(&rules, &only, &facts(), &report, &sources(&rules));
    assert_eq!(cov["TGE001"], na("not selected (--select/--ignore)"));
    let all: BTreeSet<String> = rules.iter().map(|d| d.id.clone()).collect();
    let cov = coverage::assess(&rules, &all, &facts(), &report, &sources(&rules));
    assert_eq!(cov["TGE001"], na("no event records evaluated"));
}

#[test]
fn control_status_is_fail_pass_or_not_assessed() {
    let r = built();
    let status: Vec<(&str, Status, usize, usize)> = r
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c.status, c.rules_assessed, c.rules.len()))
        .collect();
    assert_eq!(
        status,
        [
            ("10.2.1", Status::Fail, 2, 2),
            ("10.3.2", Status::Pass, 1, 1),
            // Only a suppressed finding: the rule ran and the exception is evidence, not a failure.
            ("10.4.1", Status::Pass, 1, 1),
            ("10.5.1", Status::NotAssessed, 0, 1),
            // TGC005 passed but TGC017 (live exports only) never ran: not reported as met.
            ("10.7.2", Status::NotAssessed, 1, 2),
        ]
    );
    assert_eq!(
        (r.summary.fail, r.summary.pass, r.summary.not_assessed),
        (1, 2, 2)
    );
    assert_eq!(r.summary.unmapped_controls, 1);
    assert_eq!(r.summary.findings_by_severity["high"], 1);
    assert_eq!(r.summary.suppressed, 1);
    let ev = &r.controls[2].evidence[0];
    assert_eq!(ev.suppressed.as_deref(), Some("waiver: Break-glass drill"));
    assert_eq!(ev.record_index, Some(12));
}

#[test]
fn markdown_report() {
    let mut out = Vec::new();
    compliance::markdown::write(&built(), Some(&fx::base()), &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn html_report() {
    let mut out = Vec::new();
    compliance::html::write(&built(), Some(&fx::base()), &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    for forbidden in ["<script", "<link", "src=", "<not>", "<v4.0>", "@import"] {
        assert!(!html.contains(forbidden), "{forbidden} in the page");
    }
    assert!(html.contains("Trail &#39;Audit&#39; is &lt;not&gt; logging"));
    assert!(html.contains("<div class=\"card fail\"><b>1</b>fail</div>"));
    insta::assert_snapshot!(html);
}

#[test]
fn markdown_report_with_nothing_scanned() {
    let report = fx::report(vec![], vec![]);
    let rules = rules();
    let selected: BTreeSet<String> = rules.iter().map(|d| d.id.clone()).collect();
    let cov = coverage::assess(&rules, &selected, &[], &report, &sources(&rules));
    let r = compliance::build(&catalog(), &rules, &report, &cov);
    assert_eq!(r.summary.not_assessed, 5);
    let mut out = Vec::new();
    compliance::markdown::write(&r, None, &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}
