//! The end of a scan: event findings out of their store, duplicates dropped, exceptions
//! applied, the summary counted (listed and unlisted findings alike) and the verdict.

use super::{Part, ScanOptions};
use crate::contract::{
    Diagnostic, REPORT_VERSION, ScanReport, Severity, Skipped, Summary, ToolInfo,
};
use crate::policy::PolicySet;

pub(super) fn finish(
    opts: &ScanOptions,
    set: &PolicySet,
    part: Part,
    mut errors: Vec<Diagnostic>,
    mut skipped: Vec<Skipped>,
) -> ScanReport {
    let Part {
        mut findings,
        errors: part_errors,
        skipped: part_skipped,
        files,
        documents,
        resources,
        events: ev,
        inline,
    } = part;
    let stored = ev.findings.finish();
    findings.extend(stored.findings);
    errors.extend(ev.errors);
    skipped.extend(
        ev.skipped
            .into_iter()
            .map(|(path, reason)| Skipped { path, reason }),
    );
    // The same event can arrive twice (an S3 file and a lookup-events export of the same
    // day): one finding per rule and event, the first in sorted order.
    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    findings.dedup();
    // Decided on borrowed keys first (no copy of three strings per event finding), applied after.
    let keep: Vec<bool> = {
        let mut seen_events = std::collections::HashSet::new();
        findings
            .iter()
            .map(|f| match &f.location.event_id {
                Some(id) => seen_events.insert((&*f.rule_id, id.as_str(), f.fingerprint.as_str())),
                None => true,
            })
            .collect()
    };
    let mut keep = keep.into_iter();
    findings.retain(|_| keep.next().unwrap_or(true));
    // Exceptions: suppressed findings leave the gate (kept in `suppressed`), the rest get their
    // baseline state. Problems with exceptions are errors.
    let applied = crate::suppress::apply(&opts.exceptions, inline, &mut findings, &stored.unlisted);
    errors.extend(applied.errors);
    let omitted = stored.omitted;
    let baselined = findings
        .iter()
        .filter(|f| f.baseline_state == Some(crate::contract::BaselineState::Unchanged))
        .count() as u64
        + omitted.values().map(|o| o.in_baseline).sum::<u64>();
    let has_events = ev.stats.files > 0 || ev.stats.files_pruned > 0;
    let event_stats = has_events.then_some(ev.stats);
    errors.extend(part_errors);
    errors.sort();
    errors.dedup();
    skipped.extend(part_skipped);
    skipped.sort();
    let mut by_severity = std::collections::BTreeMap::new();
    for s in Severity::ALL {
        by_severity.insert(s.as_str().to_string(), 0u64);
    }
    for f in &findings {
        *by_severity
            .entry(f.severity.as_str().to_string())
            .or_default() += 1;
    }
    for o in omitted.values() {
        if let Some(s) = o.severity {
            *by_severity.entry(s.as_str().to_string()).or_default() += o.reported;
        }
    }
    let failed = opts.fail_on.is_some_and(|t| {
        findings.iter().any(|f| {
            f.severity >= t && f.baseline_state != Some(crate::contract::BaselineState::Unchanged)
        }) || omitted
            .values()
            .any(|o| o.severity.is_some_and(|s| s >= t) && o.reported > o.in_baseline)
    });
    let rules: std::collections::BTreeMap<String, u64> = omitted
        .iter()
        .filter(|(_, o)| o.reported > 0)
        .map(|(id, o)| (id.clone(), o.reported))
        .collect();
    let not_listed = (!rules.is_empty()).then_some(crate::contract::NotListed {
        max_per_rule: opts.max_findings_per_rule as u64,
        rules,
    });
    let suppressed_not_listed: u64 = omitted.values().map(|o| o.waived).sum();
    let summary = Summary {
        files_scanned: files + event_stats.as_ref().map_or(0, |e| e.files),
        documents,
        resources,
        rules_evaluated: set
            .rules
            .iter()
            .filter(|r| opts.selected.contains(&r.desc.id))
            .count() as u64,
        findings: findings.len() as u64 + not_listed.as_ref().map_or(0, |n| n.total()),
        by_severity,
        skipped_files: skipped.len() as u64,
        errors: errors.len() as u64,
        suppressed: applied.suppressed.len() as u64 + suppressed_not_listed,
        baselined,
        not_listed,
        events: event_stats,
        failed,
    };
    ScanReport {
        version: REPORT_VERSION,
        tool: ToolInfo::current(),
        findings,
        suppressed: applied.suppressed,
        errors,
        skipped,
        summary,
    }
}
