//! Static evaluation of intrinsic functions against the template itself.
//!
//! A value is known only when the template alone determines it: literals, parameters' `Default`
//! values, mapping lookups with known keys, and functions of those. A `Ref`/`GetAtt` to a
//! resource of the template is kept as a reference ([`Eval::Resource`]) so adapters can join a
//! trail to its bucket or key. Everything else (pseudo parameters, imports, SSM parameters,
//! attributes known only after deployment) is [`Eval::Unknown`]. Reference cycles and runaway
//! nesting end as unknown too.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::intrinsic::{condition_name, intrinsic, render};
use super::template::Template;
use crate::syntax::{MAX_DEPTH, Node, NodeKind};

/// A `Ref` (attr `None`) or `GetAtt` to a resource of the template.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ResRef<'a> {
    pub id: &'a str,
    pub resource_type: &'a str,
    pub attr: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Eval<'a> {
    Value(Value),
    Resource(ResRef<'a>),
    /// `!Ref AWS::NoValue`: the property counts as not set.
    NoValue,
    Unknown,
}

/// What an evaluation drew on, for evidence (`resolved`, notes).
#[derive(Debug, Default)]
pub(super) struct Trace<'a> {
    /// Parameters whose `Default` was used.
    pub params: Vec<&'a str>,
    /// Resources referenced, as `(logical id, type)`.
    pub resources: Vec<(&'a str, &'a str)>,
}

impl<'a> Trace<'a> {
    fn param(&mut self, name: &'a str) {
        if !self.params.contains(&name) {
            self.params.push(name);
        }
    }

    fn resource(&mut self, id: &'a str, resource_type: &'a str) {
        if !self.resources.iter().any(|(r, _)| *r == id) {
            self.resources.push((id, resource_type));
        }
    }
}

pub(super) struct Evaluator<'t, 'a> {
    t: &'t Template<'a>,
    /// Resources and conditions being evaluated, to stop reference cycles.
    visiting: Vec<String>,
    /// Memoized resource names and conditions: a chain of resources each naming the next
    /// several times would otherwise cost exponential time. A result cut short by a cycle is
    /// only ever cached for a member of that cycle, where "unknown" is the right answer anyway.
    names: HashMap<&'a str, Option<Value>>,
    conditions: HashMap<String, Option<bool>>,
    /// Bytes of strings built so far (joins, substitutions, copied names); past
    /// [`MAX_PRODUCED`] everything else is unknown, so nested joins cannot build huge values.
    produced: usize,
}

/// Real names and ARNs are short; 16 MiB of built strings per template is far beyond any.
const MAX_PRODUCED: usize = 16 << 20;

impl<'t, 'a> Evaluator<'t, 'a> {
    pub fn new(t: &'t Template<'a>) -> Self {
        Evaluator {
            t,
            visiting: Vec::new(),
            names: HashMap::new(),
            conditions: HashMap::new(),
            produced: 0,
        }
    }

    /// Account for `bytes` of built string; false once the budget is spent.
    fn charge(&mut self, bytes: usize) -> bool {
        self.produced = self.produced.saturating_add(bytes);
        self.produced <= MAX_PRODUCED
    }

    pub fn eval(&mut self, node: &'a Node, trace: &mut Trace<'a>) -> Eval<'a> {
        self.go(node, 0, trace)
    }

    /// The readable string a reference stands for: a `Ref` to a resource whose name is in the
    /// template gives that name, otherwise the logical id; a `GetAtt` gives `!GetAtt Id.Attr`.
    pub fn display(&mut self, r: &ResRef<'a>) -> String {
        match &r.attr {
            Some(attr) => format!("!GetAtt {}.{attr}", r.id),
            None => match self.physical(r, 0) {
                Some(Value::String(name)) => name,
                _ => r.id.to_string(),
            },
        }
    }

    /// The node's value with unknown parts replaced by `{"unknown": "<expr>"}` markers, for
    /// documents such as bucket policies where the known parts are still worth checking.
    /// `None` when the node is `AWS::NoValue`.
    pub fn lenient(&mut self, node: &'a Node) -> Option<Value> {
        self.lenient_at(node, 0)
    }

    fn lenient_at(&mut self, node: &'a Node, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return Some(unknown_marker(node));
        }
        if intrinsic(node).is_some() {
            return match self.go(node, depth, &mut Trace::default()) {
                Eval::Value(v) => Some(v),
                Eval::NoValue => None,
                Eval::Resource(r) => Some(
                    self.physical(&r, depth)
                        .unwrap_or_else(|| unknown_marker(node)),
                ),
                Eval::Unknown => Some(unknown_marker(node)),
            };
        }
        match &node.kind {
            NodeKind::Seq(items) => Some(Value::Array(
                items
                    .iter()
                    .filter_map(|item| self.lenient_at(item, depth + 1))
                    .collect(),
            )),
            NodeKind::Map(entries) => {
                let mut map = Map::new();
                for (key, value) in entries {
                    if let Some(v) = self.lenient_at(value, depth + 1) {
                        map.insert(key.name.clone(), v);
                    }
                }
                Some(Value::Object(map))
            }
            _ => Some(node.to_json()),
        }
    }

    fn go(&mut self, node: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        if depth > MAX_DEPTH {
            return Eval::Unknown;
        }
        if let Some((name, arg)) = intrinsic(node) {
            return self.call(name, arg, depth + 1, trace);
        }
        match &node.kind {
            NodeKind::Seq(items) => {
                let mut out = Vec::new();
                let mut known = true;
                for item in items {
                    match self.concrete(item, depth + 1, trace) {
                        Some(Some(v)) => out.push(v),
                        Some(None) => {}
                        None => known = false,
                    }
                }
                if known {
                    Eval::Value(Value::Array(out))
                } else {
                    Eval::Unknown
                }
            }
            NodeKind::Map(entries) => {
                let mut out = Map::new();
                let mut known = true;
                for (key, value) in entries {
                    match self.concrete(value, depth + 1, trace) {
                        Some(Some(v)) => {
                            out.insert(key.name.clone(), v);
                        }
                        Some(None) => {}
                        None => known = false,
                    }
                }
                if known {
                    Eval::Value(Value::Object(out))
                } else {
                    Eval::Unknown
                }
            }
            // A tag that is not an intrinsic function was caught by `intrinsic` above.
            _ => Eval::Value(node.to_json()),
        }
    }

    /// A concrete value: `Some(None)` for NoValue, `None` when not statically known. Resource
    /// references count only when their physical value is in the template.
    fn concrete(
        &mut self,
        node: &'a Node,
        depth: usize,
        trace: &mut Trace<'a>,
    ) -> Option<Option<Value>> {
        match self.go(node, depth, trace) {
            Eval::Value(v) => Some(Some(v)),
            Eval::NoValue => Some(None),
            Eval::Resource(r) => self.physical(&r, depth).map(Some),
            Eval::Unknown => None,
        }
    }

    /// A scalar as the string CloudFormation would substitute.
    fn string(&mut self, node: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Option<String> {
        match self.concrete(node, depth, trace)?? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn call(&mut self, name: &str, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, trace),
                None => Eval::Unknown,
            },
            "Fn::GetAtt" => self.get_att(arg, depth, trace),
            "Fn::Sub" => self.sub(arg, depth, trace),
            "Fn::Join" => self.join(arg, depth, trace),
            "Fn::Select" => self.select(arg, depth, trace),
            "Fn::Split" => self.split(arg, depth, trace),
            "Fn::FindInMap" => self.find_in_map(arg, depth, trace),
            "Fn::If" => self.choose(arg, depth, trace),
            "Fn::Base64" => match self.string(arg, depth, trace) {
                Some(s) => Eval::Value(Value::String(base64(s.as_bytes()))),
                None => Eval::Unknown,
            },
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" | "Condition" => {
                match self.condition_fn(name, arg, depth, trace) {
                    Some(b) => Eval::Value(Value::Bool(b)),
                    None => Eval::Unknown,
                }
            }
            // Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform and unknown tags depend on
            // the account, region or other stacks.
            _ => Eval::Unknown,
        }
    }

    fn reference(&mut self, target: &'a str, trace: &mut Trace<'a>) -> Eval<'a> {
        if target == "AWS::NoValue" {
            return Eval::NoValue;
        }
        if let Some(param) = self.t.parameters.get(target) {
            return parameter(target, param, trace);
        }
        if let Some(r) = self.t.resource(target) {
            trace.resource(r.id, r.resource_type);
            return Eval::Resource(ResRef {
                id: r.id,
                resource_type: r.resource_type,
                attr: None,
            });
        }
        // Pseudo parameters (AWS::Region, AWS::AccountId, ...) and dangling names.
        Eval::Unknown
    }

    fn get_att(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let (id, attr) = match (&arg.kind, arg.items()) {
            (NodeKind::String(s), _) => match s.split_once('.') {
                Some((id, attr)) => (id, attr.to_string()),
                None => return Eval::Unknown,
            },
            (_, [id, attr]) => match (id.as_str(), self.string(attr, depth, trace)) {
                (Some(id), Some(attr)) => (id, attr),
                _ => return Eval::Unknown,
            },
            _ => return Eval::Unknown,
        };
        match self.t.resource(id) {
            Some(r) => {
                trace.resource(r.id, r.resource_type);
                Eval::Resource(ResRef {
                    id: r.id,
                    resource_type: r.resource_type,
                    attr: Some(attr),
                })
            }
            None => Eval::Unknown,
        }
    }

    fn sub(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let (text, vars) = match (&arg.kind, arg.items()) {
            (NodeKind::String(s), _) => (s.as_str(), None),
            (_, [text, vars]) => match text.as_str() {
                Some(s) => (s, Some(vars)),
                None => return Eval::Unknown,
            },
            _ => return Eval::Unknown,
        };
        let mut out = String::new();
        let mut known = true;
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let name = name.trim();
            let value = if let Some(var) = vars.and_then(|v| v.get(name)) {
                self.string(var, depth + 1, trace)
            } else if let Some((id, _)) = name.split_once('.') {
                // `${Res.Attr}`: attributes exist only after deployment.
                if let Some(r) = self.t.resource(id) {
                    trace.resource(r.id, r.resource_type);
                }
                None
            } else {
                match self.reference(name, trace) {
                    Eval::Value(Value::String(s)) => Some(s),
                    Eval::Value(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
                    Eval::Resource(r) => match self.physical(&r, depth) {
                        Some(Value::String(s)) => Some(s),
                        _ => None,
                    },
                    _ => None,
                }
            };
            match value {
                Some(v) if out.len() + v.len() <= MAX_PRODUCED => out.push_str(&v),
                _ => known = false,
            }
        }
        out.push_str(rest);
        if known && self.charge(out.len()) {
            Eval::Value(Value::String(out))
        } else {
            Eval::Unknown
        }
    }

    fn join(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let [delimiter, list] = arg.items() else {
            return Eval::Unknown;
        };
        let Some(delimiter) = delimiter.as_str() else {
            return Eval::Unknown;
        };
        let Some(Some(Value::Array(items))) = self.concrete(list, depth + 1, trace) else {
            return Eval::Unknown;
        };
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => parts.push(s),
                Value::Number(n) => parts.push(n.to_string()),
                Value::Bool(b) => parts.push(b.to_string()),
                _ => return Eval::Unknown,
            }
        }
        let size = parts.iter().map(|p| p.len() + delimiter.len()).sum();
        if !self.charge(size) {
            return Eval::Unknown;
        }
        Eval::Value(Value::String(parts.join(delimiter)))
    }

    fn select(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let [index, list] = arg.items() else {
            return Eval::Unknown;
        };
        let index = self
            .string(index, depth + 1, trace)
            .and_then(|i| i.parse::<usize>().ok());
        let list = self.concrete(list, depth + 1, trace);
        match (index, list) {
            (Some(i), Some(Some(Value::Array(items)))) => {
                items.into_iter().nth(i).map_or(Eval::Unknown, Eval::Value)
            }
            _ => Eval::Unknown,
        }
    }

    fn split(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let [delimiter, source] = arg.items() else {
            return Eval::Unknown;
        };
        match (delimiter.as_str(), self.string(source, depth + 1, trace)) {
            (Some(d), Some(s)) if !d.is_empty() && self.charge(s.len()) => Eval::Value(
                Value::Array(s.split(d).map(|p| Value::String(p.to_string())).collect()),
            ),
            _ => Eval::Unknown,
        }
    }

    fn find_in_map(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let items = arg.items();
        let (Some(map), Some(top), Some(second)) = (items.first(), items.get(1), items.get(2))
        else {
            return Eval::Unknown;
        };
        let map = self.string(map, depth + 1, trace);
        let top = self.string(top, depth + 1, trace);
        let second = self.string(second, depth + 1, trace);
        let found = match (self.t.mappings, map, top, second) {
            (Some(mappings), Some(m), Some(t), Some(s)) => mappings
                .get(&m)
                .and_then(|m| m.get(&t))
                .and_then(|t| t.get(&s)),
            _ => None,
        };
        // The language extension's optional fourth argument: `{DefaultValue: x}`.
        match found.or_else(|| items.get(3).and_then(|d| d.get("DefaultValue"))) {
            Some(value) => self.go(value, depth + 1, trace),
            None => Eval::Unknown,
        }
    }

    /// `Fn::If` is known only when both branches agree: which branch applies depends on the
    /// condition, and conditions usually depend on deploy-time parameters.
    fn choose(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
        let [_, then, otherwise] = arg.items() else {
            return Eval::Unknown;
        };
        let a = self.go(then, depth + 1, trace);
        let b = self.go(otherwise, depth + 1, trace);
        if a == b { a } else { Eval::Unknown }
    }

    fn condition_fn(
        &mut self,
        name: &str,
        arg: &'a Node,
        depth: usize,
        trace: &mut Trace<'a>,
    ) -> Option<bool> {
        match name {
            "Condition" => self.condition(arg.as_str()?, depth, trace),
            "Fn::Equals" => {
                let [a, b] = arg.items() else { return None };
                let a = self.concrete(a, depth + 1, trace)??;
                let b = self.concrete(b, depth + 1, trace)??;
                Some(scalar_text(&a)? == scalar_text(&b)?)
            }
            "Fn::Not" => {
                let [c] = arg.items() else { return None };
                self.truth(c, depth + 1, trace).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let want = name == "Fn::Or";
                let mut all_known = true;
                for c in arg.items() {
                    match self.truth(c, depth + 1, trace) {
                        Some(b) if b == want => return Some(want),
                        Some(_) => {}
                        None => all_known = false,
                    }
                }
                all_known.then_some(!want)
            }
            _ => None,
        }
    }

    /// A condition operand: `{"Condition": X}` names a condition, anything else is evaluated.
    fn truth(&mut self, node: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Option<bool> {
        if let Some(name) = condition_name(node) {
            return self.condition(name, depth, trace);
        }
        match self.go(node, depth, trace) {
            Eval::Value(Value::Bool(b)) => Some(b),
            Eval::Value(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    fn condition(&mut self, name: &str, depth: usize, trace: &mut Trace<'a>) -> Option<bool> {
        if let Some(known) = self.conditions.get(name) {
            return *known;
        }
        let node = self.t.conditions?.get(name)?;
        let guard = format!("Condition {name}");
        if self.visiting.contains(&guard) {
            return None;
        }
        self.visiting.push(guard);
        let result = self.truth(node, depth + 1, trace);
        self.visiting.pop();
        self.conditions.insert(name.to_string(), result);
        result
    }

    /// The value a `Ref` to a resource returns, when the template spells it out: the name
    /// property for resources whose `Ref` is their name. Keys, topics (whose `Ref` is an ARN) and
    /// attributes are only known after deployment.
    pub fn physical(&mut self, r: &ResRef<'a>, depth: usize) -> Option<Value> {
        if r.attr.is_some() {
            return None;
        }
        let property = match r.resource_type {
            "AWS::S3::Bucket" => "BucketName",
            "AWS::Logs::LogGroup" => "LogGroupName",
            "AWS::KMS::Alias" => "AliasName",
            "AWS::IAM::Role" => "RoleName",
            "AWS::CloudTrail::Trail" => "TrailName",
            _ => return None,
        };
        if let Some(known) = self.names.get(r.id) {
            let size = known.as_ref().and_then(Value::as_str).map_or(0, str::len);
            // Charge before copying: once the budget is spent, nothing large is copied.
            return if self.charge(size) {
                self.names.get(r.id).cloned().flatten()
            } else {
                None
            };
        }
        let node = self.t.resource(r.id)?.properties?.get(property)?;
        if self.visiting.iter().any(|v| v == r.id) {
            return None;
        }
        self.visiting.push(r.id.to_string());
        // Its own trace: the name's parameters are not what the referring field resolved from.
        let value = match self.go(node, depth + 1, &mut Trace::default()) {
            Eval::Value(v @ Value::String(_)) => Some(v),
            // `BucketName: !Ref OtherBucket` names the bucket after the other one.
            Eval::Resource(other) => self.physical(&other, depth + 1),
            _ => None,
        };
        self.visiting.pop();
        self.names.insert(r.id, value.clone());
        value
    }
}

/// `Ref` to a parameter: its `Default`, when there is one and it is the value itself.
fn parameter<'a>(name: &'a str, param: &'a Node, trace: &mut Trace<'a>) -> Eval<'a> {
    let declared = param.get("Type").and_then(Node::as_str).unwrap_or("String");
    // An SSM parameter type's default is the name of the SSM parameter, not its value.
    if declared.starts_with("AWS::SSM::Parameter::Value<") {
        return Eval::Unknown;
    }
    let Some(default) = param.get("Default") else {
        return Eval::Unknown;
    };
    let value = match &default.kind {
        NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Bool(_) => default.to_json(),
        _ => return Eval::Unknown,
    };
    trace.param(name);
    let is_list = declared == "CommaDelimitedList" || declared.starts_with("List<");
    match value {
        Value::String(s) if is_list => Eval::Value(Value::Array(
            s.split(',')
                .map(|p| Value::String(p.trim().to_string()))
                .collect(),
        )),
        v => Eval::Value(v),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn unknown_marker(node: &Node) -> Value {
    json!({ "unknown": render(node) })
}

/// Whether a value is an `{"unknown": ...}` marker produced by [`Evaluator::lenient`].
pub(super) fn is_unknown_marker(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 1 && m.get("unknown").is_some_and(Value::is_string))
}

/// Standard base64 with padding (RFC 4648), for `Fn::Base64`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
