//! `custom.window`: what an aggregate rule counts (docs/event-rules.md, "Aggregate rules"),
//! read as strictly as the rest of the METADATA.

use super::string_list;
use crate::contract::{AtLeast, Diagnostic, GroupBy, RuleKind, WindowSpec};
use crate::policy::Rule;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

const WINDOW_KEYS: &[&str] = &["counts", "by", "length", "at_least"];

/// Longest window accepted: a week (beyond that a "burst" is a trend, and fixed windows that
/// long cut most bursts in two anyway).
const MAX_SECONDS: u64 = 7 * 24 * 3600;

/// A `custom.window` mapping; `report(key, message)` records a problem at the line of `key`.
pub(super) fn parse_window(v: &Value, report: &mut dyn FnMut(&str, String)) -> Option<WindowSpec> {
    let Value::Object(m) = v else {
        report("window", "`custom.window` must be a mapping".into());
        return None;
    };
    for k in m.keys().filter(|k| !WINDOW_KEYS.contains(&k.as_str())) {
        report(
            k,
            format!(
                "unknown key `custom.window.{k}` (expected one of: {})",
                WINDOW_KEYS.join(", ")
            ),
        );
    }
    let counts = string_list(
        m.get("counts"),
        &mut |msg| report("counts", msg),
        "custom.window.counts",
    );
    if counts.is_empty() {
        report(
            "counts",
            "`custom.window.counts` must list the event rule ids whose findings are counted".into(),
        );
    }
    let mut by = Vec::new();
    for name in string_list(
        m.get("by"),
        &mut |msg| report("by", msg),
        "custom.window.by",
    ) {
        match GroupBy::ALL.iter().find(|g| g.as_str() == name) {
            Some(g) if !by.contains(g) => by.push(*g),
            Some(_) => report("by", format!("`custom.window.by` lists `{name}` twice")),
            None => report(
                "by",
                format!(
                    "unknown `custom.window.by` field `{name}` (expected: {})",
                    GroupBy::ALL.map(GroupBy::as_str).join(", ")
                ),
            ),
        }
    }
    let seconds = match m.get("length") {
        Some(Value::String(s)) => match duration(s) {
            Some(secs) if (1..=MAX_SECONDS).contains(&secs) => Some(secs),
            _ => {
                report(
                    "length",
                    format!(
                        "`custom.window.length` `{s}` is not a duration from 1s to 7d \
                         (a number and a unit: s, m, h or d, e.g. `10m`)"
                    ),
                );
                None
            }
        },
        _ => {
            report(
                "length",
                "`custom.window.length` must be a duration such as `10m`".into(),
            );
            None
        }
    };
    let at_least = match m.get("at_least") {
        None => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().map(AtLeast::Count),
        Some(Value::String(p)) if !p.is_empty() => Some(AtLeast::Param(p.clone())),
        Some(other) => {
            report(
                "at_least",
                format!(
                    "`custom.window.at_least` must be a count or the name of a parameter, found {other}"
                ),
            );
            None
        }
    };
    Some(WindowSpec {
        counts,
        by,
        seconds: seconds?,
        at_least,
    })
}

/// What one rule's METADATA cannot say about itself: `counts` must name loaded event rules,
/// and an `at_least` parameter must exist and hold a count.
pub(in crate::policy) fn check_windows(
    rules: &[Rule],
    params: &Map<String, Value>,
) -> Vec<Diagnostic> {
    let event_ids: BTreeSet<&str> = rules
        .iter()
        .filter(|r| r.desc.kind == RuleKind::Event)
        .map(|r| r.desc.id.as_str())
        .collect();
    let mut errors = Vec::new();
    let mut problem = |r: &Rule, message: String| {
        errors.push(Diagnostic {
            code: "policy::metadata".into(),
            path: r.desc.source.clone(),
            line: None,
            column: None,
            message: format!("rule {}: {message}", r.desc.id),
            help: None,
        })
    };
    for r in rules {
        let Some(w) = &r.desc.window else { continue };
        for id in w
            .counts
            .iter()
            .filter(|id| !event_ids.contains(id.as_str()))
        {
            problem(
                r,
                format!("`window.counts` names `{id}`, which is not a loaded event rule"),
            );
        }
        if let Some(AtLeast::Param(p)) = &w.at_least
            && !params.get(p).is_some_and(Value::is_u64)
        {
            problem(
                r,
                format!("`window.at_least` names `{p}`, which is not a parameter holding a count"),
            );
        }
    }
    errors
}

/// `90s`, `10m`, `1h`, `1d` in seconds.
fn duration(s: &str) -> Option<u64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: u64 = s[..s.len() - unit.len_utf8()].parse().ok()?;
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86400,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> (Option<WindowSpec>, Vec<String>) {
        let mut msgs = Vec::new();
        let w = parse_window(&v, &mut |_, m| msgs.push(m));
        (w, msgs)
    }

    #[test]
    fn a_window_reads_counts_by_and_length() {
        let (w, msgs) = parse(
            json!({"counts": ["TGE001"], "by": ["principal", "source_ip"], "length": "10m", "at_least": "burst"}),
        );
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(
            w,
            Some(WindowSpec {
                counts: vec!["TGE001".into()],
                by: vec![GroupBy::Principal, GroupBy::SourceIp],
                seconds: 600,
                at_least: Some(AtLeast::Param("burst".into())),
            })
        );
        assert_eq!(duration("90s"), Some(90));
        assert_eq!(duration("2d"), Some(172_800));
        assert_eq!(duration("10"), None);
        assert_eq!(duration("m"), None);
    }

    #[test]
    fn every_mistake_is_reported() {
        let (w, msgs) = parse(
            json!({"counts": [], "by": ["user", "principal", "principal"], "length": "8d", "size": 3, "at_least": -1}),
        );
        assert!(w.is_none());
        assert_eq!(msgs.len(), 6, "{msgs:?}");
        assert!(msgs[0].contains("unknown key `custom.window.size`"));
        assert!(msgs[1].contains("must list the event rule ids"));
        assert!(msgs[2].contains("unknown `custom.window.by` field `user`"));
        assert!(msgs[3].contains("lists `principal` twice"));
        assert!(msgs[4].contains("`8d` is not a duration"));
        assert!(msgs[5].contains("must be a count or the name of a parameter, found -1"));
        let (_, msgs) = parse(json!("10m"));
        assert_eq!(msgs, ["`custom.window` must be a mapping"]);
    }
}
