//! `custom.condition`: the boolean rule that holds exactly when an event rule's `deny` has
//! its one entry (docs/event-rules.md, "Conditions"), named in METADATA and defined in the
//! same file.

use super::{RuleMetadata, diag};
use crate::contract::{Diagnostic, RuleKind};
use serde_json::Value;

/// The rule a METADATA `condition` names; problems go to `report`.
pub(super) fn parse(
    v: Option<&Value>,
    kind: RuleKind,
    report: &mut dyn FnMut(String),
) -> Option<String> {
    match v {
        None => None,
        Some(Value::String(name)) if kind == RuleKind::Event && is_rule_name(name) => {
            Some(name.clone())
        }
        Some(other) => {
            report(if kind != RuleKind::Event {
                "`custom.condition` is only meaningful for `kind: event` rules".to_string()
            } else {
                format!("`custom.condition` must name a rule of this package, found {other}")
            });
            None
        }
    }
}

/// The file (its `lines`) must define the rule its METADATA names as its condition.
pub(super) fn check(path: &str, meta: &RuleMetadata, lines: &[&str]) -> Option<Diagnostic> {
    let name = meta.condition.as_ref()?;
    if defines_rule(lines, name) {
        return None;
    }
    let line = lines
        .iter()
        .position(|l| l.trim_start().starts_with('#') && l.contains("condition:"))
        .map_or(meta.line, |i| i as u32 + 1);
    Some(diag(
        path,
        line,
        "policy::metadata",
        format!("`custom.condition` names `{name}`, which this file does not define"),
        Some(format!(
            "define `{name} if {{ ... }}` in this package: it must hold exactly when `deny` has one entry"
        )),
    ))
}

/// A plain Rego rule name (what `custom.condition` may name).
fn is_rule_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "deny"
}

/// Whether the file defines rule `name` at the start of a line (`name if`, `name :=`, ...).
fn defines_rule(lines: &[&str], name: &str) -> bool {
    lines.iter().any(|l| {
        l.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with([' ', ':', '=', '{']))
    })
}
