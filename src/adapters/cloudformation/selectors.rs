//! Event and insight selectors of trails and event data stores, in the model's normalized shape.
//!
//! Every key of a normalized selector is always present (defaults filled in) so policies never
//! have to guess; a scalar that cannot be resolved is an `{"unknown": "<expr>"}` marker, and a
//! selector list that is itself unresolvable makes the whole field unknown.

use serde_json::{Map, Value, json};

use super::eval::is_unknown_marker;
use super::fields::{Cx, Json, Kind, scalar, string_list};
use super::intrinsic::render;
use super::template::Resource;
use crate::model::{Field, Loc};

/// The selector AWS applies when a trail has none: all management events, read and write.
pub(super) fn default_classic() -> Value {
    json!([{
        "read_write_type": "All",
        "include_management_events": true,
        "data_resources": [],
        "exclude_management_event_sources": [],
    }])
}

/// `(event_selectors, advanced_event_selectors)` of a trail.
pub(super) fn trail_selectors<'a>(
    cx: &mut Cx<'_, 'a>,
    r: &Resource<'a>,
    header: &Loc,
) -> (Field, Field) {
    let classic = list_field(cx, r, "EventSelectors", classic).filter(is_set);
    let advanced = list_field(cx, r, "AdvancedEventSelectors", advanced).filter(is_set);
    match (classic, advanced) {
        (None, None) => (
            Field::defaulted(default_classic(), header.clone()),
            Field::absent(header.clone()),
        ),
        (classic, advanced) => (
            classic.unwrap_or_else(|| Field::absent(header.clone())),
            advanced.unwrap_or_else(|| Field::absent(header.clone())),
        ),
    }
}

/// Advanced selectors of an event data store (absent when not set).
pub(super) fn data_store_selectors<'a>(
    cx: &mut Cx<'_, 'a>,
    r: &Resource<'a>,
    header: &Loc,
) -> Field {
    list_field(cx, r, "AdvancedEventSelectors", advanced)
        .filter(is_set)
        .unwrap_or_else(|| Field::absent(header.clone()))
}

/// An empty selector list (`cdk synth` writes `"EventSelectors": []`) configures nothing: the
/// trail keeps the AWS default, as when the property is missing.
fn is_set(field: &Field) -> bool {
    field
        .value
        .as_ref()
        .and_then(Value::as_array)
        .is_none_or(|items| !items.is_empty())
}

/// `InsightSelectors` as a list of insight type strings; none set means `[]`.
pub(super) fn insight_selectors<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>, header: &Loc) -> Field {
    list_field(cx, r, "InsightSelectors", |item| {
        Some(scalar(item.get("InsightType"), Kind::Str, Value::Null))
    })
    .unwrap_or_else(|| Field::defaulted(json!([]), header.clone()))
}

/// Read a list of objects, normalizing each; `None` when the attribute is not set.
fn list_field<'a>(
    cx: &mut Cx<'_, 'a>,
    r: &Resource<'a>,
    name: &str,
    normalize: fn(&Map<String, Value>) -> Option<Value>,
) -> Option<Field> {
    match cx.json(r, name) {
        Json::Missing | Json::NoValue => None,
        Json::Unknown(node) => Some(Field::unknown(render(node), cx.loc(node))),
        Json::Known(Value::Array(items), node) => {
            let mut out = Vec::with_capacity(items.len());
            for item in &items {
                match item {
                    // One conditional selector hides what the trail records: unknown as a whole.
                    v if is_unknown_marker(v) => {
                        return Some(Field::unknown(render(node), cx.loc(node)));
                    }
                    Value::Object(object) => match normalize(object) {
                        Some(v) => out.push(v),
                        None => return Some(Field::unknown(render(node), cx.loc(node))),
                    },
                    _ => return Some(cx.invalid(r.id, name, node, "a list of objects")),
                }
            }
            Some(Field::known(Value::Array(out), cx.loc(node)))
        }
        Json::Known(_, node) => Some(cx.invalid(r.id, name, node, "a list of objects")),
    }
}

fn classic(item: &Map<String, Value>) -> Option<Value> {
    let data_resources = match item.get("DataResources") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(resources)) => resources
            .iter()
            .map(|resource| match resource {
                Value::Object(r) => json!({
                    "type": scalar(r.get("Type"), Kind::Str, Value::Null),
                    "values": string_list(r.get("Values")),
                }),
                other => json!({
                    "type": scalar(Some(other), Kind::Str, Value::Null),
                    "values": [],
                }),
            })
            .collect(),
        // The data resources themselves are unknown: so is what the selector records.
        Some(_) => return None,
    };
    Some(json!({
        "read_write_type": scalar(item.get("ReadWriteType"), Kind::Str, json!("All")),
        "include_management_events":
            scalar(item.get("IncludeManagementEvents"), Kind::Bool, json!(true)),
        "data_resources": data_resources,
        "exclude_management_event_sources": string_list(item.get("ExcludeManagementEventSources")),
    }))
}

fn advanced(item: &Map<String, Value>) -> Option<Value> {
    let field_selectors = match item.get("FieldSelectors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(selectors)) => {
            let mut out = Vec::with_capacity(selectors.len());
            for selector in selectors {
                let Value::Object(s) = selector else {
                    return None;
                };
                out.push(json!({
                    "field": scalar(s.get("Field"), Kind::Str, Value::Null),
                    "equals": string_list(s.get("Equals")),
                    "not_equals": string_list(s.get("NotEquals")),
                    "starts_with": string_list(s.get("StartsWith")),
                    "not_starts_with": string_list(s.get("NotStartsWith")),
                    "ends_with": string_list(s.get("EndsWith")),
                    "not_ends_with": string_list(s.get("NotEndsWith")),
                }));
            }
            out
        }
        Some(_) => return None,
    };
    Some(json!({
        "name": scalar(item.get("Name"), Kind::Str, Value::Null),
        "field_selectors": field_selectors,
    }))
}
