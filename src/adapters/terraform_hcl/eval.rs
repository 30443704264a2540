//! Static evaluation of HCL expressions: literals, variable defaults, locals, references to
//! resources of the module, templates and `jsonencode` of those. Everything else (function
//! calls, conditionals, data sources, module outputs, `each`/`count`) stays unknown with its
//! source text.

use super::lines::Lines;
use crate::adapters::terraform::{Kind, MAX_RESOLVE_DEPTH, Ref, TfVal};
use crate::model::Loc;
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Element, Template};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Deepest expression / block nesting evaluated; deeper parts read as unknown.
const MAX_EXPR_DEPTH: usize = 128;

/// One parsed `.tf` file.
pub(super) struct File<'s> {
    pub path: &'s str,
    pub lines: Lines<'s>,
    pub body: Body,
}

/// What expressions of a module can refer to.
pub(super) struct Scope<'m> {
    pub files: &'m [File<'m>],
    /// Variable name -> (file index, default expression if any).
    pub vars: HashMap<&'m str, (usize, Option<&'m Expression>)>,
    /// Local name -> (file index, expression).
    pub locals: HashMap<&'m str, (usize, &'m Expression)>,
    /// `(type, name)` of every managed resource of the module.
    pub resources: HashSet<(&'m str, &'m str)>,
}

/// Evaluates expressions of one file of the module.
pub(super) struct Eval<'m> {
    pub scope: &'m Scope<'m>,
    pub file: usize,
}

impl<'m> Eval<'m> {
    fn lines(&self) -> Option<&'m Lines<'m>> {
        self.scope.files.get(self.file).map(|f| &f.lines)
    }

    fn path(&self) -> &'m str {
        self.scope.files.get(self.file).map_or("", |f| f.path)
    }

    pub fn loc(&self, span: Option<Range<usize>>) -> Loc {
        match (self.lines(), span) {
            (Some(lines), Some(range)) => lines.loc(self.path(), &range),
            _ => Loc::file(self.path()),
        }
    }

    pub fn text(&self, span: Option<Range<usize>>) -> String {
        match (self.lines(), span) {
            (Some(lines), Some(range)) => lines.text(&range).to_string(),
            _ => String::new(),
        }
    }

    /// A block body: attributes, and nested blocks grouped by name into lists (repeated
    /// `event_selector {}` blocks are one list). A `dynamic` block makes its attribute unknown.
    pub fn body(&self, body: &Body, depth: usize) -> Vec<(String, TfVal)> {
        let mut out: Vec<(String, TfVal)> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(a) => {
                    out.push((a.key.as_str().to_string(), self.eval(&a.value, depth + 1)));
                }
                Structure::Block(b) => {
                    let header = self.loc(header_span(b));
                    let dynamic = b.ident.as_str() == "dynamic";
                    let name = match (dynamic, b.labels.first()) {
                        (true, Some(label)) => label.as_str().to_string(),
                        (true, None) => continue,
                        (false, _) => b.ident.as_str().to_string(),
                    };
                    let value = if dynamic {
                        TfVal::unknown(format!("dynamic \"{name}\" block"), header.clone())
                    } else if depth > MAX_EXPR_DEPTH {
                        TfVal::unknown("block nested too deeply to read", header.clone())
                    } else {
                        TfVal::new(Kind::Map(self.body(&b.body, depth + 1)), header.clone())
                    };
                    match out.iter_mut().find(|(k, _)| *k == name) {
                        Some((_, existing)) => {
                            if let (Kind::List(items), Kind::Map(_)) =
                                (&mut existing.kind, &value.kind)
                            {
                                items.push(value);
                            } else if !existing.is_unknown() {
                                // A dynamic block beside static ones: not knowable as a whole.
                                *existing = value;
                            }
                        }
                        None if dynamic => out.push((name, value)),
                        None => out.push((name, TfVal::new(Kind::List(vec![value]), header))),
                    }
                }
            }
        }
        out
    }

    pub fn eval(&self, e: &Expression, depth: usize) -> TfVal {
        let span = e.span();
        let loc = self.loc(span.clone());
        let text = || self.text(span.clone());
        if depth > MAX_EXPR_DEPTH {
            return TfVal::unknown(text(), loc);
        }
        let kind = match e {
            Expression::Null(_) => Kind::Null,
            Expression::Bool(b) => Kind::Lit(Value::Bool(*b.value())),
            Expression::Number(n) => Kind::Lit(number(&n.value().to_string())),
            Expression::String(s) => Kind::Lit(Value::String(s.value().clone())),
            Expression::Array(items) => {
                Kind::List(items.iter().map(|i| self.eval(i, depth + 1)).collect())
            }
            Expression::Object(obj) => Kind::Map(
                obj.iter()
                    .map(|(k, v)| (self.key(k, depth), self.eval(v.expr(), depth + 1)))
                    .collect(),
            ),
            Expression::StringTemplate(t) => return self.template(t, loc, text(), depth),
            Expression::HeredocTemplate(h) => {
                return self.template(&h.template, loc, text(), depth);
            }
            Expression::Parenthesis(p) => {
                let inner = self.eval(p.inner(), depth + 1);
                return TfVal { loc, ..inner };
            }
            Expression::UnaryOp(op) => {
                match (op.operator.value(), self.eval(&op.expr, depth + 1).kind) {
                    (UnaryOperator::Neg, Kind::Lit(Value::Number(n))) => {
                        Kind::Lit(number(&format!("-{n}")))
                    }
                    (UnaryOperator::Not, Kind::Lit(Value::Bool(b))) => Kind::Lit(Value::Bool(!b)),
                    _ => return TfVal::unknown(text(), loc),
                }
            }
            Expression::FuncCall(call)
                if call.name.name.as_str() == "jsonencode"
                    && !call.name.is_namespaced()
                    && call.args.len() == 1 =>
            {
                match call.args.iter().next() {
                    Some(arg) => Kind::Json(Box::new(self.eval(arg, depth + 1))),
                    None => return TfVal::unknown(text(), loc),
                }
            }
            Expression::Traversal(t) => return self.traversal(t, loc, text(), depth),
            // Function calls, conditionals, for expressions, operators, bare names.
            _ => return TfVal::unknown(text(), loc),
        };
        TfVal::new(kind, loc)
    }

    fn key(&self, k: &ObjectKey, depth: usize) -> String {
        match k {
            ObjectKey::Ident(id) => id.as_str().to_string(),
            ObjectKey::Expression(e) => match self.eval(e, depth + 1).kind {
                Kind::Lit(Value::String(s)) => s,
                _ => self.text(e.span()),
            },
        }
    }

    /// `"${a}:*"` and heredocs. A lone `"${x}"` is `x` itself, as in Terraform.
    fn template(&self, t: &Template, loc: Loc, text: String, depth: usize) -> TfVal {
        let mut parts = Vec::new();
        for element in t.iter() {
            match element {
                Element::Literal(s) => parts.push(TfVal::new(
                    Kind::Lit(Value::String(s.value().clone())),
                    loc.clone(),
                )),
                Element::Interpolation(i) => parts.push(self.eval(&i.expr, depth + 1)),
                // `%{ if }` / `%{ for }` directives: not evaluated.
                Element::Directive(_) => return TfVal::unknown(text, loc),
            }
        }
        if let ([only], Some(Element::Interpolation(_))) = (parts.as_slice(), t.iter().next()) {
            return TfVal {
                loc,
                ..only.clone()
            };
        }
        let literal: Option<String> = parts
            .iter()
            .map(|p| match &p.kind {
                Kind::Lit(Value::String(s)) => Some(s.clone()),
                Kind::Lit(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
                _ => None,
            })
            .collect();
        match literal {
            Some(s) => TfVal::new(Kind::Lit(Value::String(s)), loc),
            None => TfVal::new(Kind::Template(parts), loc).with_expr(text),
        }
    }

    fn traversal(&self, t: &Traversal, loc: Loc, text: String, depth: usize) -> TfVal {
        let Expression::Variable(root) = &t.expr else {
            return TfVal::unknown(text, loc);
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let first = match ops.first() {
            Some(TraversalOperator::GetAttr(name)) => name.as_str(),
            _ => return TfVal::unknown(text, loc),
        };
        let rest = ops.get(1..).unwrap_or_default();
        match root.as_str() {
            "var" => {
                let found = self.scope.vars.get(first).copied();
                match found {
                    Some((file, Some(default))) if depth < MAX_RESOLVE_DEPTH * 8 => {
                        let value = Eval {
                            scope: self.scope,
                            file,
                        }
                        .eval(default, depth + 8);
                        match self.project(value, rest, depth) {
                            Some(v) => TfVal { loc, ..v }
                                .with_expr(text)
                                .with_note(format!("resolved from variable {first}'s default")),
                            None => TfVal::unknown(text, loc),
                        }
                    }
                    _ => TfVal::unknown(text, loc),
                }
            }
            "local" => match self.scope.locals.get(first).copied() {
                Some((file, expr)) if depth < MAX_RESOLVE_DEPTH * 8 => {
                    let value = Eval {
                        scope: self.scope,
                        file,
                    }
                    .eval(expr, depth + 8);
                    match self.project(value, rest, depth) {
                        Some(v) if !v.is_unknown() => TfVal { loc, ..v }
                            .with_expr(text)
                            .with_note(format!("resolved from local {first}")),
                        _ => TfVal::unknown(text, loc),
                    }
                }
                _ => TfVal::unknown(text, loc),
            },
            rtype if self.scope.resources.contains(&(rtype, first)) => {
                // `aws_s3_bucket.logs[0].id`: a counted resource is one resource here.
                let mut attrs = rest.iter().skip_while(|o| {
                    matches!(
                        o,
                        TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)
                    )
                });
                let attr = match attrs.next() {
                    None => None,
                    Some(TraversalOperator::GetAttr(a)) => Some(a.as_str().to_string()),
                    Some(_) => return TfVal::unknown(text, loc),
                };
                if attrs.next().is_some() {
                    // A nested attribute of another resource (`.logging[0].target_bucket`).
                    return TfVal::unknown(text, loc);
                }
                TfVal::new(
                    Kind::Ref(Ref {
                        address: format!("{rtype}.{first}"),
                        rtype: rtype.to_string(),
                        attr,
                        known: None,
                        after_apply: false,
                    }),
                    loc,
                )
                .with_expr(text)
            }
            // data sources, module outputs, each/count/path/terraform, undeclared resources.
            _ => TfVal::unknown(text, loc),
        }
    }

    /// Apply `.key` / `[i]` steps to an evaluated value.
    fn project(&self, value: TfVal, ops: &[&TraversalOperator], depth: usize) -> Option<TfVal> {
        let mut current = value;
        for op in ops {
            let next = match op {
                TraversalOperator::GetAttr(k) => current.get(k.as_str()).cloned(),
                TraversalOperator::LegacyIndex(i) => {
                    let i = usize::try_from(*i.value()).ok()?;
                    list_item(&current, i)
                }
                TraversalOperator::Index(e) => match self.eval(e, depth + 1).kind {
                    Kind::Lit(Value::Number(n)) => {
                        list_item(&current, usize::try_from(n.as_u64()?).ok()?)
                    }
                    Kind::Lit(Value::String(k)) => current.get(&k).cloned(),
                    _ => None,
                },
                _ => None,
            };
            current = next?;
        }
        Some(current)
    }
}

fn list_item(v: &TfVal, i: usize) -> Option<TfVal> {
    match &v.kind {
        Kind::List(items) => items.get(i).cloned(),
        _ => None,
    }
}

/// A resource block's header: from `resource` to its last label.
pub(super) fn header_span(b: &hcl_edit::structure::Block) -> Option<Range<usize>> {
    let start = b.ident.span()?.start;
    let end = b
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| b.ident.span())?
        .end;
    Some(start..end)
}

fn number(text: &str) -> Value {
    serde_json::from_str::<serde_json::Number>(text)
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.to_string()))
}
