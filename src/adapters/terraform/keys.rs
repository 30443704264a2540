//! KMS keys of trails and event data stores: who manages the key and whether it rotates,
//! following references (and literal ARNs, ids and alias names) to key resources of the
//! same document.

use super::render::{Coerce, Ctx, Spec};
use super::{Kind, TfResource, TfVal};
use crate::model::{Field, KeyInfo, key_managed_by};
use serde_json::Value;

/// Resource types a `kms_key_id` may reference and still be a customer-managed key.
pub(super) const KEY_TYPES: [&str; 5] = [
    "aws_kms_key",
    "aws_kms_alias",
    "aws_kms_replica_key",
    "aws_kms_external_key",
    "aws_kms_replica_external_key",
];

/// What `kms_key_id` says about the key; `None` when no key is set.
pub(super) fn key_info(ctx: &Ctx, all: &[TfResource], v: Option<&TfVal>) -> Option<KeyInfo> {
    let v = v?;
    let loc = v.loc.clone();
    if let Kind::Ref(r) = &v.kind
        && KEY_TYPES.contains(&r.rtype.as_str())
        && let Some(target) = ctx.resource(&r.address)
    {
        return Some(from_resource(ctx, all, target, 0));
    }
    match ctx.string(v, 0) {
        Some(s) => match find_by_literal(ctx, all, &s) {
            Some(target) => Some(from_resource(ctx, all, target, 0)),
            None => Some(KeyInfo {
                managed_by: key_managed_by(&s).to_string(),
                resource_id: None,
                rotation_enabled: Field::unknown(s, loc),
            }),
        },
        None => Some(KeyInfo {
            managed_by: "unknown".to_string(),
            resource_id: None,
            rotation_enabled: Field::unknown(v.text(), loc),
        }),
    }
}

/// A key or alias resource: customer-managed; rotation from the key's `enable_key_rotation`
/// (default false), followed through an alias's `target_key_id`.
fn from_resource(ctx: &Ctx, all: &[TfResource], target: &TfResource, depth: usize) -> KeyInfo {
    let rotation = match target.rtype.as_str() {
        "aws_kms_key" => ctx.field(
            target.get("enable_key_rotation"),
            &target.header,
            &Spec::default(Coerce::Bool, Value::Bool(false)),
        ),
        "aws_kms_alias" if depth == 0 => {
            let key = target.get("target_key_id");
            let resolved = key.and_then(|k| match &k.kind {
                Kind::Ref(r) => ctx.resource(&r.address),
                _ => ctx.string(k, 0).and_then(|s| find_by_literal(ctx, all, &s)),
            });
            match (resolved, key) {
                (Some(key_res), _) if key_res.rtype == "aws_kms_key" => {
                    from_resource(ctx, all, key_res, depth + 1).rotation_enabled
                }
                (_, Some(k)) => Field::unknown(k.text(), k.loc.clone()),
                (_, None) => Field::unknown(target.address.clone(), target.header.clone()),
            }
        }
        _ => Field::unknown(target.address.clone(), target.header.clone()),
    };
    KeyInfo {
        managed_by: "customer".to_string(),
        resource_id: Some(target.address.clone()),
        rotation_enabled: rotation,
    }
}

/// A key or alias of this document named by a literal: key ARN / id, alias name / ARN (plans
/// and state exports carry these as known values).
fn find_by_literal<'a>(ctx: &Ctx, all: &'a [TfResource], s: &str) -> Option<&'a TfResource> {
    if s.is_empty() {
        return None;
    }
    all.iter().find(|r| {
        let names: &[&str] = match r.rtype.as_str() {
            "aws_kms_key" => &["arn", "key_id", "id"],
            "aws_kms_alias" => &["name", "arn"],
            _ => &[],
        };
        names
            .iter()
            .any(|n| r.get(n).and_then(|v| ctx.string(v, 0)).as_deref() == Some(s))
    })
}
