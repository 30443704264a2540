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

use super::intrinsic::{intrinsic, render};
use super::template::Template;
use crate::syntax::{MAX_DEPTH, Node, NodeKind};

mod functions;

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

const MAX_TRACE: usize = 8;

/// What an evaluation drew on, for evidence (`resolved`, notes).
#[derive(Debug, Default)]
pub(super) struct Trace<'a> {
    /// Parameters whose `Default` was used.
    pub params: Vec<&'a str>,
    /// Resources referenced, as `(logical id, type)`.
    pub resources: Vec<(&'a str, &'a str)>,
}

impl<'a> Trace<'a> {
    // Both lists are capped: evidence needs a few names, and a value referencing thousands of
    // resources must not make each new reference scan them all.
    fn param(&mut self, name: &'a str) {
        if self.params.len() < MAX_TRACE && !self.params.contains(&name) {
            self.params.push(name);
        }
    }

    fn resource(&mut self, id: &'a str, resource_type: &'a str) {
        if self.resources.len() < MAX_TRACE && !self.resources.iter().any(|(r, _)| *r == id) {
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
pub(super) const MAX_PRODUCED: usize = 16 << 20;

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
    pub(super) fn charge(&mut self, bytes: usize) -> bool {
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

    pub(super) fn go(&mut self, node: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
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
    pub(super) fn concrete(
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
    pub(super) fn string(
        &mut self,
        node: &'a Node,
        depth: usize,
        trace: &mut Trace<'a>,
    ) -> Option<String> {
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
                Some(s) => Eval::Value(Value::String(functions::base64(s.as_bytes()))),
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

    pub(super) fn reference(&mut self, target: &'a str, trace: &mut Trace<'a>) -> Eval<'a> {
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

pub(super) fn unknown_marker(node: &Node) -> Value {
    json!({ "unknown": render(node) })
}

/// Whether a value is an `{"unknown": ...}` marker produced by [`Evaluator::lenient`].
pub(super) fn is_unknown_marker(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 1 && m.get("unknown").is_some_and(Value::is_string))
}
