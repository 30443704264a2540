//! The SARIF 2.1.0 report, shaped for GitHub code scanning (and readable by GitLab, SonarQube,
//! DefectDojo): one run per category (`trailguard/config/`, `trailguard/events/`), rules from
//! the loaded rule descriptors, narrow regions, repo-relative URIs and identity fingerprints.
//!
//! Choices (see `docs/ci.md` for the reasoning a user needs):
//! - `partialFingerprints.primaryLocationLineHash` is the finding's own fingerprint (rule +
//!   path + resource or eventID, never line numbers), so an alert survives edits above it and
//!   GitHub can track event findings whose log file is not in the checkout.
//! - Suppressed findings are left out unless asked for: GitHub ignores `suppressions` and would
//!   open an alert for each.
//! - Output is deterministic: rules sorted by id, results in the report's order, no timestamps.

mod paths;
mod rules;

pub use paths::{RepoPath, encode_uri_path, repo_path};
pub use rules::{MAX_DESCRIPTION, MAX_NAME, MAX_TAGS, level, project_url, security_severity};

use crate::contract::{
    BaselineState, Diagnostic, Finding, RuleDescriptor, RuleKind, ScanReport, Suppression,
};
use rules::{ReportingDescriptor, Text};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// The `automationDetails.id` of a run: GitHub's category is everything before the last `/`.
pub fn category(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Config => "trailguard/config/",
        RuleKind::Event | RuleKind::Aggregate => "trailguard/events/",
    }
}

#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// Also emit suppressed findings, with `suppressions[]` (for DefectDojo, GitLab 18.11+).
    pub include_suppressed: bool,
    /// Directory the scan ran in: absolute paths under it become relative, and it is recorded
    /// as `originalUriBaseIds.%SRCROOT%`. `None` leaves paths as they are.
    pub base_dir: Option<PathBuf>,
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: AutomationDetails,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, UriBase>>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
struct UriBase {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    properties: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    properties: serde_json::Value,
}

fn artifact(path: &str, opts: &SarifOptions) -> ArtifactLocation {
    match repo_path(path, opts.base_dir.as_deref()) {
        RepoPath::Relative(p) => ArtifactLocation {
            uri: encode_uri_path(&p),
            uri_base_id: Some(SRCROOT),
        },
        RepoPath::Absolute(p) => ArtifactLocation {
            uri: format!("file://{}", encode_uri_path(&p)),
            uri_base_id: None,
        },
    }
}

/// A region only where the position is known (line 0 = unknown). The end column is exclusive in
/// both our report and SARIF; an empty span (an event record's start) gets no end column, which
/// SARIF reads as "to the end of the line".
fn region(l: &crate::contract::Location) -> Option<Region> {
    if l.start_line == 0 {
        return None;
    }
    let start_column = (l.start_column > 0).then_some(l.start_column);
    let end_line = (l.end_line >= l.start_line).then_some(l.end_line);
    let end_column = match (start_column, end_line) {
        (Some(sc), Some(el)) if l.end_column > 0 && (el > l.start_line || l.end_column > sc) => {
            Some(l.end_column)
        }
        _ => None,
    };
    Some(Region {
        start_line: l.start_line,
        start_column,
        end_line,
        end_column,
    })
}

fn logical(f: &Finding) -> Vec<LogicalLocation> {
    let mut out = Vec::new();
    if let Some(index) = f.location.record_index {
        out.push(LogicalLocation {
            name: f
                .location
                .event_id
                .clone()
                .unwrap_or_else(|| format!("record {index}")),
            fully_qualified_name: format!("/Records/{index}"),
            kind: "object",
        });
    }
    if !f.resource.is_empty() {
        out.push(LogicalLocation {
            name: f.resource.clone(),
            fully_qualified_name: f.resource.clone(),
            kind: "resource",
        });
    }
    out
}

fn result_properties(f: &Finding) -> serde_json::Value {
    let mut p = serde_json::Map::new();
    p.insert("resource".into(), f.resource.clone().into());
    p.insert("severity".into(), f.severity.as_str().into());
    if let Some(i) = f.location.record_index {
        p.insert("recordIndex".into(), i.into());
    }
    if let Some(id) = &f.location.event_id {
        p.insert("eventID".into(), id.clone().into());
    }
    serde_json::Value::Object(p)
}

fn suppression(s: &Suppression) -> SarifSuppression {
    let mut props = serde_json::Map::new();
    props.insert("source".into(), s.source.clone().into());
    if let Some(owner) = &s.owner {
        props.insert("owner".into(), owner.clone().into());
    }
    if let Some(expires) = &s.expires {
        props.insert("expires".into(), expires.clone().into());
    }
    SarifSuppression {
        // Our `inline` suppressions are comments/metadata in the scanned file; waivers live in
        // a separate store.
        kind: if s.kind == "inline" {
            "inSource"
        } else {
            "external"
        },
        status: "accepted",
        justification: s.reason.clone(),
        properties: serde_json::Value::Object(props),
    }
}

/// Builds one run's rules and results. `seen` numbers equal fingerprints (`:1`, `:2`, ...) as
/// codeql-action does, so two findings with one identity stay two alerts.
struct RunBuilder<'a> {
    opts: &'a SarifOptions,
    rules: Vec<ReportingDescriptor>,
    index: BTreeMap<String, usize>,
    seen: BTreeMap<String, u32>,
    results: Vec<SarifResult>,
}

impl<'a> RunBuilder<'a> {
    fn new(
        kind: RuleKind,
        descriptors: &[RuleDescriptor],
        pending: &[&Finding],
        opts: &'a SarifOptions,
    ) -> Self {
        let mut by_id: BTreeMap<String, ReportingDescriptor> = descriptors
            .iter()
            .filter(|d| run_of(d.kind) == kind)
            .map(|d| (d.id.clone(), rules::descriptor(d)))
            .collect();
        for f in pending {
            if !by_id.contains_key(&*f.rule_id) {
                let d = descriptors
                    .iter()
                    .find(|d| *d.id == *f.rule_id)
                    .map_or_else(|| rules::from_finding(f), rules::descriptor);
                by_id.insert(f.rule_id.to_string(), d);
            }
        }
        let index = by_id
            .keys()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        RunBuilder {
            opts,
            rules: by_id.into_values().collect(),
            index,
            seen: BTreeMap::new(),
            results: Vec::new(),
        }
    }

    fn push(&mut self, f: &Finding, suppressed: Option<&Suppression>) {
        let n = self.seen.entry(f.fingerprint.clone()).or_insert(0);
        *n += 1;
        let mut fingerprints = BTreeMap::new();
        fingerprints.insert("primaryLocationLineHash", format!("{}:{n}", f.fingerprint));
        fingerprints.insert("trailguard/v1", f.fingerprint.clone());
        let message = if f.message.trim().is_empty() {
            rules::clip(
                if f.title.trim().is_empty() {
                    &f.rule_id
                } else {
                    &f.title
                },
                1024,
            )
        } else {
            f.message.clone()
        };
        self.results.push(SarifResult {
            rule_id: f.rule_id.to_string(),
            rule_index: self.index.get(&*f.rule_id).copied().unwrap_or(0),
            level: level(f.severity),
            message: Text { text: message },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&f.location.path, self.opts),
                    region: region(&f.location),
                },
                logical_locations: logical(f),
            }],
            partial_fingerprints: fingerprints,
            baseline_state: f.baseline_state.map(|b| match b {
                BaselineState::New => "new",
                BaselineState::Unchanged => "unchanged",
            }),
            suppressions: suppressed.map(suppression).into_iter().collect(),
            properties: result_properties(f),
        });
    }
}

fn notification(d: &Diagnostic, opts: &SarifOptions) -> Notification {
    let locations = if d.path.is_empty() || d.path.starts_with("--") {
        Vec::new()
    } else {
        vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(&d.path, opts),
                region: d.line.filter(|l| *l > 0).map(|l| Region {
                    start_line: l,
                    start_column: d.column.filter(|c| *c > 0),
                    end_line: None,
                    end_column: None,
                }),
            },
            logical_locations: Vec::new(),
        }]
    };
    let text = match &d.help {
        Some(help) => format!("{} [{}] (help: {help})", d.message, d.code),
        None => format!("{} [{}]", d.message, d.code),
    };
    Notification {
        level: "error",
        message: Text { text },
        locations,
    }
}

/// The run a kind of rule reports in: aggregate rules read event logs, like event rules.
fn run_of(kind: RuleKind) -> RuleKind {
    match kind {
        RuleKind::Aggregate => RuleKind::Event,
        k => k,
    }
}

/// Kinds that get a run: those with findings (or included suppressed findings) and those whose
/// inputs were scanned, so that a clean category still uploads an empty run (GitHub then closes
/// its stale alerts). A scan of nothing gets one empty config run.
fn run_kinds(report: &ScanReport, opts: &SarifOptions) -> Vec<RuleKind> {
    let mut kinds = std::collections::BTreeSet::new();
    kinds.extend(report.findings.iter().map(|f| run_of(f.kind)));
    if opts.include_suppressed {
        kinds.extend(report.suppressed.iter().map(|s| run_of(s.finding.kind)));
    }
    if report.summary.documents > 0 {
        kinds.insert(RuleKind::Config);
    }
    if report.summary.events.is_some() {
        kinds.insert(RuleKind::Event);
    }
    if kinds.is_empty() {
        kinds.insert(RuleKind::Config);
    }
    kinds.into_iter().collect()
}

/// The SARIF log for `report`. `descriptors` are the loaded rules: every rule of a run's kind is
/// listed (so GitHub knows the rules that found nothing), and a rule id found only in the
/// report gets a minimal entry built from its findings.
fn build(report: &ScanReport, descriptors: &[RuleDescriptor], opts: &SarifOptions) -> Log {
    let kinds = run_kinds(report, opts);
    let mut runs = Vec::new();
    for (i, kind) in kinds.iter().copied().enumerate() {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| run_of(f.kind) == kind)
            .collect();
        let suppressed: Vec<(&Finding, &Suppression)> = report
            .suppressed
            .iter()
            .filter(|s| opts.include_suppressed && run_of(s.finding.kind) == kind)
            .map(|s| (&s.finding, &s.suppression))
            .collect();
        let pending: Vec<&Finding> = findings
            .iter()
            .copied()
            .chain(suppressed.iter().map(|(f, _)| *f))
            .collect();
        let mut b = RunBuilder::new(kind, descriptors, &pending, opts);
        for f in &findings {
            b.push(f, None);
        }
        for (f, s) in &suppressed {
            b.push(f, Some(s));
        }
        // Tool errors are not tied to a category; they are reported once, in the first run.
        let mut notifications: Vec<Notification> = if i == 0 {
            report
                .errors
                .iter()
                .map(|d| notification(d, opts))
                .collect()
        } else {
            Vec::new()
        };
        // Event results past the per-rule cap: say so in the run that holds the others.
        if kind == RuleKind::Event
            && let Some(text) = super::summary::not_listed_line(&report.summary)
        {
            notifications.push(Notification {
                level: "note",
                message: Text { text },
                locations: Vec::new(),
            });
        }
        runs.push(Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name.clone(),
                    version: report.tool.version.clone(),
                    semantic_version: report.tool.version.clone(),
                    information_uri: project_url(),
                    rules: b.rules,
                },
            },
            automation_details: AutomationDetails { id: category(kind) },
            invocations: vec![Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: opts.base_dir.as_deref().map(|d| {
                BTreeMap::from([(
                    SRCROOT,
                    UriBase {
                        uri: paths::dir_uri(d),
                    },
                )])
            }),
            column_kind: "unicodeCodePoints",
            results: b.results,
        });
    }
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs,
    }
}

/// The SARIF log as a JSON value (object keys sorted), for tools and tests that inspect it.
pub fn to_value(
    report: &ScanReport,
    descriptors: &[RuleDescriptor],
    opts: &SarifOptions,
) -> serde_json::Value {
    serde_json::to_value(build(report, descriptors, opts)).unwrap_or(serde_json::Value::Null)
}

/// Writes the SARIF log as pretty JSON followed by a newline.
pub fn write(
    report: &ScanReport,
    descriptors: &[RuleDescriptor],
    opts: &SarifOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Serialized from the typed log, not a `Value`, so keys keep SARIF's conventional order.
    let log = build(report, descriptors, opts);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
