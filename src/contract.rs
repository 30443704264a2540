//! The contract between scanning and reporting: `Finding`, `RuleDescriptor`, `Location`.
//!
//! Reporters read only these types; policies and parsers never see reporters. Everything here is
//! plain data with a stable, documented JSON form (see `docs/output.md`).

mod evidence;
mod window;

pub use evidence::Evidence;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
pub use window::{AtLeast, GroupBy, WindowSpec};

/// Severity of a rule, ordered from least to most severe so `>=` means "at least as bad".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule looks at: a trail configuration document or a single CloudTrail event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    Config,
    Event,
    /// Counts the findings of event rules per group and time window (`custom.window`).
    Aggregate,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Config => "config",
            RuleKind::Event => "event",
            RuleKind::Aggregate => "aggregate",
        }
    }
}

/// Framework key (e.g. `pci-dss-v4.0`) to control ids, sorted for deterministic output.
pub type Compliance = BTreeMap<String, Vec<String>>;

/// The prefilter selector an event rule declares: a record can only match the rule if each
/// listed field's value is one of the listed values and, when `any_of` lists alternatives, it
/// also satisfies one of them. An empty selector means "every record".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSelector {
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "eventSource")]
    pub event_source: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "eventName")]
    pub event_name: Vec<String>,
    /// Extra equality fields (dotted path → allowed values), e.g. `userIdentity.type` or
    /// `requestParameters.withDecryption`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Vec<String>>,
    /// Alternatives (each a selector): a record must satisfy at least one of them as well.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<EventSelector>,
}

impl EventSelector {
    pub fn is_empty(&self) -> bool {
        self.event_source.is_empty()
            && self.event_name.is_empty()
            && self.fields.is_empty()
            && self.any_of.iter().all(EventSelector::is_empty)
    }

    /// The event names a record must have to match, when the selector pins them (its own
    /// `eventName`, or the union of its alternatives' when each pins some); `None` otherwise.
    pub fn names(&self) -> Option<Vec<&str>> {
        if !self.event_name.is_empty() {
            return Some(self.event_name.iter().map(String::as_str).collect());
        }
        if self.any_of.is_empty() {
            return None;
        }
        let mut all = Vec::new();
        for alt in &self.any_of {
            all.extend(alt.names()?);
        }
        all.sort_unstable();
        all.dedup();
        Some(all)
    }
}

/// The fields that tell one event from another and nothing else about it: a `memoize` rule does
/// not see them (docs/event-rules.md, "Memoized rules").
pub const IDENTITY_FIELDS: [&str; 4] = ["eventID", "eventTime", "requestID", "sharedEventID"];

/// Everything a reporter needs to describe a rule; filled from a policy's `# METADATA` block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleDescriptor {
    pub id: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub kind: RuleKind,
    /// Remediation text per input format (`cloudformation`, `terraform`, `live`, `events`, ...).
    pub remediation: BTreeMap<String, String>,
    pub compliance: Compliance,
    /// Input formats the rule applies to (empty = all formats of its kind).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<EventSelector>,
    /// Parameters without which the rule cannot fire: with any of them empty, `false` or
    /// `null`, the scanner does not evaluate the rule at all (like the selector, an optimisation
    /// the policy promises, proven by running the pack with and without it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_params: Vec<String>,
    /// Event rules: evaluated on the record without its identity fields
    /// ([`IDENTITY_FIELDS`]), so the scanner may reuse the result for records equal in
    /// everything else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub memoize: bool,
    /// Event rules: a boolean rule of the same package that holds exactly when `deny` holds one
    /// entry for a record (and never more). Findings that cannot be listed are then counted by
    /// it alone, without their message being made (docs/event-rules.md, "Conditions").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Aggregate rules: what they count (docs/event-rules.md, "Aggregate rules").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowSpec>,
    /// Retired ids that still select this rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// `data.<package>` path the rule's `deny` set lives under.
    pub package: String,
    /// Path of the `.rego` file (`builtin:policies/config/x.rego` for the embedded pack).
    pub source: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_resources: Vec<String>,
    pub builtin: bool,
}

/// Where a finding points: a span in a file, and for events the record that produced it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Shared by every finding in one file (an event file can hold thousands).
    pub path: Arc<str>,
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// Zero-based index of the record within its file (event findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_index: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

/// One result of one rule on one resource or event. The only type reporters consume.
///
/// Rule-level fields (`rule_id`, `rule_name`, `title`, `compliance`) are reference-counted:
/// every finding of a rule shares one copy (see [`RuleFacts`]). The JSON form is unchanged
/// (serde's `rc` feature writes and reads an `Arc` as the value it points to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: Arc<str>,
    pub rule_name: Arc<str>,
    pub severity: Severity,
    pub kind: RuleKind,
    pub title: Arc<str>,
    pub message: String,
    /// Resource identity: logical id, Terraform address, trail ARN, or the event's principal.
    pub resource: String,
    pub location: Location,
    pub compliance: Arc<Compliance>,
    pub evidence: Evidence,
    /// Stable across runs and unrelated edits: derived from rule id + path + resource identity.
    pub fingerprint: String,
    /// Set when a `--baseline` was given: `new` (gates the build) or `unchanged` (in the
    /// baseline, reported but not gating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<BaselineState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    New,
    Unchanged,
}

/// Why a finding was not reported: auditors must see every exception and its reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Suppression {
    /// `inline` (in the scanned file) or `waiver` (a waiver file).
    pub kind: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Waivers: the date (YYYY-MM-DD) after which it stops suppressing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where the suppression is written (`path:line`).
    pub source: String,
}

/// A finding that a suppression or waiver removed from the gate, kept for the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressedFinding {
    pub finding: Finding,
    pub suppression: Suppression,
}

/// The part of a finding that comes from its rule, built once per rule and shared by all of
/// its findings: cloning it bumps reference counts instead of copying strings and maps.
#[derive(Debug, Clone)]
pub struct RuleFacts {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub title: Arc<str>,
    pub severity: Severity,
    pub kind: RuleKind,
    pub compliance: Arc<Compliance>,
}

impl RuleFacts {
    pub fn of(desc: &RuleDescriptor) -> RuleFacts {
        RuleFacts {
            id: desc.id.as_str().into(),
            name: desc.name.as_str().into(),
            title: desc.title.as_str().into(),
            severity: desc.severity,
            kind: desc.kind,
            compliance: Arc::new(desc.compliance.clone()),
        }
    }

    /// A finding of this rule.
    pub fn finding(
        &self,
        message: String,
        resource: String,
        location: Location,
        evidence: Evidence,
        fingerprint: String,
    ) -> Finding {
        Finding {
            rule_id: self.id.clone(),
            rule_name: self.name.clone(),
            severity: self.severity,
            kind: self.kind,
            title: self.title.clone(),
            message,
            resource,
            location,
            compliance: self.compliance.clone(),
            evidence,
            fingerprint,
            baseline_state: None,
        }
    }
}

impl Finding {
    /// Sort key that makes output independent of thread scheduling.
    pub fn sort_key(&self) -> (&str, u32, u32, Option<u64>, &str, &str) {
        (
            &self.location.path,
            self.location.start_line,
            self.location.start_column,
            self.location.record_index,
            &self.rule_id,
            &self.resource,
        )
    }
}

/// Something that went wrong in the tool (unreadable input, bad policy, bad parameter file):
/// kept apart from findings, which are what policies say about the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable machine-readable code, e.g. `input::parse`, `policy::syntax`, `policy::metadata`.
    pub code: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// An input that was looked at but not checked, and why (not an error).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Record accounting for event scans: `read == evaluated + sum(skipped)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventStats {
    pub files: u64,
    /// Files left unopened because the date in their S3 key is outside `--since/--until`.
    #[serde(default)]
    pub files_pruned: u64,
    pub bytes: u64,
    pub records_read: u64,
    pub records_evaluated: u64,
    /// Reason (`outside-time-window`, `unparseable`, `not-an-event`, ...) → count.
    pub records_skipped: BTreeMap<String, u64>,
    /// Earliest and latest `eventTime` among evaluated records (RFC 3339 text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_event_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Files opened and recognised (config documents and event files).
    pub files_scanned: u64,
    /// Config documents evaluated (a live-export directory or a Terraform module counts once).
    pub documents: u64,
    /// Trails and event data stores evaluated.
    pub resources: u64,
    pub rules_evaluated: u64,
    pub findings: u64,
    /// Severity name → count, all five severities always present.
    pub by_severity: BTreeMap<String, u64>,
    pub skipped_files: u64,
    pub errors: u64,
    /// Findings removed by suppressions or waivers (listed in `suppressed`).
    #[serde(default)]
    pub suppressed: u64,
    /// Findings present in the `--baseline` (reported, but they do not fail the run).
    #[serde(default)]
    pub baselined: u64,
    /// Reported findings past `--max-findings-per-rule`, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_listed: Option<NotListed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventStats>,
    /// True when at least one finding is at or above `--fail-on`.
    pub failed: bool,
}

/// Event findings counted but not listed: a rule matched more records than the listing cap.
/// They count in `findings`, `by_severity` and the exit code like listed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotListed {
    /// The cap the scan ran with (`--max-findings-per-rule`).
    pub max_per_rule: u64,
    /// Rule id → reported findings of that rule beyond the listed ones.
    pub rules: BTreeMap<String, u64>,
}

impl NotListed {
    pub fn total(&self) -> u64 {
        self.rules.values().sum()
    }
}

/// The result of one scan: what every reporter renders. Its JSON form is versioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub version: u32,
    pub tool: ToolInfo,
    pub findings: Vec<Finding>,
    /// Findings removed by inline suppressions or waivers, with the reason.
    #[serde(default)]
    pub suppressed: Vec<SuppressedFinding>,
    pub errors: Vec<Diagnostic>,
    pub skipped: Vec<Skipped>,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl ToolInfo {
    pub fn current() -> ToolInfo {
        ToolInfo {
            name: "trailguard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// Version of the JSON report format; bump on incompatible changes.
pub const REPORT_VERSION: u32 = 1;

/// A rule's good and bad examples per input format (from `<rule>.examples.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Examples {
    /// Format key (`cloudformation`, `terraform-hcl`, `terraform-plan`, `live-export`, `events`).
    pub formats: BTreeMap<String, ExampleSet>,
    /// Parameter values the examples are checked with (merged over the defaults), for rules
    /// that do nothing with default parameters (e.g. an empty approved-AMI list).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSet {
    #[serde(default)]
    pub good: Vec<String>,
    #[serde(default)]
    pub bad: Vec<String>,
}

impl Examples {
    /// Parse an examples file: `{<format>: {good: [text...], bad: [text...]}}`.
    pub fn parse(text: &str) -> Result<Examples, String> {
        let mut top: BTreeMap<String, serde_json::Value> =
            yaml_serde::from_str(text).map_err(|e| e.to_string())?;
        let params = match top.remove("params") {
            None => BTreeMap::new(),
            Some(v) => serde_json::from_value(v).map_err(|e| format!("params: {e}"))?,
        };
        let mut formats = BTreeMap::new();
        for (k, v) in top {
            let set: ExampleSet = serde_json::from_value(v).map_err(|e| format!("{k}: {e}"))?;
            formats.insert(k, set);
        }
        Ok(Examples { formats, params })
    }
}

/// A stable 64-bit FNV-1a fingerprint over NUL-separated parts, rendered as 16 hex digits.
/// FNV is used (not `DefaultHasher`) because its output is fixed across Rust releases.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_separates_parts() {
        assert_eq!(
            fingerprint(&["TGC001", "a.yaml", "Trail"]),
            fingerprint(&["TGC001", "a.yaml", "Trail"])
        );
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        // Pinned value: changing the algorithm would break every user's baseline.
        assert_eq!(fingerprint(&[""]), "af63bd4c8601b7df");
    }

    #[test]
    fn severity_orders_by_badness() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
    }
}
