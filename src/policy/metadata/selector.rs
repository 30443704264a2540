//! `custom.selector`: the prefilter conditions an event rule declares (docs/event-rules.md,
//! "Selectors"), read as strictly as the rest of the METADATA.

use super::string_list;
use crate::contract::EventSelector;
use serde_json::Value;

const SELECTOR_KEYS: &[&str] = &["eventSource", "eventName", "fields", "any_of"];

/// A `custom.selector` mapping (`what` names it in messages: `selector`, `selector.any_of[1]`).
/// `report(keys, message)` records a problem at the line of the first of `keys` written on a
/// line of its own.
pub(super) fn parse_selector(
    v: &Value,
    what: &str,
    report: &mut dyn FnMut(&[&str], String),
) -> Option<EventSelector> {
    let Value::Object(m) = v else {
        report(
            &["any_of", "selector"],
            format!("`custom.{what}` must be a mapping"),
        );
        return None;
    };
    let mut sel = EventSelector::default();
    for (k, v) in m {
        let mut list = |key: &str, what: String| {
            string_list(Some(v), &mut |msg| report(&[key, "selector"], msg), &what)
        };
        match k.as_str() {
            "eventSource" => sel.event_source = list(k, format!("{what}.eventSource")),
            "eventName" => sel.event_name = list(k, format!("{what}.eventName")),
            "fields" => match v {
                Value::Object(fields) => {
                    for (f, vals) in fields {
                        let vals = field_values(
                            vals,
                            &mut |msg| report(&[f, "fields", "selector"], msg),
                            &format!("{what}.fields"),
                        );
                        sel.fields.insert(f.clone(), vals);
                    }
                }
                _ => report(
                    &["fields", "selector"],
                    format!("`{what}.fields` must map a field path to a list of values"),
                ),
            },
            "any_of" => match v {
                Value::Array(alts) if !alts.is_empty() => {
                    for (n, alt) in alts.iter().enumerate() {
                        if let Some(a) = parse_selector(alt, &format!("{what}.any_of[{n}]"), report)
                        {
                            sel.any_of.push(a);
                        }
                    }
                }
                _ => report(
                    &["any_of", "selector"],
                    format!("`{what}.any_of` must be a non-empty list of selector mappings"),
                ),
            },
            other => report(
                &[other, "selector"],
                format!(
                    "unknown key `{what}.{other}` (expected one of: {})",
                    SELECTOR_KEYS.join(", ")
                ),
            ),
        }
    }
    Some(sel)
}

/// The values of a selector field: strings, or booleans and numbers, which a record's field is
/// compared with as written in JSON (`true`, `3`).
fn field_values(v: &Value, err: &mut dyn FnMut(String), what: &str) -> Vec<String> {
    let one = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(x.to_string()),
        _ => None,
    };
    match v {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| {
                let text = one(i);
                if text.is_none() {
                    err(format!(
                        "`{what}` values must be strings, booleans or numbers, found {i}"
                    ));
                }
                text
            })
            .collect(),
        other => match one(other) {
            Some(text) => vec![text],
            None => {
                err(format!(
                    "`{what}` must map a field path to a list of values, found {other}"
                ));
                Vec::new()
            }
        },
    }
}
