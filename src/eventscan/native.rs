//! Conditions simple enough to decide without regorus.
//!
//! A rule's `condition` runs on every record whose finding is only counted: TGE001's on every
//! denied call past the first thousand, where regorus's VM spends ≈ 3 µs on what is a few
//! string comparisons. When the condition (and every rule it refers to) is made only of the
//! forms below, on fixed members of `input` compared with literals, the scanner decides it
//! natively on the record's members; anything else leaves it to regorus.
//!
//! - `input.a.b` (defined and not `false`), `not` of any form;
//! - `input.a == "lit"` / `!=` with a string, boolean or null literal, either side;
//! - `startswith`, `endswith`, `contains` of a member and a string literal; `is_string`;
//! - `input.a in {"lit", ...}`;
//! - another boolean rule of the package made of the same (its definitions are alternatives);
//! - a boolean function of any package called with the record itself (`actor.counted(input)`):
//!   its arguments stand for `input` in its bodies;
//! - `data.…` parameters: fixed for the scan, so decided once, when the condition is compiled.
//!
//! Builtins follow regorus's non-strict mode (a member of the wrong type makes the call
//! undefined, so the body fails). Wherever the rule runs in full, the scanner compares this
//! decision with regorus's, and tests compare them on the fixture corpus and its variants.

use super::index::{Field, Known};
use super::reads::{Definitions, static_path};
use crate::policy::recursion::qualify;
use regorus::unstable::{BoolOp, Expr, Literal, Module, Ref, Rule, RuleHead};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A condition in the subset above.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// Alternatives (a rule's definitions).
    Any(Vec<Pred>),
    /// A body: every statement holds.
    All(Vec<Pred>),
    Not(Box<Pred>),
    Truthy(Member),
    Eq(Member, Value),
    Ne(Member, Value),
    StartsWith(Member, String),
    EndsWith(Member, String),
    Contains(Member, String),
    IsString(Member),
    In(Member, Vec<Value>),
    /// Decided when compiled (a parameter's value).
    Const(bool),
}

/// A member of the record a condition reads: its path below `input`, and the reader's header
/// field it is when it is one of [`Known::HEADER_STRINGS`] (resolved once, when compiled: a
/// record's decision then compares no path names).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub path: Vec<String>,
    header: Option<Known>,
}

impl Member {
    pub fn new(path: Vec<String>) -> Member {
        let header = match path.as_slice() {
            [name] => Known::of(name).filter(|k| Known::HEADER_STRINGS.contains(k)),
            _ => None,
        };
        Member { path, header }
    }
}

/// What a record holds at a path, as far as a condition needs to know.
pub enum Got<'a> {
    Text(&'a str),
    Other(&'a Value),
    Absent,
}

/// A record as a condition reads it.
pub trait Members {
    fn get(&self, m: &Member) -> Got<'_>;
}

/// The record's members as parsed JSON (at least those the condition reads).
impl Members for Map<String, Value> {
    fn get(&self, m: &Member) -> Got<'_> {
        let Some((first, rest)) = m.path.split_first() else {
            return Got::Absent;
        };
        let found = rest.iter().try_fold(self.get(first.as_str()), |v, k| {
            v.map(|v| v.get(k.as_str()))
        });
        match found.flatten() {
            Some(Value::String(s)) => Got::Text(s),
            Some(v) => Got::Other(v),
            None => Got::Absent,
        }
    }
}

/// The record's header strings, for a condition that reads only those and finds them all.
pub struct HeaderStrings<'h>(pub &'h dyn super::index::HeaderFields);

impl HeaderStrings<'_> {
    /// Whether every member the condition reads is one of the header's strings, present, or
    /// certainly missing from the record (not merely something other than a string).
    pub fn serve(&self, pred: &Pred) -> bool {
        let mut ok = true;
        pred.each_path(&mut |p| {
            ok &= !matches!(self.get(p), Got::Absent) || p.header.is_some_and(|k| self.0.missing(k))
        });
        ok
    }
}

impl Members for HeaderStrings<'_> {
    fn get(&self, m: &Member) -> Got<'_> {
        match m.header.map(|k| self.0.known(k)) {
            Some(Field::Text(std::borrow::Cow::Borrowed(t))) => Got::Text(t),
            _ => Got::Absent,
        }
    }
}

impl Pred {
    /// Every member path the condition reads.
    fn each_path(&self, f: &mut dyn FnMut(&Member)) {
        match self {
            Pred::Any(ps) | Pred::All(ps) => ps.iter().for_each(|p| p.each_path(f)),
            Pred::Not(p) => p.each_path(f),
            Pred::Truthy(p)
            | Pred::Eq(p, _)
            | Pred::Ne(p, _)
            | Pred::StartsWith(p, _)
            | Pred::EndsWith(p, _)
            | Pred::Contains(p, _)
            | Pred::IsString(p)
            | Pred::In(p, _) => f(p),
            Pred::Const(_) => {}
        }
    }

    /// Whether the condition holds for the record.
    pub fn holds(&self, rec: &(impl Members + ?Sized)) -> bool {
        let text = |p: &Member| match rec.get(p) {
            Got::Text(t) => Some(t),
            _ => None,
        };
        let is = |p: &Member, lit: &Value| match rec.get(p) {
            Got::Text(t) => Some(lit.as_str() == Some(t)),
            Got::Other(v) => Some(v == lit),
            Got::Absent => None,
        };
        match self {
            Pred::Any(ps) => ps.iter().any(|p| p.holds(rec)),
            Pred::All(ps) => ps.iter().all(|p| p.holds(rec)),
            Pred::Not(p) => !p.holds(rec),
            Pred::Truthy(p) => match rec.get(p) {
                Got::Text(_) => true,
                Got::Other(v) => *v != Value::Bool(false),
                Got::Absent => false,
            },
            Pred::Eq(p, lit) => is(p, lit) == Some(true),
            Pred::Ne(p, lit) => is(p, lit) == Some(false),
            Pred::StartsWith(p, s) => text(p).is_some_and(|t| t.starts_with(s.as_str())),
            Pred::EndsWith(p, s) => text(p).is_some_and(|t| t.ends_with(s.as_str())),
            Pred::Contains(p, s) => text(p).is_some_and(|t| t.contains(s.as_str())),
            Pred::IsString(p) => text(p).is_some(),
            Pred::In(p, lits) => lits.iter().any(|l| is(p, l) == Some(true)),
            Pred::Const(b) => *b,
        }
    }
}

/// The rule at `entry` (`data.<package>.<name>`) as a [`Pred`], if it is in the subset.
/// `data` is the data document the rule is evaluated with (the scan's parameters).
pub fn compile(modules: &[Ref<Module>], entry: &str, data: &regorus::Value) -> Option<Pred> {
    let d = Definitions::of(modules);
    Compiler {
        defs: &d.defs,
        scopes: &d.scopes,
        open: BTreeSet::new(),
        data,
        inputs: Vec::new(),
    }
    .rule(entry)
}

struct Compiler<'m> {
    defs: &'m BTreeMap<String, Vec<(&'m Rule, usize)>>,
    scopes: &'m [(String, BTreeMap<String, String>)],
    /// Rules being compiled (a rule that refers to itself is left to regorus).
    open: BTreeSet<String>,
    data: &'m regorus::Value,
    /// In a function's bodies, its arguments: each stands for `input`.
    inputs: Vec<String>,
}

impl Compiler<'_> {
    /// A boolean rule: every definition `name if { ... }` (no value, no `else`, no default).
    fn rule(&mut self, path: &str) -> Option<Pred> {
        self.definitions(path, |c, rule, scope, alternatives| {
            let Rule::Spec {
                head: RuleHead::Compr { assign: None, .. },
                bodies,
                ..
            } = rule
            else {
                return None;
            };
            c.bodies(bodies, scope, alternatives)
        })
    }

    /// A boolean function called with the record as each argument (`f(input)`): every
    /// definition `f(rec) if { ... }`, its arguments plain names that stand for `input`.
    fn function(&mut self, path: &str, arity: usize) -> Option<Pred> {
        self.definitions(path, |c, rule, scope, alternatives| {
            let Rule::Spec {
                head: RuleHead::Func {
                    args, assign: None, ..
                },
                bodies,
                ..
            } = rule
            else {
                return None;
            };
            if args.len() != arity {
                return None;
            }
            c.inputs = args
                .iter()
                .map(|a| match a.as_ref() {
                    Expr::Var { span, .. } => Some(span.text().to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            c.bodies(bodies, scope, alternatives)
        })
    }

    /// The alternatives `each` makes of every definition of `path`. Each definition starts
    /// with no names standing for `input` but `input` (a definition does not see its caller's
    /// arguments); a definition that refers to itself is left to regorus.
    fn definitions<F>(&mut self, path: &str, mut each: F) -> Option<Pred>
    where
        F: FnMut(&mut Self, &Rule, usize, &mut Vec<Pred>) -> Option<()>,
    {
        if !self.open.insert(path.to_string()) {
            return None;
        }
        let outer = std::mem::take(&mut self.inputs);
        let mut alternatives = Vec::new();
        let defs = self.defs;
        let done = defs.get(path).and_then(|found| {
            found.iter().try_for_each(|&(rule, scope)| {
                self.inputs.clear();
                each(self, rule, scope, &mut alternatives)
            })
        });
        self.inputs = outer;
        done?;
        self.open.remove(path);
        Some(Pred::Any(alternatives))
    }

    /// A definition's bodies, each a conjunction of its statements, added to `alternatives`.
    fn bodies(
        &mut self,
        bodies: &[regorus::unstable::RuleBody],
        scope: usize,
        alternatives: &mut Vec<Pred>,
    ) -> Option<()> {
        for body in bodies {
            if body.assign.is_some() || body.is_else {
                return None;
            }
            let mut all = Vec::new();
            for stmt in &body.query.stmts {
                if !stmt.with_mods.is_empty() {
                    return None;
                }
                all.push(match &stmt.literal {
                    Literal::Expr { expr, .. } => self.expr(expr, scope)?,
                    Literal::NotExpr { expr, .. } => Pred::Not(Box::new(self.expr(expr, scope)?)),
                    _ => return None,
                });
            }
            alternatives.push(Pred::All(all));
        }
        Some(())
    }

    /// Whether `name` is the record (`input`, or an argument standing for it).
    fn stands_for_input(&self, name: &str) -> bool {
        name == "input" || self.inputs.iter().any(|i| i == name)
    }

    /// Whether `e` is the record itself.
    fn is_input(&self, e: &Expr) -> bool {
        matches!(e, Expr::Var { span, .. } if self.stands_for_input(span.text()))
    }

    /// `input.a.b...` (or `rec.a.b...` for an argument standing for `input`) as the path below
    /// the record.
    fn member(&self, e: &Expr) -> Option<Member> {
        let mut p = static_path(e)?;
        if p.len() < 2 || !self.stands_for_input(&p[0]) {
            return None;
        }
        p.remove(0);
        Some(Member::new(p))
    }

    /// One statement's expression.
    fn expr(&mut self, e: &Expr, scope: usize) -> Option<Pred> {
        match e {
            Expr::Var { .. } | Expr::RefDot { .. } | Expr::RefBrack { .. } => {
                if let Some(p) = self.member(e) {
                    return Some(Pred::Truthy(p));
                }
                let segments = static_path(e)?;
                if self.stands_for_input(&segments[0]) {
                    return None;
                }
                let path = segments.join(".");
                let (package, aliases) = &self.scopes[scope];
                let full = qualify(&path, package, aliases);
                if segments[0] == "data" && !self.defines_within(&full) {
                    return Some(Pred::Const(truthy_at(self.data, &segments[1..])));
                }
                self.rule(&full)
            }
            Expr::BoolExpr { op, lhs, rhs, .. } => {
                let (p, lit) = match (self.member(lhs), self.member(rhs)) {
                    (Some(p), None) => (p, literal(rhs)?),
                    (None, Some(p)) => (p, literal(lhs)?),
                    _ => return None,
                };
                match op {
                    BoolOp::Eq => Some(Pred::Eq(p, lit)),
                    BoolOp::Ne => Some(Pred::Ne(p, lit)),
                    _ => None,
                }
            }
            Expr::Call { fcn, params, .. } => {
                let name = static_path(fcn)?.join(".");
                match (name.as_str(), params.as_slice()) {
                    ("is_string", [a]) => Some(Pred::IsString(self.member(a)?)),
                    ("startswith" | "endswith" | "contains", [a, b]) => {
                        let (p, s) = (self.member(a)?, literal(b)?.as_str()?.to_string());
                        Some(match name.as_str() {
                            "startswith" => Pred::StartsWith(p, s),
                            "endswith" => Pred::EndsWith(p, s),
                            _ => Pred::Contains(p, s),
                        })
                    }
                    _ if !params.is_empty() && params.iter().all(|a| self.is_input(a)) => {
                        let (package, aliases) = &self.scopes[scope];
                        let full = qualify(&name, package, aliases);
                        self.function(&full, params.len())
                    }
                    _ => None,
                }
            }
            Expr::Membership {
                key: None,
                value,
                collection,
                ..
            } => {
                let Expr::Set { items, .. } = collection.as_ref() else {
                    return None;
                };
                let lits = items
                    .iter()
                    .map(|i| literal(i))
                    .collect::<Option<Vec<_>>>()?;
                Some(Pred::In(self.member(value)?, lits))
            }
            _ => None,
        }
    }

    /// Whether a rule or function is defined at `path` or below or above it: such a `data`
    /// path reads rules, not only the data document.
    fn defines_within(&self, path: &str) -> bool {
        let under = |a: &str, b: &str| {
            a.strip_prefix(b)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        };
        self.defs.keys().any(|k| under(k, path) || under(path, k))
    }
}

/// Whether the value at `path` in `data` is defined and not `false` (a reference statement
/// holds exactly then).
fn truthy_at(data: &regorus::Value, path: &[String]) -> bool {
    let mut cur = data;
    for seg in path {
        let regorus::Value::Object(o) = cur else {
            return false;
        };
        match o.get(&regorus::Value::from(seg.as_str())) {
            Some(v) => cur = v,
            None => return false,
        }
    }
    !matches!(cur, regorus::Value::Bool(false) | regorus::Value::Undefined)
}

/// A string, boolean or null literal (numbers are left to regorus: its number equality is
/// not JSON's).
fn literal(e: &Expr) -> Option<Value> {
    match e {
        Expr::String { value, .. } | Expr::RawString { value, .. } => {
            Some(Value::String(value.as_string().ok()?.to_string()))
        }
        Expr::Bool { value, .. } => Some(Value::Bool(value.as_bool().ok().copied()?)),
        Expr::Null { .. } => Some(Value::Null),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine as the scanner sets it up (non-strict builtins, `policy::load`).
    fn engine(rego: &str) -> regorus::Engine {
        let mut e = regorus::Engine::new();
        e.set_strict_builtin_errors(false);
        e.add_policy("p.rego".into(), rego.into()).unwrap();
        e
    }

    /// regorus's decisions (interpreter and bytecode VM) and the native one agree on every
    /// input.
    fn agree(rego: &str, inputs: &[&str]) {
        agree_on(engine(rego), rego, inputs);
    }

    fn agree_on(mut e: regorus::Engine, rego: &str, inputs: &[&str]) {
        let pred = {
            let data = e.get_data();
            compile(e.get_modules(), "data.p.c", &data)
        }
        .unwrap_or_else(|| panic!("{rego}"));
        let cp = e.compile_with_entrypoint(&"data.p.c".into()).unwrap();
        let program =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&cp, &["data.p.c"])
                .unwrap();
        let mut vm = regorus::rvm::vm::RegoVM::new();
        vm.load_program(program);
        // As the scanner does: the program does not carry the data document.
        vm.set_data(e.get_data()).unwrap();
        for input in inputs {
            let v: Value = serde_json::from_str(input).unwrap();
            let value = regorus::Value::from_json_str(input).unwrap();
            e.set_input(value.clone());
            let interpreter = e.eval_rule("data.p.c".into()).unwrap() == regorus::Value::Bool(true);
            vm.set_input(value);
            let rvm = vm.execute_entry_point_by_index(0).unwrap() == regorus::Value::Bool(true);
            let ours = pred.holds(v.as_object().unwrap());
            assert_eq!((ours, rvm), (interpreter, interpreter), "{rego} on {input}");
        }
    }

    const INPUTS: &[&str] = &[
        r#"{}"#,
        r#"{"a":"AccessDenied","b":"x"}"#,
        r#"{"a":"Client.UnauthorizedOperation","b":null}"#,
        r#"{"a":false,"b":true}"#,
        r#"{"a":null,"b":false}"#,
        r#"{"a":3,"b":"HeadBucket"}"#,
        r#"{"a":["AccessDenied"],"b":{"c":"x"}}"#,
        r#"{"a":{"c":"AccessDenied"},"b":"y"}"#,
        r#"{"a":"","b":""}"#,
    ];

    #[test]
    fn each_form_decides_as_regorus_does() {
        for body in [
            "input.a",
            "input.b.c",
            "not input.a",
            "input.a == \"AccessDenied\"",
            "\"x\" == input.b",
            "input.a != \"AccessDenied\"",
            "not input.b == \"HeadBucket\"",
            "input.a == null",
            "input.a == false",
            "startswith(input.a, \"Access\")",
            "endswith(input.a, \"Operation\")",
            "contains(input.a, \"Unauthorized\")",
            "not startswith(input.a, \"Access\")",
            "is_string(input.a)",
            "input.b in {\"x\", \"y\", null}",
            "not input.b in {\"x\"}",
            "input[\"a\"] == \"AccessDenied\"",
        ] {
            agree(
                &format!("package p\nimport rego.v1\n\nc if {{\n\t{body}\n}}\n"),
                INPUTS,
            );
        }
    }

    #[test]
    fn rules_of_the_package_are_alternatives_and_bodies_conjunctions() {
        agree(
            "package p\nimport rego.v1\n\nc if {\n\td\n\tnot input.b == \"HeadBucket\"\n}\n\n\
             d if {\n\tis_string(input.a)\n\tstartswith(input.a, \"AccessDenied\")\n}\n\n\
             d if endswith(input.a, \"UnauthorizedOperation\")\n",
            INPUTS,
        );
    }

    #[test]
    fn functions_called_with_the_record_and_parameters_decide_as_regorus_does() {
        let rego = "package p\nimport rego.v1\nimport data.lib\n\n\
            c if {\n\tinput.b in {\"x\", \"y\"}\n\tlib.counted(input)\n}\n";
        let lib = "package lib\nimport rego.v1\n\n\
            counted(rec) if not data.params.successful_only\n\n\
            counted(rec) if not rec.a\n";
        for params in [
            r#"{}"#,
            r#"{"successful_only": false}"#,
            r#"{"successful_only": true}"#,
            r#"{"successful_only": null}"#,
            r#"{"successful_only": "no"}"#,
        ] {
            let mut e = engine(rego);
            e.add_policy("lib.rego".into(), lib.into()).unwrap();
            e.add_data(
                regorus::Value::from_json_str(&format!("{{\"params\": {params}}}")).unwrap(),
            )
            .unwrap();
            agree_on(e, &format!("{rego} with {params}"), INPUTS);
        }
    }

    #[test]
    fn a_parameter_is_decided_when_the_condition_is_compiled() {
        let mut e = engine("package p\nimport rego.v1\n\nc if not data.params.on\n");
        e.add_data(regorus::Value::from_json_str(r#"{"params": {"on": true}}"#).unwrap())
            .unwrap();
        let pred = {
            let data = e.get_data();
            compile(e.get_modules(), "data.p.c", &data)
        };
        assert_eq!(
            pred,
            Some(Pred::Any(vec![Pred::All(vec![Pred::Not(Box::new(
                Pred::Const(true)
            ))])]))
        );
    }

    /// A header holding the string members of a record, as the reader's does.
    struct Header(Map<String, Value>);

    impl crate::eventscan::index::HeaderFields for Header {
        fn event_source(&self) -> Option<&str> {
            self.0.get("eventSource").and_then(Value::as_str)
        }
        fn event_name(&self) -> Option<&str> {
            self.0.get("eventName").and_then(Value::as_str)
        }
        fn field(&self, path: &str) -> crate::eventscan::index::Field<'_> {
            match self.0.get(path).and_then(Value::as_str) {
                Some(t) => crate::eventscan::index::Field::Text(t.into()),
                None => crate::eventscan::index::Field::Absent,
            }
        }
        fn missing(&self, k: Known) -> bool {
            !self.0.contains_key(k.path())
        }
    }

    #[test]
    fn header_strings_decide_as_the_members_do_where_they_serve() {
        let mut e = engine(
            "package p\nimport rego.v1\n\nc if {\n\tstartswith(input.errorCode, \"Access\")\n\t\
             not input.sourceIPAddress == \"delivery.logs.amazonaws.com\"\n\tinput.eventName\n}\n",
        );
        let pred = {
            let data = e.get_data();
            compile(e.get_modules(), "data.p.c", &data)
        }
        .unwrap();
        let mut served = 0;
        for input in [
            r#"{"errorCode":"AccessDenied","sourceIPAddress":"1.2.3.4","eventName":"X"}"#,
            r#"{"errorCode":"AccessDenied","sourceIPAddress":"delivery.logs.amazonaws.com","eventName":"X"}"#,
            r#"{"errorCode":"Throttling","sourceIPAddress":"1.2.3.4","eventName":"X"}"#,
            r#"{"errorCode":"AccessDenied","eventName":"X"}"#,
            r#"{"errorCode":"AccessDenied","sourceIPAddress":7,"eventName":"X"}"#,
        ] {
            let members: Map<String, Value> = serde_json::from_str(input).unwrap();
            let strings = HeaderStrings(&Header(members.clone()));
            if strings.serve(&pred) {
                served += 1;
                assert_eq!(pred.holds(&strings), pred.holds(&members), "{input}");
            }
        }
        // The last has a source address that is not a string: its members are parsed instead.
        assert_eq!(served, 4);
    }

    #[test]
    fn anything_else_is_left_to_regorus() {
        for body in [
            "input.a == 3",
            "input.a < \"b\"",
            "lower(input.a) == \"x\"",
            "x := input.a\n\tx",
            "some k in input.a",
            "input[k] == \"x\"",
            "f(input.a)",
            "g(input)",
            "h(input, 1)",
            "input.a == input.b",
            "count(input.a) > 0",
        ] {
            let mut e = engine(&format!(
                "package p\nimport rego.v1\n\nc if {{\n\t{body}\n}}\n\nf(x) if x\n\n\
                 g(rec) := true if rec.a\n\nh(rec, n) if rec.a\n"
            ));
            assert_eq!(
                {
                    let data = e.get_data();
                    compile(e.get_modules(), "data.p.c", &data)
                },
                None,
                "{body}"
            );
        }
        for rego in [
            "package p\nimport rego.v1\n\nc := true if input.a\n",
            "package p\nimport rego.v1\n\nc if input.a\n\ndefault c := false\n",
            "package p\nimport rego.v1\n\nc if { input.a } else := false\n",
            "package p\nimport rego.v1\n\nc if d\n\nd if c\n",
        ] {
            let mut e = engine(rego);
            assert_eq!(
                {
                    let data = e.get_data();
                    compile(e.get_modules(), "data.p.c", &data)
                },
                None,
                "{rego}"
            );
        }
    }
}
