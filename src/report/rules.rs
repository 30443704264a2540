//! The `trailguard rules` listing: an aligned text table or a JSON array with every key always
//! present (so `jq` filters never meet a missing field).

use super::sanitize;
use crate::contract::{Compliance, EventSelector, RuleDescriptor, RuleKind, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Output format of [`rules_table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesFormat {
    Text,
    Json,
}

/// Selector values shown per field in the table before the rest is counted (`a|b|+3`).
const SHOWN_VALUES: usize = 2;

/// Lists `rules`, sorted by id, as a table or as JSON.
pub fn rules_table(
    rules: &[RuleDescriptor],
    format: RulesFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut sorted: Vec<&RuleDescriptor> = rules.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    match format {
        RulesFormat::Text => text(&sorted, out),
        RulesFormat::Json => {
            let views: Vec<RuleView<'_>> = sorted.iter().map(|r| RuleView::new(r)).collect();
            serde_json::to_writer_pretty(&mut *out, &views).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }
    }
}

fn text(rules: &[&RuleDescriptor], out: &mut dyn Write) -> io::Result<()> {
    if rules.is_empty() {
        return writeln!(out, "No rules.");
    }
    let header = ["ID", "SEVERITY", "KIND", "NAME", "FRAMEWORKS", "PREFILTER"].map(String::from);
    let rows: Vec<[String; 6]> = rules
        .iter()
        .map(|r| {
            [
                sanitize::line(&r.id).into_owned(),
                r.severity.as_str().to_string(),
                r.kind.as_str().to_string(),
                sanitize::line(&r.name).into_owned(),
                frameworks_cell(&r.compliance),
                prefilter_cell(r),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (n, (cell, w)) in row.iter().zip(widths).enumerate() {
            if n + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    let events = rules.iter().filter(|r| r.kind == RuleKind::Event).count();
    let aggregates = rules
        .iter()
        .filter(|r| r.kind == RuleKind::Aggregate)
        .count();
    let unindexed = rules
        .iter()
        .filter(|r| runs_on_every_record(r) == Some(true))
        .count();
    let mut footer = format!(
        "\n{} rule{}: {} config, {} event",
        rules.len(),
        if rules.len() == 1 { "" } else { "s" },
        rules.len() - events - aggregates,
        events
    );
    if aggregates > 0 {
        footer.push_str(&format!(", {aggregates} aggregate"));
    }
    if unindexed > 0 {
        footer.push_str(&format!(
            "; {unindexed} event rule{} run{} on every record (no prefilter selector)",
            if unindexed == 1 { "" } else { "s" },
            if unindexed == 1 { "s" } else { "" },
        ));
    }
    writeln!(out, "{footer}.")
}

/// Framework keys shortened to their first word (`pci-dss-v4.0` → `pci`), deduplicated.
fn frameworks_cell(compliance: &Compliance) -> String {
    let mut short: Vec<String> = Vec::new();
    for key in compliance.keys() {
        let word = key.split('-').next().unwrap_or(key);
        let word = sanitize::line(word).into_owned();
        if !short.contains(&word) {
            short.push(word);
        }
    }
    if short.is_empty() {
        "-".to_string()
    } else {
        short.join(",")
    }
}

/// `None` for config and aggregate rules (they do not run on records); for event rules,
/// whether the prefilter index can route records to them or they must see every record.
fn runs_on_every_record(rule: &RuleDescriptor) -> Option<bool> {
    match rule.kind {
        RuleKind::Config | RuleKind::Aggregate => None,
        RuleKind::Event => Some(rule.selector.as_ref().is_none_or(EventSelector::is_empty)),
    }
}

fn prefilter_cell(rule: &RuleDescriptor) -> String {
    match (rule.kind, &rule.selector) {
        (RuleKind::Config, _) => "-".to_string(),
        (RuleKind::Aggregate, _) => rule.window.as_ref().map_or("-".into(), window_cell),
        (RuleKind::Event, Some(s)) if !s.is_empty() => selector_cell(s),
        (RuleKind::Event, _) => "every record".to_string(),
    }
}

/// `TGE001 by principal per 10m`: what an aggregate rule counts.
pub fn window_cell(w: &crate::contract::WindowSpec) -> String {
    let by: Vec<&str> = w.by.iter().map(|g| g.as_str()).collect();
    let by = if by.is_empty() {
        String::new()
    } else {
        format!(" by {}", by.join("+"))
    };
    format!(
        "{}{by} per {}",
        w.counts.join("|"),
        duration_text(w.seconds)
    )
}

/// `600` → `10m`, `90` → `90s`, `7200` → `2h`.
pub fn duration_text(secs: u64) -> String {
    match secs {
        s if s % 86400 == 0 => format!("{}d", s / 86400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// `eventSource=a|b eventName=c field=v`, then `(alt | alt)` for the alternatives.
fn selector_cell(selector: &EventSelector) -> String {
    let mut parts = Vec::new();
    let mut field = |name: &str, values: &[String]| {
        if values.is_empty() {
            return;
        }
        let mut shown: Vec<String> = values
            .iter()
            .take(SHOWN_VALUES)
            .map(|v| sanitize::line(v).into_owned())
            .collect();
        if values.len() > SHOWN_VALUES {
            shown.push(format!("+{}", values.len() - SHOWN_VALUES));
        }
        parts.push(format!("{}={}", sanitize::line(name), shown.join("|")));
    };
    field("eventSource", &selector.event_source);
    field("eventName", &selector.event_name);
    for (name, values) in &selector.fields {
        field(name, values);
    }
    if !selector.any_of.is_empty() {
        let alts: Vec<String> = selector.any_of.iter().map(selector_cell).collect();
        parts.push(format!("({})", alts.join(" | ")));
    }
    parts.join(" ")
}

/// One rule in the JSON listing. Unlike the contract's serde form, empty lists and a missing
/// selector are written out (`[]`, `null`) so every object has the same keys.
#[derive(Serialize)]
struct RuleView<'a> {
    id: &'a str,
    name: &'a str,
    title: &'a str,
    severity: Severity,
    kind: RuleKind,
    description: &'a str,
    remediation: &'a BTreeMap<String, String>,
    compliance: &'a Compliance,
    applies_to: &'a [String],
    /// `null` for config rules; for event rules the prefilter fields (all lists empty when the
    /// rule runs on every record).
    selector: Option<SelectorView<'a>>,
    runs_on_every_record: Option<bool>,
    /// Event rules evaluated without the record's identity fields, whose results are reused.
    memoize: bool,
    /// Event rules: the rule that holds exactly when `deny` has one entry (or `null`).
    condition: Option<&'a str>,
    /// `null` except for aggregate rules: the findings they count, grouped how, per window.
    window: Option<&'a crate::contract::WindowSpec>,
    aliases: &'a [String],
    related_resources: &'a [String],
    package: &'a str,
    source: &'a str,
    builtin: bool,
}

#[derive(Serialize)]
struct SelectorView<'a> {
    #[serde(rename = "eventSource")]
    event_source: &'a [String],
    #[serde(rename = "eventName")]
    event_name: &'a [String],
    fields: &'a BTreeMap<String, Vec<String>>,
    /// Alternatives, each in this same shape (`[]` when the selector has none).
    any_of: Vec<SelectorView<'a>>,
}

impl<'a> SelectorView<'a> {
    fn of(s: &'a EventSelector) -> SelectorView<'a> {
        SelectorView {
            event_source: &s.event_source,
            event_name: &s.event_name,
            fields: &s.fields,
            any_of: s.any_of.iter().map(SelectorView::of).collect(),
        }
    }
}

static EMPTY_FIELDS: BTreeMap<String, Vec<String>> = BTreeMap::new();

impl<'a> RuleView<'a> {
    fn new(r: &'a RuleDescriptor) -> RuleView<'a> {
        let selector = match r.kind {
            RuleKind::Config | RuleKind::Aggregate => None,
            RuleKind::Event => Some(match &r.selector {
                Some(s) => SelectorView::of(s),
                None => SelectorView {
                    event_source: &[],
                    event_name: &[],
                    fields: &EMPTY_FIELDS,
                    any_of: Vec::new(),
                },
            }),
        };
        RuleView {
            id: &r.id,
            name: &r.name,
            title: &r.title,
            severity: r.severity,
            kind: r.kind,
            description: &r.description,
            remediation: &r.remediation,
            compliance: &r.compliance,
            applies_to: &r.applies_to,
            selector,
            runs_on_every_record: runs_on_every_record(r),
            memoize: r.memoize,
            condition: r.condition.as_deref(),
            window: r.window.as_ref(),
            aliases: &r.aliases,
            related_resources: &r.related_resources,
            package: &r.package,
            source: &r.source,
            builtin: r.builtin,
        }
    }
}
