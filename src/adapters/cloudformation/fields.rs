//! Reading one resource attribute into a three-state [`Field`] (known / absent / unknown).
//!
//! Every adapter module goes through [`Cx`] so the rules are the same everywhere: a present
//! attribute points at its value, a missing one at the resource header; `AWS::NoValue` counts as
//! missing; an expression that cannot be resolved is unknown (never absent); a value of the
//! wrong type is an input error and unknown.

use std::collections::HashMap;

use serde_json::Value;

use super::eval::{Eval, Evaluator, Trace, is_unknown_marker, unknown_marker};
use super::intrinsic::{intrinsic, render};
use super::template::{Resource, Template, error_at};
use crate::adapters::InputError;
use crate::model::{Field, Loc, Resolved};
use crate::syntax::{Node, NodeKind};

/// The type a model field holds; CloudFormation's string forms are coerced to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Str,
    Bool,
    Num,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Bool => "a boolean",
            Kind::Num => "a number",
        }
    }
}

/// Where an attribute stands in a resource's `Properties`.
pub(super) enum Attr<'a> {
    Present(&'a Node),
    Missing,
    /// `Properties` itself is an expression (e.g. `!If`), so no single attribute is known.
    Opaque(&'a Node),
}

/// An attribute read as JSON, unknown leaves marked `{"unknown": "<expr>"}`.
pub(super) enum Json<'a> {
    Missing,
    /// Set to `AWS::NoValue`: treated as missing.
    NoValue,
    Known(Value, &'a Node),
    Unknown(&'a Node),
}

/// Adapter context: the template, the evaluator, and the non-fatal errors collected.
pub(super) struct Cx<'t, 'a> {
    pub t: &'t Template<'a>,
    pub ev: Evaluator<'t, 'a>,
    pub errors: Vec<InputError>,
    /// `AliasName` to logical id of the template's KMS aliases, built on first use.
    pub alias_names: Option<HashMap<String, String>>,
}

impl<'t, 'a> Cx<'t, 'a> {
    pub fn new(t: &'t Template<'a>) -> Self {
        Cx {
            t,
            ev: Evaluator::new(t),
            errors: Vec::new(),
            alias_names: None,
        }
    }

    pub fn loc(&self, node: &Node) -> Loc {
        self.t.loc(node.span)
    }

    pub fn header(&self, r: &Resource<'_>) -> Loc {
        self.t.header(r)
    }

    pub fn attr(&self, r: &Resource<'a>, name: &str) -> Attr<'a> {
        match r.properties {
            None => Attr::Missing,
            // `{"Fn::If": [...]}` is a mapping too, but not of properties.
            Some(p) if intrinsic(p).is_some() => Attr::Opaque(p),
            Some(p) if p.is_map() => p.get(name).map_or(Attr::Missing, Attr::Present),
            Some(p) if matches!(p.kind, NodeKind::Null) => Attr::Missing,
            Some(p) => Attr::Opaque(p),
        }
    }

    /// One attribute as a field; `default` is the documented AWS default for a missing one.
    pub fn field(
        &mut self,
        r: &Resource<'a>,
        name: &str,
        kind: Kind,
        default: Option<Value>,
    ) -> Field {
        let missing = |loc: Loc| match &default {
            Some(v) => Field::defaulted(v.clone(), loc),
            None => Field::absent(loc),
        };
        match self.attr(r, name) {
            Attr::Missing => missing(self.header(r)),
            Attr::Opaque(p) => Field::unknown(render(p), self.loc(p)),
            Attr::Present(node) => match self.value(r.id, name, node, kind) {
                Some(field) => field,
                None => missing(self.loc(node)).with_expr(render(node)),
            },
        }
    }

    /// The field for a present value; `None` when it is `AWS::NoValue`.
    pub fn value(&mut self, owner: &str, name: &str, node: &'a Node, kind: Kind) -> Option<Field> {
        let mut trace = Trace::default();
        let loc = self.loc(node);
        let call = intrinsic(node).map(|(function, _)| function);
        let mut field = match self.ev.eval(node, &mut trace) {
            Eval::NoValue => return None,
            Eval::Value(v) => match coerce(v, kind) {
                Some(v) => Field::known(v, loc),
                None => self.wrong_type(owner, name, node, kind),
            },
            Eval::Resource(target) if kind == Kind::Str => {
                let shown = self.ev.display(&target);
                Field::known(Value::String(shown), loc).with_resolved(Resolved {
                    kind: "resource".to_string(),
                    id: target.id.to_string(),
                    resource_type: Some(target.resource_type.to_string()),
                })
            }
            Eval::Resource(_) => self.wrong_type(owner, name, node, kind),
            Eval::Unknown => Field::unknown(render(node), loc),
        };
        if call.is_some() {
            field = field.with_expr(render(node));
        }
        if field.is_known() && !trace.params.is_empty() {
            let sources: Vec<String> = trace
                .params
                .iter()
                .map(|p| format!("parameter {p}'s Default"))
                .collect();
            field = field.with_note(format!("resolved from {}", sources.join(" and ")));
            if let (Some("Ref"), [param]) = (call, trace.params.as_slice()) {
                field = field.with_resolved(Resolved {
                    kind: "parameter".to_string(),
                    id: (*param).to_string(),
                    resource_type: None,
                });
            }
        }
        Some(field)
    }

    fn wrong_type(&mut self, owner: &str, name: &str, node: &Node, kind: Kind) -> Field {
        let message = format!(
            "`{name}` of `{owner}` should be {}, found `{}`",
            kind.describe(),
            render(node)
        );
        self.errors.push(error_at(self.t.path, node.span, message));
        Field::unknown(render(node), self.loc(node))
    }

    /// An attribute holding a structure (selectors, configurations), read leniently.
    pub fn json(&mut self, r: &Resource<'a>, name: &str) -> Json<'a> {
        match self.attr(r, name) {
            Attr::Missing => Json::Missing,
            Attr::Opaque(p) => Json::Unknown(p),
            Attr::Present(node) => match self.ev.lenient(node) {
                None => Json::NoValue,
                Some(v) if is_unknown_marker(&v) => Json::Unknown(node),
                Some(v) => Json::Known(v, node),
            },
        }
    }

    /// A string for evidence: the value, a reference's readable form, or an unknown marker.
    pub fn display_string(&mut self, node: &'a Node) -> Option<Value> {
        match self.ev.eval(node, &mut Trace::default()) {
            Eval::NoValue => None,
            Eval::Value(v) => Some(coerce(v, Kind::Str).unwrap_or_else(|| unknown_marker(node))),
            Eval::Resource(target) => Some(Value::String(self.ev.display(&target))),
            Eval::Unknown => Some(unknown_marker(node)),
        }
    }

    /// Report a structure whose shape is not what CloudFormation accepts.
    pub fn invalid(&mut self, owner: &str, name: &str, node: &Node, expected: &str) -> Field {
        let message = format!("`{name}` of `{owner}` should be {expected}");
        self.errors.push(error_at(self.t.path, node.span, message));
        Field::unknown(render(node), self.loc(node))
    }
}

/// Coerce to the model type: CloudFormation accepts `"true"`/`"false"` and numeric strings.
pub(super) fn coerce(v: Value, kind: Kind) -> Option<Value> {
    match (kind, v) {
        (Kind::Str, v @ Value::String(_)) => Some(v),
        (Kind::Str, Value::Number(n)) => Some(Value::String(n.to_string())),
        (Kind::Str, Value::Bool(b)) => Some(Value::String(b.to_string())),
        (Kind::Bool, v @ Value::Bool(_)) => Some(v),
        (Kind::Bool, Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        (Kind::Bool, Value::String(s)) if s.eq_ignore_ascii_case("false") => {
            Some(Value::Bool(false))
        }
        (Kind::Num, v @ Value::Number(_)) => Some(v),
        (Kind::Num, Value::String(s)) => serde_json::from_str::<serde_json::Number>(s.trim())
            .ok()
            .map(Value::Number),
        _ => None,
    }
}

/// A scalar inside a structure: coerced, or an unknown marker kept as is; `default` if missing.
pub(super) fn scalar(v: Option<&Value>, kind: Kind, default: Value) -> Value {
    match v {
        None | Some(Value::Null) => default,
        Some(v) if is_unknown_marker(v) => v.clone(),
        Some(v) => coerce(v.clone(), kind)
            .unwrap_or_else(|| serde_json::json!({ "unknown": v.to_string() })),
    }
}

/// A list of strings inside a structure; a list that is itself unknown becomes `[marker]`.
pub(super) fn string_list(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Array(Vec::new()),
        Some(Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| scalar(Some(item), Kind::Str, Value::Null))
                .collect(),
        ),
        Some(other) if is_unknown_marker(other) => Value::Array(vec![other.clone()]),
        Some(other) => Value::Array(vec![serde_json::json!({ "unknown": other.to_string() })]),
    }
}
