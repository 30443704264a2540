//! A hand-built scan result shared by the CI-format tests: config findings in two files (one
//! given as an absolute path under the base directory, with a pipe, HTML and a mention in its
//! message), an event finding with record index and eventID, a finding of a rule that is not
//! loaded, two suppressed findings (inline and waiver), a baselined finding, and a tool error.

#![allow(dead_code)]

use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use trailguard::contract::{
    BaselineState, Diagnostic, EventStats, Finding, Location, REPORT_VERSION, RuleDescriptor,
    RuleKind, ScanReport, Severity, Summary, SuppressedFinding, Suppression, ToolInfo, fingerprint,
};

pub const BASE: &str = "/work/repo";

pub fn base() -> PathBuf {
    PathBuf::from(BASE)
}

pub fn controls(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

pub fn descriptor(id: &str, name: &str, severity: Severity, kind: RuleKind) -> RuleDescriptor {
    let dir = kind.as_str();
    let file = name.replace('-', "_");
    let mut remediation = BTreeMap::new();
    if kind == RuleKind::Config {
        remediation.insert(
            "cloudformation".into(),
            format!("Fix `{name}` in the template."),
        );
        remediation.insert(
            "live".into(),
            "aws cloudtrail update-trail --name <trail>".into(),
        );
    } else {
        remediation.insert("events".into(), "Investigate the principal.".into());
    }
    RuleDescriptor {
        id: id.into(),
        name: name.into(),
        title: format!("Title of {name}"),
        description: format!("Why {name} matters.\nSecond line."),
        severity,
        kind,
        remediation,
        compliance: controls(&[("pci-dss-v4.0", &["10.2.1"]), ("soc2", &["CC7.2"])]),
        applies_to: vec![],
        selector: None,
        requires_params: Vec::new(),
        memoize: false,
        condition: None,
        window: None,
        aliases: vec![],
        package: format!("data.trailguard.{dir}.{file}"),
        source: format!("builtin:policies/{dir}/{file}.rego"),
        related_resources: vec!["https://docs.aws.amazon.com/awscloudtrail/".into()],
        builtin: true,
    }
}

pub fn descriptors() -> Vec<RuleDescriptor> {
    vec![
        descriptor(
            "TGC001",
            "trail-logging-disabled",
            Severity::High,
            RuleKind::Config,
        ),
        descriptor(
            "TGC005",
            "log-file-validation-disabled",
            Severity::Medium,
            RuleKind::Config,
        ),
        descriptor(
            "TGC010",
            "trail-bucket-public",
            Severity::Critical,
            RuleKind::Config,
        ),
        descriptor(
            "TGC016",
            "insights-not-enabled",
            Severity::Info,
            RuleKind::Config,
        ),
        descriptor(
            "TGE001",
            "root-account-used",
            Severity::Critical,
            RuleKind::Event,
        ),
    ]
}

pub fn loc(path: &str, start: (u32, u32), end: (u32, u32)) -> Location {
    Location {
        path: path.into(),
        start_line: start.0,
        start_column: start.1,
        end_line: end.0,
        end_column: end.1,
        record_index: None,
        event_id: None,
    }
}

pub fn finding(
    id: &str,
    name: &str,
    severity: Severity,
    kind: RuleKind,
    message: &str,
    resource: &str,
    location: Location,
) -> Finding {
    let fp = fingerprint(&[id, &location.path, resource]);
    Finding {
        rule_id: id.into(),
        rule_name: name.into(),
        severity,
        kind,
        title: format!("Title of {name}").into(),
        message: message.into(),
        resource: resource.into(),
        location,
        compliance: controls(&[("pci-dss-v4.0", &["10.2.1"]), ("soc2", &["CC7.2"])]).into(),
        evidence: json!({"field": "x"}).into(),
        fingerprint: fp,
        baseline_state: None,
    }
}

pub fn event_finding() -> Finding {
    let mut l = loc(
        "logs/111122223333_CloudTrail_us-east-1.json",
        (1, 1),
        (1, 1),
    );
    l.record_index = Some(12);
    l.event_id = Some("3f1c9a2e-7d41-4c1b-9f0e-2b8f6a7c5d10".into());
    let mut f = finding(
        "TGE001",
        "root-account-used",
        Severity::Critical,
        RuleKind::Event,
        "Root user signed in to the console without MFA",
        "arn:aws:iam::111122223333:root",
        l,
    );
    f.fingerprint = fingerprint(&["TGE001", "3f1c9a2e-7d41-4c1b-9f0e-2b8f6a7c5d10", ""]);
    f
}

fn counts(findings: &[Finding]) -> BTreeMap<String, u64> {
    let mut m: BTreeMap<String, u64> = Severity::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    for f in findings {
        *m.entry(f.severity.as_str().into()).or_default() += 1;
    }
    m
}

pub fn report(findings: Vec<Finding>, suppressed: Vec<SuppressedFinding>) -> ScanReport {
    let has_events = findings.iter().any(|f| f.kind == RuleKind::Event);
    ScanReport {
        version: REPORT_VERSION,
        tool: ToolInfo {
            name: "trailguard".into(),
            version: "0.1.0".into(),
        },
        summary: Summary {
            files_scanned: 3,
            documents: 2,
            resources: 3,
            rules_evaluated: 5,
            findings: findings.len() as u64,
            by_severity: counts(&findings),
            suppressed: suppressed.len() as u64,
            failed: !findings.is_empty(),
            events: has_events.then(|| EventStats {
                files: 1,
                records_read: 40,
                records_evaluated: 40,
                ..Default::default()
            }),
            ..Default::default()
        },
        findings,
        suppressed,
        errors: vec![],
        skipped: vec![],
    }
}

/// The full report: every kind of entry the formats must handle.
pub fn full() -> ScanReport {
    let mut baselined = finding(
        "TGC005",
        "log-file-validation-disabled",
        Severity::Medium,
        RuleKind::Config,
        "Trail 'Audit' has log file validation disabled",
        "AuditTrail",
        loc("templates/trail.yaml", (9, 32), (9, 37)),
    );
    baselined.baseline_state = Some(BaselineState::Unchanged);
    let findings = vec![
        finding(
            "TGC010",
            "trail-bucket-public",
            Severity::Critical,
            RuleKind::Config,
            "S3 bucket 'logs|prod' is public: <b>AllUsers</b> READ, ask @secops #12",
            "LogsBucket",
            loc("/work/repo/infra/main.yaml", (8, 22), (8, 32)),
        ),
        finding(
            "TGC001",
            "trail-logging-disabled",
            Severity::High,
            RuleKind::Config,
            "Trail 'Audit' is not logging (IsLogging is false)\nsecond line: 100%, done",
            "AuditTrail",
            loc("templates/trail.yaml", (7, 18), (7, 23)),
        ),
        baselined,
        finding(
            "TGC099",
            "custom-rule",
            Severity::Low,
            RuleKind::Config,
            "A rule that the current policy set does not have",
            "aws_cloudtrail.main",
            loc("plan.json", (0, 0), (0, 0)),
        ),
        event_finding(),
    ];
    let suppressed = vec![
        SuppressedFinding {
            finding: finding(
                "TGC016",
                "insights-not-enabled",
                Severity::Info,
                RuleKind::Config,
                "Trail 'Audit' has no Insights",
                "AuditTrail",
                loc("templates/trail.yaml", (6, 3), (6, 13)),
            ),
            suppression: Suppression {
                kind: "inline".into(),
                reason: "Insights cost too much here".into(),
                owner: None,
                expires: None,
                source: "templates/trail.yaml:5".into(),
            },
        },
        SuppressedFinding {
            finding: finding(
                "TGC005",
                "log-file-validation-disabled",
                Severity::Medium,
                RuleKind::Config,
                "Trail 'Legacy' has log file validation disabled",
                "LegacyTrail",
                loc("templates/legacy.yaml", (4, 5), (4, 30)),
            ),
            suppression: Suppression {
                kind: "waiver".into(),
                reason: "Legacy trail, removed in Q3".into(),
                owner: Some("secops@example.com".into()),
                expires: Some("2026-12-31".into()),
                source: ".trailguard-waivers.yaml:3".into(),
            },
        },
    ];
    let mut r = report(findings, suppressed);
    r.errors = vec![Diagnostic {
        code: "input::parse".into(),
        path: "templates/broken.json".into(),
        line: Some(3),
        column: Some(15),
        message: "invalid JSON: expected a key".into(),
        help: None,
    }];
    r.summary.errors = 1;
    r
}

/// A clean scan of two documents.
pub fn clean() -> ScanReport {
    report(vec![], vec![])
}
