//! Turning positioned Terraform values into model [`Field`]s and plain JSON, resolving
//! references against the other resources of the same document.

use super::{Kind, MAX_RESOLVE_DEPTH, Ref, TfResource, TfVal};
use crate::model::{Field, Loc, Resolved};
use serde_json::{Value, json};
use std::collections::HashMap;

/// What a value unknown until apply says about itself (plans).
pub(crate) const AFTER_APPLY: &str = "known after apply";

/// How a scalar attribute's value is converted, as Terraform converts it for the schema type
/// (`enable_logging = "true"` is a valid bool).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Coerce {
    Bool,
    Number,
    Str,
}

/// How a value that cannot be known is written inside a JSON structure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Placeholder {
    /// `{"unknown": "<expr>"}`: the model's marker inside selector lists and bucket settings.
    Marker,
    /// `"${<expr>}"`: inside policy documents, where statements stay readable and string
    /// comparisons (`Principal == "*"`) keep working on the parts that are known.
    Text,
}

/// What a scalar attribute means: its documented default, type, and the resource types a
/// reference may name to count as resolved (a `kms_key_id` naming an `aws_kms_key`).
pub(super) struct Spec<'s> {
    pub default: Option<Value>,
    pub coerce: Coerce,
    pub targets: &'s [&'s str],
}

impl Spec<'static> {
    pub fn plain(coerce: Coerce) -> Spec<'static> {
        Spec {
            default: None,
            coerce,
            targets: &[],
        }
    }

    pub fn default(coerce: Coerce, default: Value) -> Spec<'static> {
        Spec {
            default: Some(default),
            coerce,
            targets: &[],
        }
    }
}

impl<'s> Spec<'s> {
    pub fn refs(coerce: Coerce, targets: &'s [&'s str]) -> Spec<'s> {
        Spec {
            default: None,
            coerce,
            targets,
        }
    }
}

/// All resources of one document, by address.
pub(super) struct Ctx<'a> {
    by_addr: HashMap<&'a str, &'a TfResource>,
}

impl<'a> Ctx<'a> {
    pub fn new(resources: &'a [TfResource]) -> Ctx<'a> {
        let mut by_addr = HashMap::new();
        for r in resources {
            by_addr.entry(r.address.as_str()).or_insert(r);
        }
        Ctx { by_addr }
    }

    pub fn resource(&self, address: &str) -> Option<&'a TfResource> {
        self.by_addr.get(address).copied()
    }

    /// The value a reference stands for: known in the plan, or following from the target's
    /// own literal attributes (an S3 bucket's id and ARN follow from its name; S3 ARNs carry no
    /// region or account, so this is exact).
    pub fn derive(&self, r: &Ref, depth: usize) -> Option<Value> {
        if let Some(v) = &r.known {
            return Some(v.clone());
        }
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        let target = self.resource(&r.address)?;
        let name_of = |key: &str| target.get(key).and_then(|v| self.string(v, depth + 1));
        match (r.rtype.as_str(), r.attr.as_deref()?) {
            ("aws_s3_bucket", "id" | "bucket") => name_of("bucket").map(Value::String),
            ("aws_s3_bucket", "arn") => {
                name_of("bucket").map(|n| Value::String(format!("arn:aws:s3:::{n}")))
            }
            ("aws_kms_alias", "id") | (_, "name") => name_of("name").map(Value::String),
            _ => None,
        }
    }

    /// A fully known scalar (literal, derivable reference, or a template of those).
    pub fn scalar(&self, v: &TfVal, depth: usize) -> Option<Value> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        match &v.kind {
            Kind::Lit(x) => Some(x.clone()),
            Kind::Ref(r) => self.derive(r, depth + 1),
            Kind::Template(parts) => {
                let mut out = String::new();
                for part in parts {
                    out.push_str(&self.string(part, depth + 1)?);
                }
                Some(Value::String(out))
            }
            Kind::Json(inner) => Some(Value::String(
                self.json(inner, Placeholder::Text).to_string(),
            )),
            _ => None,
        }
    }

    pub fn string(&self, v: &TfVal, depth: usize) -> Option<String> {
        match self.scalar(v, depth)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Plain JSON of a value; what cannot be known becomes a placeholder.
    pub fn json(&self, v: &TfVal, mode: Placeholder) -> Value {
        self.json_at(v, mode, 0)
    }

    fn json_at(&self, v: &TfVal, mode: Placeholder, depth: usize) -> Value {
        if depth > MAX_RESOLVE_DEPTH * 8 {
            return placeholder(&v.text(), mode);
        }
        match &v.kind {
            Kind::Null => Value::Null,
            Kind::Lit(x) => x.clone(),
            Kind::List(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.json_at(i, mode, depth + 1))
                    .collect(),
            ),
            Kind::Map(entries) => {
                let mut m = serde_json::Map::new();
                for (k, e) in entries {
                    m.insert(k.clone(), self.json_at(e, mode, depth + 1));
                }
                Value::Object(m)
            }
            Kind::Template(parts) => match (self.scalar(v, depth), mode) {
                (Some(s), _) => s,
                (None, Placeholder::Marker) => placeholder(&v.text(), mode),
                (None, Placeholder::Text) => Value::String(
                    parts
                        .iter()
                        .map(|p| {
                            self.string(p, depth + 1)
                                .unwrap_or_else(|| format!("${{{}}}", p.text()))
                        })
                        .collect(),
                ),
            },
            Kind::Json(inner) => Value::String(
                self.json_at(inner, Placeholder::Text, depth + 1)
                    .to_string(),
            ),
            Kind::Ref(r) => self
                .derive(r, depth)
                .unwrap_or_else(|| placeholder(&v.text(), mode)),
            Kind::Unknown => placeholder(&v.text(), mode),
        }
    }

    /// A scalar attribute as a model field: missing -> default or absent at the resource
    /// header; references resolved per `spec.targets`; unknown stays unknown.
    pub fn field(&self, v: Option<&TfVal>, header: &Loc, spec: &Spec) -> Field {
        let Some(v) = v else {
            return match &spec.default {
                Some(d) => Field::defaulted(d.clone(), header.clone()),
                None => Field::absent(header.clone()),
            };
        };
        let loc = v.loc.clone();
        let mut field = match &v.kind {
            Kind::Null => return self.field(None, header, spec),
            Kind::Unknown => Field::unknown(v.text(), loc),
            Kind::Lit(x) => Field::known(coerce(x.clone(), spec.coerce), loc),
            Kind::List(_) | Kind::Map(_) => Field::known(self.json(v, Placeholder::Marker), loc),
            Kind::Json(_) => match self.scalar(v, 0) {
                Some(s) => Field::known(s, loc),
                None => Field::unknown(v.text(), loc),
            },
            Kind::Ref(r) => {
                let wanted = spec.targets.contains(&r.rtype.as_str());
                match self.derive(r, 0) {
                    // A value the plan knows is known whatever it references; one we derived
                    // from the target came from that resource.
                    Some(val) if wanted || r.known.is_none() => {
                        Field::known(coerce(val, spec.coerce), loc).with_resolved(resolved(r))
                    }
                    Some(val) => Field::known(coerce(val, spec.coerce), loc),
                    // Known by resolution: we know which resource it is, not its final text.
                    None if wanted => {
                        Field::known(Value::String(r.readable()), loc).with_resolved(resolved(r))
                    }
                    None if r.after_apply => Field::unknown(AFTER_APPLY, loc)
                        .with_note(format!("references {}", v.text())),
                    None => Field::unknown(v.text(), loc),
                }
            }
            Kind::Template(parts) => self.template_field(v, parts, loc, spec),
        };
        if field.expr.is_none()
            && let Some(expr) = &v.expr
        {
            field = field.with_expr(expr.clone());
        }
        if let Some(note) = &v.note {
            field = field.with_note(note.clone());
        }
        field
    }

    /// `"${aws_cloudwatch_log_group.ct.arn}:*"`: known when every part is; known by
    /// resolution when the only unknown parts are references to the expected resource types.
    fn template_field(&self, v: &TfVal, parts: &[TfVal], loc: Loc, spec: &Spec) -> Field {
        let refs: Vec<&Ref> = parts
            .iter()
            .filter_map(|p| match &p.kind {
                Kind::Ref(r) => Some(r),
                _ => None,
            })
            .collect();
        if let Some(val) = self.scalar(v, 0) {
            let field = Field::known(coerce(val, spec.coerce), loc);
            return match refs.as_slice() {
                [r] => field.with_resolved(resolved(r)),
                _ => field,
            };
        }
        let unresolved: Vec<&TfVal> = parts
            .iter()
            .filter(|p| self.scalar(p, 0).is_none())
            .collect();
        let by_resolution = unresolved
            .iter()
            .all(|p| matches!(&p.kind, Kind::Ref(r) if spec.targets.contains(&r.rtype.as_str())));
        match (by_resolution, unresolved.first().map(|p| &p.kind)) {
            (true, Some(Kind::Ref(r))) => {
                Field::known(self.json(v, Placeholder::Text), loc).with_resolved(resolved(r))
            }
            _ => Field::unknown(v.text(), loc),
        }
    }
}

pub(super) fn resolved(r: &Ref) -> Resolved {
    Resolved {
        kind: "resource".to_string(),
        id: r.address.clone(),
        resource_type: Some(r.rtype.clone()),
    }
}

pub(super) fn placeholder(text: &str, mode: Placeholder) -> Value {
    match mode {
        Placeholder::Marker => json!({ "unknown": text }),
        Placeholder::Text => Value::String(format!("${{{text}}}")),
    }
}

/// Terraform's own primitive conversions; a value that does not convert is kept as written.
pub(super) fn coerce(v: Value, to: Coerce) -> Value {
    match (to, &v) {
        (Coerce::Bool, Value::String(s)) if s == "true" => Value::Bool(true),
        (Coerce::Bool, Value::String(s)) if s == "false" => Value::Bool(false),
        (Coerce::Number, Value::String(s)) => serde_json::from_str::<serde_json::Number>(s.trim())
            .map(Value::Number)
            .unwrap_or(v),
        (Coerce::Str, Value::Number(n)) => Value::String(n.to_string()),
        (Coerce::Str, Value::Bool(b)) => Value::String(b.to_string()),
        _ => v,
    }
}
