//! The compliance report (`trailguard report --framework KEY`): for every control of one
//! framework that the loaded rules map to, its status, the rules behind it, and the evidence.
//!
//! Status of a rule: **fail** when it has findings; **pass** when it was assessed (see
//! [`coverage`]) and found nothing; **not assessed** otherwise. Status of a control: **fail**
//! when any of its rules fails; **pass** only when *every* rule behind it passed; otherwise
//! **not assessed** — a control half checked is not reported as met. Suppressed findings do not
//! fail a control; they are listed as evidence with their reason, because an auditor must see
//! each exception.

pub mod coverage;
pub mod html;
pub mod markdown;

use crate::contract::{Finding, RuleDescriptor, ScanReport, Severity, ToolInfo};
use crate::policy::catalog::Catalog;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Fail,
    NotAssessed,
    Pass,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::NotAssessed => "not assessed",
            Status::Pass => "pass",
        }
    }
}

/// Whether a rule had something to look at in this scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "reason")]
pub enum Assessment {
    Assessed,
    /// With the reason, e.g. "no event data store in the scanned documents".
    NotAssessed(String),
}

/// Rule id -> assessment; a rule missing from the map was not run.
pub type Coverage = BTreeMap<String, Assessment>;

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub rule_id: String,
    pub severity: Severity,
    pub resource: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    pub message: String,
    /// Set for a suppressed finding: `kind: reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub id: String,
    pub name: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub findings: usize,
    pub suppressed: usize,
    /// Why the rule was not assessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlResult {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub rules_assessed: usize,
    pub rules: Vec<RuleResult>,
    pub findings: usize,
    pub suppressed: usize,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ComplianceSummary {
    pub controls: usize,
    pub pass: usize,
    pub fail: usize,
    pub not_assessed: usize,
    /// Catalog controls that no loaded rule maps to (outside what trailguard can check).
    pub unmapped_controls: usize,
    /// Findings behind this framework's controls, each counted once, by severity.
    pub findings_by_severity: BTreeMap<String, usize>,
    pub suppressed: usize,
    /// Tool errors in the scan: when non-zero, statuses may be incomplete.
    pub errors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComplianceReport {
    pub tool: ToolInfo,
    pub framework: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub summary: ComplianceSummary,
    pub controls: Vec<ControlResult>,
}

fn evidence(f: &Finding, suppressed: Option<String>) -> Evidence {
    Evidence {
        rule_id: f.rule_id.to_string(),
        severity: f.severity,
        resource: f.resource.clone(),
        path: f.location.path.to_string(),
        line: f.location.start_line,
        column: f.location.start_column,
        record_index: f.location.record_index,
        event_id: f.location.event_id.clone(),
        message: f.message.clone(),
        suppressed,
    }
}

fn rule_result(d: &RuleDescriptor, report: &ScanReport, coverage: &Coverage) -> RuleResult {
    let findings = report
        .findings
        .iter()
        .filter(|f| *f.rule_id == *d.id)
        .count();
    let suppressed = report
        .suppressed
        .iter()
        .filter(|s| *s.finding.rule_id == *d.id)
        .count();
    let assessment = coverage.get(&d.id);
    // A finding proves the rule ran, whatever the coverage says.
    let (status, reason) = match assessment {
        _ if findings > 0 => (Status::Fail, None),
        Some(Assessment::Assessed) => (Status::Pass, None),
        Some(Assessment::NotAssessed(why)) => (Status::NotAssessed, Some(why.clone())),
        None => (Status::NotAssessed, Some("not run".to_string())),
    };
    RuleResult {
        id: d.id.clone(),
        name: d.name.clone(),
        title: d.title.clone(),
        severity: d.severity,
        status,
        findings,
        suppressed,
        reason,
    }
}

/// Builds the report for `catalog` from the loaded rules, the scan, and the rules' coverage.
pub fn build(
    catalog: &Catalog,
    rules: &[RuleDescriptor],
    report: &ScanReport,
    coverage: &Coverage,
) -> ComplianceReport {
    let fw = &catalog.framework;
    let mut controls = Vec::new();
    let mut summary = ComplianceSummary {
        errors: report.errors.len(),
        ..Default::default()
    };
    let mut seen_controls = std::collections::BTreeSet::new();
    for control in &catalog.controls {
        // A catalog may list a control twice (two files for one framework): report it once.
        if !seen_controls.insert(control.id.as_str()) {
            continue;
        }
        let mut behind: Vec<&RuleDescriptor> = rules
            .iter()
            .filter(|d| {
                d.compliance
                    .get(fw)
                    .is_some_and(|ids| ids.contains(&control.id))
            })
            .collect();
        if behind.is_empty() {
            summary.unmapped_controls += 1;
            continue;
        }
        behind.sort_by(|a, b| a.id.cmp(&b.id));
        let results: Vec<RuleResult> = behind
            .iter()
            .map(|d| rule_result(d, report, coverage))
            .collect();
        let status = if results.iter().any(|r| r.status == Status::Fail) {
            Status::Fail
        } else if results.iter().all(|r| r.status == Status::Pass) {
            Status::Pass
        } else {
            Status::NotAssessed
        };
        let ids: Vec<&str> = behind.iter().map(|d| d.id.as_str()).collect();
        let mut ev: Vec<Evidence> = report
            .findings
            .iter()
            .filter(|f| ids.contains(&&*f.rule_id))
            .map(|f| evidence(f, None))
            .collect();
        ev.extend(
            report
                .suppressed
                .iter()
                .filter(|s| ids.contains(&&*s.finding.rule_id))
                .map(|s| {
                    evidence(
                        &s.finding,
                        Some(format!("{}: {}", s.suppression.kind, s.suppression.reason)),
                    )
                }),
        );
        match status {
            Status::Pass => summary.pass += 1,
            Status::Fail => summary.fail += 1,
            Status::NotAssessed => summary.not_assessed += 1,
        }
        controls.push(ControlResult {
            id: control.id.clone(),
            title: control.title.clone(),
            status,
            rules_assessed: results
                .iter()
                .filter(|r| r.status != Status::NotAssessed)
                .count(),
            findings: results.iter().map(|r| r.findings).sum(),
            suppressed: results.iter().map(|r| r.suppressed).sum(),
            rules: results,
            evidence: ev,
        });
    }
    summary.controls = controls.len();
    for sev in Severity::ALL {
        summary
            .findings_by_severity
            .insert(sev.as_str().to_string(), 0);
    }
    let in_framework = |f: &Finding| f.compliance.get(fw).is_some_and(|ids| !ids.is_empty());
    for f in report.findings.iter().filter(|f| in_framework(f)) {
        *summary
            .findings_by_severity
            .entry(f.severity.as_str().to_string())
            .or_default() += 1;
    }
    summary.suppressed = report
        .suppressed
        .iter()
        .filter(|s| in_framework(&s.finding))
        .count();
    ComplianceReport {
        tool: report.tool.clone(),
        framework: fw.clone(),
        title: catalog.title.clone(),
        version: catalog.version.clone(),
        url: catalog.url.clone(),
        summary,
        controls,
    }
}

/// `1 finding`, `2 findings`.
/// "3 findings" or "3 findings, 1 suppressed": the count line of one control.
pub fn findings_note(c: &ControlResult) -> String {
    let mut note = plural(c.findings, "finding", "findings");
    if c.suppressed > 0 {
        note.push_str(&format!(", {} suppressed", c.suppressed));
    }
    note
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report as pretty JSON (the data behind the Markdown and HTML views).
pub fn write_json(report: &ComplianceReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `path:line` (and the record for events) of a piece of evidence, with the path relative to
/// `base` as in the other CI formats.
pub fn evidence_position(e: &Evidence, base: Option<&std::path::Path>) -> (String, String) {
    let path = super::sarif::repo_path(&e.path, base).as_str().to_string();
    let mut shown = format!("{path}:{}", e.line);
    if let Some(i) = e.record_index {
        shown.push_str(&format!(" record {i}"));
    }
    (path, shown)
}
