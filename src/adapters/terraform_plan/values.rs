//! One planned resource's attributes as positioned Terraform values: planned values are known,
//! `after_unknown` marks what is unknown until apply, and the configuration tells which
//! attributes the user set and what they reference.

use super::Instance;
use super::config::references;
use crate::adapters::terraform::{AFTER_APPLY, Kind, Ref, TfVal};
use crate::model::Loc;
use crate::syntax::{Node, NodeKind};

/// Deepest value nesting converted; deeper parts read as unknown.
const MAX_VALUE_DEPTH: usize = 64;

/// Top-level attributes the AWS provider computes when the configuration leaves them unset
/// (Optional+Computed). A plan shows them unknown, yet nothing the user wrote sets them: when
/// the configuration does not set them they read as unset. (For the same reason, unknown
/// attributes nested in blocks that the configuration does not set read as unset, e.g.
/// `versioning_configuration.mfa_delete` or a field selector's unused operators.)
const COMPUTED_WHEN_UNSET: [(&str, &str); 7] = [
    ("aws_s3_bucket", "acl"),
    ("aws_s3_bucket", "grant"),
    ("aws_s3_bucket", "logging"),
    ("aws_s3_bucket", "policy"),
    ("aws_s3_bucket", "versioning"),
    ("aws_s3_bucket", "server_side_encryption_configuration"),
    ("aws_cloudtrail_event_data_store", "advanced_event_selector"),
];

/// Attributes that name another resource (a trail's bucket, key, log group, role and topic; a
/// split bucket resource's bucket; an alias's key; a log target). Only these are resolved
/// through their references: a policy that mentions a bucket is not that bucket.
const REFERENCE_ATTRS: [&str; 8] = [
    "s3_bucket_name",
    "kms_key_id",
    "cloud_watch_logs_group_arn",
    "cloud_watch_logs_role_arn",
    "sns_topic_name",
    "bucket",
    "target_key_id",
    "target_bucket",
];

/// Keys identifying a nested block in a set, whose planned order need not follow the
/// configuration's (field selectors are a set).
const BLOCK_KEYS: [&str; 4] = ["field", "name", "insight_type", "type"];

/// The configuration of a value: none known, a list of nested blocks, or one block's body.
#[derive(Clone, Copy)]
enum Cfg<'a> {
    None,
    Blocks(&'a Node),
    Block(&'a Node),
}

pub(super) struct Converter<'p> {
    pub path: &'p str,
}

impl Converter<'_> {
    /// The attributes of a planned resource. `resolve` maps an attribute's references to a
    /// resource of the plan and the reference text.
    pub fn resource_attrs(
        &self,
        inst: &Instance,
        change: Option<&Node>,
        config: Option<&Node>,
        resolve: impl Fn(&[String]) -> Option<(Ref, String)>,
    ) -> Vec<(String, TfVal)> {
        let values = inst.node.get("values");
        let unknown = change.and_then(|c| c.get("after_unknown"));
        let exprs = config.and_then(|c| c.get("expressions"));
        keys(values, unknown)
            .into_iter()
            .map(|key| {
                let expr = exprs.and_then(|e| e.get(key));
                let configured = exprs.is_none()
                    || expr.is_some()
                    || !COMPUTED_WHEN_UNSET.contains(&(inst.rtype.as_str(), key));
                let value = self.value(
                    values.and_then(|v| v.get(key)),
                    unknown.and_then(|u| u.get(key)),
                    cfg_of(expr),
                    configured,
                    0,
                );
                let refs = expr.map(references).unwrap_or_default();
                let value = match (refs.is_empty(), REFERENCE_ATTRS.contains(&key)) {
                    (true, _) => value,
                    (false, true) => with_refs(value, &refs, &resolve),
                    (false, false) if value.is_unknown() => {
                        value.with_note(format!("references {}", refs.join(", ")))
                    }
                    (false, false) => value,
                };
                (key.to_string(), value)
            })
            .collect()
    }

    fn loc(&self, node: &Node) -> Loc {
        Loc::new(self.path, node.span)
    }

    fn value(
        &self,
        v: Option<&Node>,
        u: Option<&Node>,
        cfg: Cfg,
        configured: bool,
        depth: usize,
    ) -> TfVal {
        let loc = v
            .or(u)
            .map(|n| self.loc(n))
            .unwrap_or_else(|| Loc::file(self.path));
        if u.and_then(Node::as_bool) == Some(true) {
            return if configured {
                TfVal::unknown(AFTER_APPLY, loc)
            } else {
                TfVal::new(Kind::Null, loc)
            };
        }
        if depth > MAX_VALUE_DEPTH {
            return TfVal::unknown("value nested too deeply to read", loc);
        }
        let Some(node) = v else {
            // Unknown parts inside an omitted value: the value as a whole is not known yet.
            return match u {
                Some(u) if configured && has_unknown(u, 0) => TfVal::unknown(AFTER_APPLY, loc),
                _ => TfVal::new(Kind::Null, loc),
            };
        };
        let kind = match &node.kind {
            NodeKind::Null => Kind::Null,
            NodeKind::Seq(items) => Kind::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let ui = u.and_then(|u| u.items().get(i));
                        let ci = match cfg {
                            Cfg::Blocks(list) => {
                                match_block(list, item, i).map_or(Cfg::None, Cfg::Block)
                            }
                            Cfg::Block(b) if i == 0 => Cfg::Block(b),
                            _ => Cfg::None,
                        };
                        self.value(Some(item), ui, ci, true, depth + 1)
                    })
                    .collect(),
            ),
            NodeKind::Map(_) => {
                let body = match cfg {
                    Cfg::Block(b) => Some(b),
                    _ => None,
                };
                Kind::Map(
                    keys(Some(node), u)
                        .into_iter()
                        .map(|k| {
                            let expr = body.and_then(|b| b.get(k));
                            let value = self.value(
                                node.get(k),
                                u.and_then(|u| u.get(k)),
                                cfg_of(expr),
                                body.is_none() || expr.is_some(),
                                depth + 1,
                            );
                            (k.to_string(), value)
                        })
                        .collect(),
                )
            }
            _ => Kind::Lit(node.to_json()),
        };
        TfVal::new(kind, loc)
    }
}

/// A top-level attribute with references: a planned value stays known and records what it
/// came from; an unknown one becomes known by resolution when the reference names a
/// resource of the plan.
fn with_refs(
    value: TfVal,
    refs: &[String],
    resolve: &impl Fn(&[String]) -> Option<(Ref, String)>,
) -> TfVal {
    match &value.kind {
        Kind::Lit(known) => match resolve(refs) {
            Some((mut target, expr)) => {
                target.known = Some(known.clone());
                TfVal::new(Kind::Ref(target), value.loc).with_expr(expr)
            }
            None => value,
        },
        Kind::Unknown => match resolve(refs) {
            Some((mut target, expr)) => {
                target.after_apply = true;
                TfVal::new(Kind::Ref(target), value.loc).with_expr(expr)
            }
            None => value.with_note(format!("references {}", refs.join(", "))),
        },
        _ => value,
    }
}

/// How an attribute's configuration describes nested content.
fn cfg_of(expr: Option<&Node>) -> Cfg<'_> {
    match expr {
        Some(e) if e.is_seq() => Cfg::Blocks(e),
        // An expression representation describes a value, not blocks.
        Some(e)
            if e.is_map() && e.get("constant_value").is_none() && e.get("references").is_none() =>
        {
            Cfg::Block(e)
        }
        _ => Cfg::None,
    }
}

/// The configuration block of a planned nested block: by its identifying key when it has
/// one, else by position.
fn match_block<'a>(list: &'a Node, item: &Node, i: usize) -> Option<&'a Node> {
    let blocks = list.items();
    for key in BLOCK_KEYS {
        if let Some(want) = item.get(key).and_then(Node::as_str) {
            let found = blocks.iter().find(|b| {
                b.get(key)
                    .and_then(|e| e.get("constant_value"))
                    .and_then(Node::as_str)
                    == Some(want)
            });
            if found.is_some() {
                return found;
            }
        }
    }
    blocks.get(i)
}

/// Attribute names of a planned object, then those only `after_unknown` has (unknown values
/// are omitted from planned values).
fn keys<'a>(values: Option<&'a Node>, unknown: Option<&'a Node>) -> Vec<&'a str> {
    let mut out: Vec<&str> = values
        .map(|v| v.entries().iter().map(|(k, _)| k.name.as_str()).collect())
        .unwrap_or_default();
    for (k, u) in unknown.map(Node::entries).unwrap_or_default() {
        if !out.contains(&k.name.as_str()) && has_unknown(u, 0) {
            out.push(k.name.as_str());
        }
    }
    out
}

fn has_unknown(u: &Node, depth: usize) -> bool {
    if depth > MAX_VALUE_DEPTH {
        return false;
    }
    match &u.kind {
        NodeKind::Bool(b) => *b,
        NodeKind::Seq(items) => items.iter().any(|i| has_unknown(i, depth + 1)),
        NodeKind::Map(entries) => entries.iter().any(|(_, v)| has_unknown(v, depth + 1)),
        _ => false,
    }
}
