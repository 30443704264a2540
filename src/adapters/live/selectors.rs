//! Event, advanced and insight selectors from get-event-selectors / get-insight-selectors
//! (and the advanced selectors of get-event-data-store), normalized to the model's shapes.

use super::read::{Src, strings, type_name};
use crate::adapters::InputError;
use serde_json::{Map, Value, json};

/// What AWS records when a trail has no custom selectors: all management events.
pub(super) fn default_classic() -> Value {
    json!([{
        "read_write_type": "All",
        "include_management_events": true,
        "data_resources": [],
        "exclude_management_event_sources": [],
    }])
}

fn list<'a>(src: Src<'a>, key: &str) -> Result<Vec<Src<'a>>, InputError> {
    if src.node.is_seq() {
        Ok(src.items().collect())
    } else {
        Err(src.error(format!(
            "{key} should be a list, found {}",
            type_name(src.node)
        )))
    }
}

fn object(src: Src, key: &str) -> Result<(), InputError> {
    if src.node.is_map() {
        Ok(())
    } else {
        Err(src.error(format!(
            "{key} entries should be objects, found {}",
            type_name(src.node)
        )))
    }
}

fn string_or<'a>(obj: Src<'a>, key: &str, default: &'a str) -> Result<&'a str, InputError> {
    match obj.get(key) {
        None => Ok(default),
        Some(v) => v.as_str().ok_or_else(|| {
            v.error(format!(
                "{key} should be a string, found {}",
                type_name(v.node)
            ))
        }),
    }
}

fn strings_or_empty(obj: Src, key: &str) -> Result<Value, InputError> {
    match obj.get(key) {
        None => Ok(Value::Array(Vec::new())),
        Some(v) => strings(v, key),
    }
}

/// `EventSelectors` -> `[{read_write_type, include_management_events, data_resources,
/// exclude_management_event_sources}]`, every key present.
pub(super) fn classic(src: Src) -> Result<Value, InputError> {
    let mut out = Vec::new();
    for sel in list(src, "EventSelectors")? {
        object(sel, "EventSelectors")?;
        let rw = string_or(sel, "ReadWriteType", "All")?;
        if !matches!(rw, "All" | "ReadOnly" | "WriteOnly") {
            let at = sel.get("ReadWriteType").unwrap_or(sel);
            return Err(at.error(format!(
                "ReadWriteType should be All, ReadOnly or WriteOnly, found {rw:?}"
            )));
        }
        let include = match sel.get("IncludeManagementEvents") {
            None => true,
            Some(v) => v.node.as_bool().ok_or_else(|| {
                v.error(format!(
                    "IncludeManagementEvents should be a boolean, found {}",
                    type_name(v.node)
                ))
            })?,
        };
        let mut resources = Vec::new();
        if let Some(drs) = sel.get("DataResources") {
            for dr in list(drs, "DataResources")? {
                object(dr, "DataResources")?;
                resources.push(json!({
                    "type": string_or(dr, "Type", "")?,
                    "values": strings_or_empty(dr, "Values")?,
                }));
            }
        }
        out.push(json!({
            "read_write_type": rw,
            "include_management_events": include,
            "data_resources": resources,
            "exclude_management_event_sources":
                strings_or_empty(sel, "ExcludeManagementEventSources")?,
        }));
    }
    Ok(Value::Array(out))
}

/// The six operator lists of an advanced field selector, in model key order.
const OPERATORS: [(&str, &str); 6] = [
    ("Equals", "equals"),
    ("NotEquals", "not_equals"),
    ("StartsWith", "starts_with"),
    ("NotStartsWith", "not_starts_with"),
    ("EndsWith", "ends_with"),
    ("NotEndsWith", "not_ends_with"),
];

/// `AdvancedEventSelectors` -> `[{name, field_selectors: [{field, equals, ...}]}]`, all six
/// operator lists present (`[]` when unset).
pub(super) fn advanced(src: Src) -> Result<Value, InputError> {
    let mut out = Vec::new();
    for sel in list(src, "AdvancedEventSelectors")? {
        object(sel, "AdvancedEventSelectors")?;
        let name = match sel.get("Name") {
            None => Value::Null,
            Some(v) => Value::String(
                v.as_str()
                    .ok_or_else(|| {
                        v.error(format!(
                            "Name should be a string, found {}",
                            type_name(v.node)
                        ))
                    })?
                    .to_string(),
            ),
        };
        let mut fields = Vec::new();
        if let Some(fs) = sel.get("FieldSelectors") {
            for f in list(fs, "FieldSelectors")? {
                object(f, "FieldSelectors")?;
                let mut m = Map::new();
                m.insert(
                    "field".into(),
                    Value::String(string_or(f, "Field", "")?.into()),
                );
                for (aws, model) in OPERATORS {
                    m.insert(model.into(), strings_or_empty(f, aws)?);
                }
                fields.push(Value::Object(m));
            }
        }
        out.push(json!({"name": name, "field_selectors": fields}));
    }
    Ok(Value::Array(out))
}

/// `InsightSelectors` -> list of insight type strings.
pub(super) fn insights(src: Src) -> Result<Value, InputError> {
    let mut out = Vec::new();
    for sel in list(src, "InsightSelectors")? {
        object(sel, "InsightSelectors")?;
        match sel.get("InsightType") {
            Some(t) => match t.as_str() {
                Some(s) => out.push(Value::String(s.to_string())),
                None => {
                    return Err(t.error(format!(
                        "InsightType should be a string, found {}",
                        type_name(t.node)
                    )));
                }
            },
            None => return Err(sel.error("an InsightSelectors entry has no InsightType")),
        }
    }
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json::parse;

    fn run(f: fn(Src) -> Result<Value, InputError>, text: &str) -> Result<Value, InputError> {
        let node = parse(text).unwrap();
        f(Src::new("sel.json", &node))
    }

    #[test]
    fn fills_classic_defaults() {
        let v = run(
            classic,
            r#"[{"DataResources":[{"Type":"AWS::Lambda::Function"}]}]"#,
        );
        assert_eq!(
            v.unwrap(),
            json!([{"read_write_type": "All", "include_management_events": true,
                "data_resources": [{"type": "AWS::Lambda::Function", "values": []}],
                "exclude_management_event_sources": []}])
        );
    }

    #[test]
    fn rejects_bad_read_write_type_at_its_position() {
        let e = run(classic, "[\n {\"ReadWriteType\": \"Sometimes\"}]").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(20)));
        assert!(e.message.contains("\"Sometimes\""), "{}", e.message);
    }

    #[test]
    fn fills_all_six_operator_lists() {
        let v = run(
            advanced,
            r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]"#,
        );
        assert_eq!(
            v.unwrap(),
            json!([{"name": null, "field_selectors": [{"field": "eventCategory",
                "equals": ["Management"], "not_equals": [], "starts_with": [],
                "not_starts_with": [], "ends_with": [], "not_ends_with": []}]}])
        );
    }

    #[test]
    fn insight_entries_need_a_type() {
        let e = run(insights, r#"[{"InsightType":"ApiCallRateInsight"},{}]"#).unwrap_err();
        assert_eq!(e.column, Some(39));
        assert_eq!(
            run(insights, r#"[{"InsightType":"ApiErrorRateInsight"}]"#).unwrap(),
            json!(["ApiErrorRateInsight"])
        );
    }
}
