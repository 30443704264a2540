//! Compact one-glance rendering of a finding's evidence for the terminal.
//!
//! Evidence is arbitrary JSON chosen by the policy (for an event: who, what, when, from where;
//! for a configuration: the field and value that failed). The terminal shows it as
//! `key=value` items with dotted keys, bounded in count, depth and length; the full value is in
//! the JSON report.

use super::sanitize;
use serde_json::Value;

/// At most this many items are shown; the rest are counted.
pub const MAX_ITEMS: usize = 16;
/// Values longer than this many characters are cut with `…`.
pub const MAX_VALUE_CHARS: usize = 96;
/// Objects nested deeper than this are shown as compact JSON instead of more dotted keys.
const MAX_DEPTH: usize = 3;

/// Top-level evidence keys shown first, in this order (the event-finding convention: who did
/// what, when, from where); other keys follow in their own order.
const FIRST: [&str; 4] = ["who", "what", "when", "where"];

/// The evidence as display items (`key=value`, or a bare value when it is not an object) and
/// the number of items left out.
pub fn items(evidence: &Value) -> (Vec<String>, usize) {
    let mut all = Vec::new();
    match evidence {
        Value::Null => {}
        Value::Object(map) => {
            for k in FIRST {
                if let Some(v) = map.get(k) {
                    flatten(k, v, 1, &mut all);
                }
            }
            for (k, v) in map.iter().filter(|(k, _)| !FIRST.contains(&k.as_str())) {
                flatten(k, v, 1, &mut all);
            }
        }
        other => all.push(scalar_or_json(other)),
    }
    let omitted = all.len().saturating_sub(MAX_ITEMS);
    all.truncate(MAX_ITEMS);
    (all, omitted)
}

fn flatten(prefix: &str, value: &Value, depth: usize, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if depth < MAX_DEPTH && !map.is_empty() => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, depth + 1, out);
            }
        }
        // A null field says nothing at a glance; it stays in the JSON report.
        Value::Null => {}
        other => out.push(format!(
            "{}={}",
            sanitize::line(prefix),
            scalar_or_json(other)
        )),
    }
}

fn scalar_or_json(value: &Value) -> String {
    let text = match value {
        Value::String(s) if s.is_empty() => "\"\"".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(is_scalar) => {
            let parts: Vec<String> = items.iter().map(scalar_or_json).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    };
    truncate(&sanitize::line(&text), MAX_VALUE_CHARS)
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Cuts `s` to `max` characters, marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_become_dotted_keys_and_nulls_are_dropped() {
        let ev = json!({"eventName": "StopLogging", "userIdentity": {"type": "IAMUser",
            "arn": "arn:aws:iam::1:user/a"}, "errorCode": null, "ids": ["x", 1]});
        let (items, omitted) = items(&ev);
        assert_eq!(
            items,
            vec![
                "eventName=StopLogging",
                "ids=[x, 1]",
                "userIdentity.arn=arn:aws:iam::1:user/a",
                "userIdentity.type=IAMUser"
            ]
        );
        assert_eq!(omitted, 0);
    }

    #[test]
    fn who_what_when_where_come_first() {
        let ev = json!({"details": {"x": 1}, "eventID": "e", "what": {"eventName": "StopLogging"}, "when": "t", "where": {"sourceIPAddress": "1.2.3.4"}, "who": {"arn": "a"}});
        let (shown, _) = items(&ev);
        assert_eq!(
            shown,
            vec![
                "who.arn=a",
                "what.eventName=StopLogging",
                "when=t",
                "where.sourceIPAddress=1.2.3.4",
                "details.x=1",
                "eventID=e"
            ]
        );
    }

    #[test]
    fn bounded_in_count_length_and_depth() {
        let many: serde_json::Map<String, Value> =
            (0..20).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let (shown, omitted) = items(&Value::Object(many));
        assert_eq!((shown.len(), omitted), (MAX_ITEMS, 20 - MAX_ITEMS));
        let long = "x".repeat(200);
        let (shown, _) = items(&json!({"v": long}));
        assert_eq!(shown[0].chars().count(), 2 + MAX_VALUE_CHARS);
        let (shown, _) = items(&json!({"a": {"b": {"c": {"d": 1}}}}));
        assert_eq!(shown, vec![r#"a.b.c={"d":1}"#]);
    }

    #[test]
    fn control_characters_in_values_and_keys_are_neutralised() {
        let (shown, _) = items(&json!({"user\u{1b}Agent": "curl\u{1b}[2J"}));
        assert_eq!(shown, vec!["user␛Agent=curl␛[2J"]);
    }
}
