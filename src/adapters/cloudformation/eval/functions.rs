//! The string, selection, mapping and condition functions of the evaluator (`Fn::Sub`,
//! `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If`, `Fn::Equals`/`Not`/`And`/
//! `Or`, `Condition`, `Fn::Base64`).

use serde_json::Value;

use super::{Eval, Evaluator, MAX_PRODUCED, Trace};
use crate::adapters::cloudformation::intrinsic::condition_name;
use crate::syntax::{Node, NodeKind};

impl<'a> Evaluator<'_, 'a> {
    pub(super) fn sub(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
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

    pub(super) fn join(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
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

    pub(super) fn select(
        &mut self,
        arg: &'a Node,
        depth: usize,
        trace: &mut Trace<'a>,
    ) -> Eval<'a> {
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

    pub(super) fn split(&mut self, arg: &'a Node, depth: usize, trace: &mut Trace<'a>) -> Eval<'a> {
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

    pub(super) fn find_in_map(
        &mut self,
        arg: &'a Node,
        depth: usize,
        trace: &mut Trace<'a>,
    ) -> Eval<'a> {
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
    pub(super) fn choose(
        &mut self,
        arg: &'a Node,
        depth: usize,
        trace: &mut Trace<'a>,
    ) -> Eval<'a> {
        let [_, then, otherwise] = arg.items() else {
            return Eval::Unknown;
        };
        let a = self.go(then, depth + 1, trace);
        let b = self.go(otherwise, depth + 1, trace);
        if a == b { a } else { Eval::Unknown }
    }

    pub(super) fn condition_fn(
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
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Standard base64 with padding (RFC 4648), for `Fn::Base64`.
pub(super) fn base64(bytes: &[u8]) -> String {
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
