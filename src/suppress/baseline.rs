//! Baselines: the fingerprints of accepted findings, so that a project adopting trailguard can
//! gate on new problems only. A small versioned JSON file, sorted so that rewriting it on an
//! unchanged project changes nothing but the date.

use super::waivers::diag;
use crate::contract::{Diagnostic, Finding, ToolInfo};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// Version of the baseline file format; bump on incompatible changes.
pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub tool: ToolInfo,
    /// Date the baseline was written (YYYY-MM-DD, UTC).
    pub created: String,
    pub entries: Vec<Entry>,
}

/// One accepted finding. Only `fingerprint` is matched; the rest tells a reviewer what it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    pub resource: String,
    pub path: String,
}

/// A loaded baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub path: String,
    pub fingerprints: BTreeSet<String>,
}

impl BaselineFile {
    pub fn new(findings: &[Finding], created: NaiveDate) -> BaselineFile {
        let entries: BTreeSet<Entry> = findings
            .iter()
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.to_string(),
                resource: f.resource.clone(),
                path: f.location.path.to_string(),
            })
            .collect();
        BaselineFile {
            version: BASELINE_VERSION,
            tool: ToolInfo::current(),
            created: created.format("%Y-%m-%d").to_string(),
            entries: entries.into_iter().collect(),
        }
    }
}

/// Write `findings` as a baseline file.
pub fn write(
    file: &Path,
    shown: &str,
    findings: &[Finding],
    today: NaiveDate,
) -> Result<(), Diagnostic> {
    let fail = |e: String| {
        diag(
            "baseline::write",
            shown,
            None,
            format!("cannot write the baseline: {e}"),
        )
    };
    let mut text = serde_json::to_string_pretty(&BaselineFile::new(findings, today))
        .map_err(|e| fail(e.to_string()))?;
    text.push('\n');
    std::fs::write(file, text).map_err(|e| fail(e.to_string()))
}

/// Read a baseline file written by [`write`].
pub fn read(file: &Path, shown: &str) -> Result<Baseline, Diagnostic> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        diag(
            "baseline::read",
            shown,
            None,
            format!("cannot read the baseline: {e}"),
        )
    })?;
    parse(shown, &text)
}

pub fn parse(shown: &str, text: &str) -> Result<Baseline, Diagnostic> {
    let syntax = |e: serde_json::Error| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .and_then(|cut| message.get(..cut))
            .unwrap_or(&message)
            .to_string();
        let at = (e.line() > 0).then(|| (to_u32(e.line()), to_u32(e.column())));
        let mut d = diag(
            "baseline::parse",
            shown,
            at,
            format!("not a trailguard baseline: {message}"),
        );
        d.help = Some("write one with `trailguard scan --write-baseline FILE`".into());
        d
    };
    #[derive(Deserialize)]
    struct Probe {
        version: serde_json::Value,
    }
    let probe: Probe = serde_json::from_str(text).map_err(syntax)?;
    if probe.version != serde_json::json!(BASELINE_VERSION) {
        let mut d = diag(
            "baseline::version",
            shown,
            None,
            format!(
                "baseline format version {} is not supported (this trailguard reads version {BASELINE_VERSION})",
                probe.version
            ),
        );
        d.help = Some("rewrite it with `trailguard scan --write-baseline FILE`".into());
        return Err(d);
    }
    let file: BaselineFile = serde_json::from_str(text).map_err(syntax)?;
    Ok(Baseline {
        path: shown.to_string(),
        fingerprints: file.entries.into_iter().map(|e| e.fingerprint).collect(),
    })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
