//! What a trail's or event data store's KMS key reference designates ([`KeyInfo`]).

use std::collections::HashMap;

use serde_json::Value;

use super::eval::{Eval, ResRef, Trace};
use super::fields::{Attr, Cx, Kind};
use super::intrinsic::render;
use super::template::Resource;
use crate::model::{Field, KeyInfo, State, key_managed_by};

const KEY: &str = "AWS::KMS::Key";
const ALIAS: &str = "AWS::KMS::Alias";
const REPLICA_KEY: &str = "AWS::KMS::ReplicaKey";

/// `None` when no key is set; otherwise who manages the key and, for a key resource of the
/// template, whether it rotates.
pub(super) fn key_info<'a>(
    cx: &mut Cx<'_, 'a>,
    owner: &Resource<'a>,
    property: &str,
    field: &Field,
) -> Option<KeyInfo> {
    if field.state == State::Absent {
        return None;
    }
    if let Some(resolved) = field.resolved.as_ref().filter(|r| r.kind == "resource") {
        let resource_type = resolved.resource_type.clone().unwrap_or_default();
        return Some(from_resource(cx, &resolved.id, &resource_type, field));
    }
    // A key resource named inside an expression: `!Sub "arn:...:key/${TrailKey}"`.
    if let Attr::Present(node) = cx.attr(owner, property) {
        let mut trace = Trace::default();
        cx.ev.eval(node, &mut trace);
        let keys: Vec<(&str, &str)> = trace
            .resources
            .into_iter()
            .filter(|(_, t)| [KEY, ALIAS, REPLICA_KEY].contains(t))
            .collect();
        if let [(id, resource_type)] = keys.as_slice() {
            return Some(from_resource(cx, id, resource_type, field));
        }
    }
    match field.value.as_ref().filter(|_| field.is_known()) {
        Some(Value::String(key)) => {
            if let Some(alias) = alias_named(cx, key) {
                return Some(from_resource(cx, &alias, ALIAS, field));
            }
            Some(KeyInfo {
                managed_by: key_managed_by(key).to_string(),
                resource_id: None,
                rotation_enabled: Field::unknown(key.clone(), field.loc.clone()),
            })
        }
        _ => Some(KeyInfo {
            managed_by: "unknown".to_string(),
            resource_id: None,
            rotation_enabled: Field::unknown(
                field.expr.clone().unwrap_or_default(),
                field.loc.clone(),
            ),
        }),
    }
}

fn from_resource(cx: &mut Cx<'_, '_>, id: &str, resource_type: &str, field: &Field) -> KeyInfo {
    let t = cx.t;
    let Some(resource) = t.resource(id) else {
        return unknown_key(id, field);
    };
    match resource_type {
        KEY => customer(id, rotation(cx, resource)),
        ALIAS => {
            // An alias is a customer key by construction (`alias/aws/` names are reserved);
            // its rotation is its target key's.
            let target = match cx.attr(resource, "TargetKeyId") {
                Attr::Present(node) => Some((node, cx.ev.eval(node, &mut Trace::default()))),
                _ => None,
            };
            match target {
                Some((_, Eval::Resource(key))) if key.resource_type == KEY => {
                    let key_resource = t.resource(key.id);
                    let rotation_enabled = match key_resource {
                        Some(k) => rotation(cx, k),
                        None => Field::unknown(key.id, field.loc.clone()),
                    };
                    customer(key.id, rotation_enabled)
                }
                Some((node, _)) => customer(id, Field::unknown(render(node), cx.loc(node))),
                None => customer(
                    id,
                    Field::unknown(format!("!Ref {id}"), cx.header(resource)),
                ),
            }
        }
        // A replica rotates with its primary key, which lives in another region's template.
        REPLICA_KEY => customer(
            id,
            Field::unknown(format!("!Ref {id}"), cx.header(resource)),
        ),
        _ => unknown_key(id, field),
    }
}

fn rotation<'a>(cx: &mut Cx<'_, 'a>, key: &Resource<'a>) -> Field {
    cx.field(
        key,
        "EnableKeyRotation",
        Kind::Bool,
        Some(Value::Bool(false)),
    )
}

fn customer(id: &str, rotation_enabled: Field) -> KeyInfo {
    KeyInfo {
        managed_by: "customer".to_string(),
        resource_id: Some(id.to_string()),
        rotation_enabled,
    }
}

fn unknown_key(id: &str, field: &Field) -> KeyInfo {
    KeyInfo {
        managed_by: "unknown".to_string(),
        resource_id: Some(id.to_string()),
        rotation_enabled: Field::unknown(
            field.expr.clone().unwrap_or_else(|| id.to_string()),
            field.loc.clone(),
        ),
    }
}

/// The alias resource whose `AliasName` is `name` (`alias/trail-key`).
fn alias_named(cx: &mut Cx<'_, '_>, name: &str) -> Option<String> {
    if cx.alias_names.is_none() {
        let t = cx.t;
        let mut names = HashMap::new();
        for r in t.of_type(ALIAS) {
            let own = ResRef {
                id: r.id,
                resource_type: ALIAS,
                attr: None,
            };
            if let Some(Value::String(alias)) = cx.ev.physical(&own, 0) {
                names.entry(alias).or_insert_with(|| r.id.to_string());
            }
        }
        cx.alias_names = Some(names);
    }
    cx.alias_names.as_ref()?.get(name).cloned()
}
