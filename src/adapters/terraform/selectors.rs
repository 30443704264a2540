//! Event, advanced event and insight selectors of `aws_cloudtrail` and
//! `aws_cloudtrail_event_data_store`, normalized to the model's shapes (every key present).

use super::render::{Coerce, Ctx, Placeholder, coerce};
use super::{Kind, TfResource, TfVal};
use crate::model::{Field, Loc};
use serde_json::{Value, json};

/// The AWS default when a trail has no selectors at all: all management events, read and write.
pub(super) fn default_event_selectors() -> Value {
    json!([{
        "read_write_type": "All",
        "include_management_events": true,
        "data_resources": [],
        "exclude_management_event_sources": [],
    }])
}

/// `(event_selectors, advanced_event_selectors)` of a trail. Classic and advanced selectors
/// are mutually exclusive in AWS; the classic default applies only when neither is set.
pub(super) fn trail_selectors(ctx: &Ctx, res: &TfResource) -> (Field, Field) {
    let classic = blocks(res, "event_selector");
    let advanced = blocks(res, "advanced_event_selector");
    let classic_field = match classic {
        Some(v) => list_field(ctx, v, classic_one),
        None if advanced.is_some() => Field::absent(res.header.clone()),
        None => Field::defaulted(default_event_selectors(), res.header.clone()),
    };
    let advanced_field = match advanced {
        Some(v) => list_field(ctx, v, advanced_one),
        None => Field::absent(res.header.clone()),
    };
    (classic_field, advanced_field)
}

/// Advanced selectors of an event data store (absent when not set).
pub(super) fn advanced_selectors(ctx: &Ctx, res: &TfResource) -> Field {
    match blocks(res, "advanced_event_selector") {
        Some(v) => list_field(ctx, v, advanced_one),
        None => Field::absent(res.header.clone()),
    }
}

/// Insight types of a trail; none -> the documented empty default.
pub(super) fn insight_selectors(ctx: &Ctx, res: &TfResource) -> Field {
    match blocks(res, "insight_selector") {
        Some(v) => list_field(ctx, v, |ctx, e| match &e.kind {
            Kind::Map(_) => Some(scalar_json(ctx, e.get("insight_type"), Coerce::Str)),
            _ => None,
        }),
        None => Field::defaulted(json!([]), res.header.clone()),
    }
}

/// A block list attribute, `None` when missing or an empty list (a plan's "no blocks").
fn blocks<'r>(res: &'r TfResource, name: &str) -> Option<&'r TfVal> {
    res.get(name).filter(|v| !v.is_empty_list())
}

/// A list of blocks: known when every element can be read as a block, unknown otherwise
/// (a `dynamic` block, a list that is itself an expression).
fn list_field(ctx: &Ctx, v: &TfVal, one: fn(&Ctx, &TfVal) -> Option<Value>) -> Field {
    let loc: Loc = v.loc.clone();
    let items = v.items();
    if items.is_empty() {
        return Field::unknown(v.text(), loc);
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match one(ctx, item) {
            Some(value) => out.push(value),
            None => return Field::unknown(item.text(), loc),
        }
    }
    let field = Field::known(Value::Array(out), loc);
    match &v.note {
        Some(note) => field.with_note(note.clone()),
        None => field,
    }
}

fn classic_one(ctx: &Ctx, e: &TfVal) -> Option<Value> {
    if !matches!(e.kind, Kind::Map(_)) {
        return None;
    }
    let data_resources: Vec<Value> = e
        .get("data_resource")
        .map(|d| d.items())
        .unwrap_or_default()
        .into_iter()
        .map(|d| {
            json!({
                "type": scalar_json(ctx, d.get("type"), Coerce::Str),
                "values": list_json(ctx, d.get("values")),
            })
        })
        .collect();
    Some(json!({
        "read_write_type": scalar_or(ctx, e.get("read_write_type"), Coerce::Str, json!("All")),
        "include_management_events":
            scalar_or(ctx, e.get("include_management_events"), Coerce::Bool, json!(true)),
        "data_resources": data_resources,
        "exclude_management_event_sources":
            list_json(ctx, e.get("exclude_management_event_sources")),
    }))
}

fn advanced_one(ctx: &Ctx, e: &TfVal) -> Option<Value> {
    if !matches!(e.kind, Kind::Map(_)) {
        return None;
    }
    let field_selectors: Vec<Value> = e
        .get("field_selector")
        .map(|f| f.items())
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            json!({
                "field": scalar_json(ctx, f.get("field"), Coerce::Str),
                "equals": list_json(ctx, f.get("equals")),
                "not_equals": list_json(ctx, f.get("not_equals")),
                "starts_with": list_json(ctx, f.get("starts_with")),
                "not_starts_with": list_json(ctx, f.get("not_starts_with")),
                "ends_with": list_json(ctx, f.get("ends_with")),
                "not_ends_with": list_json(ctx, f.get("not_ends_with")),
            })
        })
        .collect();
    Some(json!({
        "name": scalar_json(ctx, e.get("name"), Coerce::Str),
        "field_selectors": field_selectors,
    }))
}

/// A scalar inside a selector: its value, `null` when unset, `{"unknown": ...}` when not
/// knowable.
fn scalar_json(ctx: &Ctx, v: Option<&TfVal>, to: Coerce) -> Value {
    match v {
        None => Value::Null,
        Some(v) => coerce(ctx.json(v, Placeholder::Marker), to),
    }
}

fn scalar_or(ctx: &Ctx, v: Option<&TfVal>, to: Coerce, default: Value) -> Value {
    match v {
        None => default,
        Some(_) => scalar_json(ctx, v, to),
    }
}

/// A list of strings inside a selector; `[]` when unset. A list that is unknown as a whole
/// becomes one unknown marker, so iterating policies see "something unknown" and no value.
fn list_json(ctx: &Ctx, v: Option<&TfVal>) -> Value {
    match v {
        None => json!([]),
        Some(v) => match ctx.json(v, Placeholder::Marker) {
            Value::Array(items) => Value::Array(items),
            Value::Null => json!([]),
            other if other.get("unknown").is_some() => Value::Array(vec![other]),
            // A single string where a list is expected: Terraform would reject the type; keep
            // what is written so the finding shows it.
            other => Value::Array(vec![other]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::terraform::Ref;

    fn lit(v: Value) -> TfVal {
        TfVal::new(Kind::Lit(v), Loc::file("t.tf"))
    }

    fn map(entries: Vec<(&str, TfVal)>) -> TfVal {
        TfVal::new(
            Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            Loc::file("t.tf"),
        )
    }

    fn trail(attrs: Vec<(&str, TfVal)>) -> TfResource {
        TfResource {
            address: "aws_cloudtrail.t".to_string(),
            rtype: "aws_cloudtrail".to_string(),
            header: Loc::file("t.tf"),
            attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }
    }

    #[test]
    fn no_selectors_default_to_all_management_events() {
        let res = trail(vec![]);
        let resources = [res.clone()];
        let ctx = Ctx::new(&resources);
        let (classic, advanced) = trail_selectors(&ctx, &res);
        assert!(classic.defaulted);
        assert_eq!(classic.value, Some(default_event_selectors()));
        assert_eq!(advanced.state, crate::model::State::Absent);
        assert_eq!(advanced.value, None);
    }

    #[test]
    fn unresolvable_list_element_becomes_marker_and_reference_is_derived() {
        let bucket = TfResource {
            address: "aws_s3_bucket.data".to_string(),
            rtype: "aws_s3_bucket".to_string(),
            header: Loc::file("t.tf"),
            attrs: vec![("bucket".to_string(), lit(json!("data-bucket")))],
        };
        let arn_ref = TfVal::new(
            Kind::Ref(Ref {
                address: "aws_s3_bucket.data".to_string(),
                rtype: "aws_s3_bucket".to_string(),
                attr: Some("arn".to_string()),
                known: None,
                after_apply: false,
            }),
            Loc::file("t.tf"),
        )
        .with_expr("aws_s3_bucket.data.arn");
        let values = TfVal::new(
            Kind::List(vec![
                arn_ref,
                TfVal::unknown("var.extra", Loc::file("t.tf")),
            ]),
            Loc::file("t.tf"),
        );
        let selector = map(vec![
            ("include_management_events", lit(json!("false"))),
            (
                "data_resource",
                TfVal::new(
                    Kind::List(vec![map(vec![
                        ("type", lit(json!("AWS::S3::Object"))),
                        ("values", values),
                    ])]),
                    Loc::file("t.tf"),
                ),
            ),
        ]);
        let res = trail(vec![(
            "event_selector",
            TfVal::new(Kind::List(vec![selector]), Loc::file("t.tf")),
        )]);
        let resources = [res.clone(), bucket];
        let ctx = Ctx::new(&resources);
        let (classic, advanced) = trail_selectors(&ctx, &res);
        assert_eq!(
            classic.value,
            Some(json!([{
                "read_write_type": "All",
                "include_management_events": false,
                "data_resources": [{
                    "type": "AWS::S3::Object",
                    "values": ["arn:aws:s3:::data-bucket", {"unknown": "var.extra"}],
                }],
                "exclude_management_event_sources": [],
            }]))
        );
        assert_eq!(advanced.state, crate::model::State::Absent);
    }
}
