//! Which top-level members of a record a rule can read, found in its Rego.
//!
//! A rule's `condition` runs on records whose findings are only counted; when it reads a few
//! members of the record (`input.errorCode`, `input.eventName`...), the scanner builds a value of
//! just those members instead of the whole record, which is most of what such a record costs.
//! The answer must never be too small, so the walk is conservative: it follows every rule and
//! function the condition refers to (in its package, through imports or `data.` paths), and any
//! use of `input` other than a fixed member (`input` passed whole to a function or builtin,
//! `input[k]`, `with input as`) means "the whole record".

use crate::policy::recursion::{import_aliases, qualify};
use regorus::unstable::{Expr, Literal, Module, Query, Ref, Rule, RuleHead};
use regorus::utils::get_path_string;
use std::collections::{BTreeMap, BTreeSet};

/// The top-level members of `input` that the rule at `entry` (`data.<package>.<name>`) can
/// read, following what it refers to; `None` when it may read the record as a whole.
pub fn top_level_reads(modules: &[Ref<Module>], entry: &str) -> Option<BTreeSet<String>> {
    let Definitions { defs, scopes } = Definitions::of(modules);
    let mut reads = BTreeSet::new();
    // A definition to walk, and the position of the argument standing for the record when a
    // function is called with it (`actor.counted(input)`).
    let mut queue: Vec<(String, Option<usize>)> = vec![(entry.to_string(), None)];
    let mut seen = BTreeSet::new();
    while let Some((path, arg)) = queue.pop() {
        if !seen.insert((path.clone(), arg)) {
            continue;
        }
        let found = defs.get(&path);
        if arg.is_some() && found.is_none() {
            // The record handed to a builtin (or to something that is not a function).
            return None;
        }
        for &(rule, scope) in found.into_iter().flatten() {
            let (package, aliases) = &scopes[scope];
            let mut inputs = vec!["input".to_string()];
            if let Some(i) = arg {
                inputs.push(argument(rule, i)?);
            }
            let (mut refs, mut passes) = (Vec::new(), Vec::new());
            if !walk(
                rule_nodes(rule, arg),
                &inputs,
                &mut reads,
                &mut refs,
                &mut passes,
            ) {
                return None;
            }
            for r in refs {
                let full = qualify(&r, package, aliases);
                // A reference names a rule, a part of a rule's value, or a package of rules.
                queue.extend(
                    defs.keys()
                        .filter(|known| within(known, &full) || within(&full, known))
                        .map(|k| (k.clone(), None)),
                );
            }
            for (f, i) in passes {
                queue.push((qualify(&f, package, aliases), Some(i)));
            }
        }
    }
    Some(reads)
}

/// The name of a function definition's argument `i`, when it is a plain name.
fn argument(rule: &Rule, i: usize) -> Option<String> {
    let args = match rule {
        Rule::Spec {
            head: RuleHead::Func { args, .. },
            ..
        } => args,
        Rule::Default { args, .. } => args,
        _ => return None,
    };
    match args.get(i)?.as_ref() {
        Expr::Var { span, .. } => Some(span.text().to_string()),
        _ => None,
    }
}

/// Every rule and function definition of `modules` by full path (`data.<package>.<name>`),
/// with the scope (package and import aliases) its references resolve in.
pub(crate) struct Definitions<'m> {
    pub defs: BTreeMap<String, Vec<(&'m Rule, usize)>>,
    pub scopes: Vec<(String, BTreeMap<String, String>)>,
}

impl<'m> Definitions<'m> {
    pub fn of(modules: &'m [Ref<Module>]) -> Definitions<'m> {
        let mut defs: BTreeMap<String, Vec<(&Rule, usize)>> = BTreeMap::new();
        let mut scopes = Vec::new();
        for m in modules {
            let Ok(package) = get_path_string(&m.package.refr, Some("data")) else {
                continue;
            };
            for rule in &m.policy {
                let refr = match rule.as_ref() {
                    Rule::Spec { head, .. } => match head {
                        RuleHead::Compr { refr, .. }
                        | RuleHead::Set { refr, .. }
                        | RuleHead::Func { refr, .. } => refr,
                    },
                    Rule::Default { refr, .. } => refr,
                };
                if let Ok(name) = get_path_string(refr, None) {
                    defs.entry(format!("{package}.{name}"))
                        .or_default()
                        .push((rule.as_ref(), scopes.len()));
                }
            }
            scopes.push((package, import_aliases(m)));
        }
        Definitions { defs, scopes }
    }
}

/// `path` is `prefix` or lies under it.
fn within(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

enum Node<'a> {
    Expr(&'a Expr),
    Query(&'a Query),
}

/// Everything a definition evaluates: its head's key and value, arguments and bodies. The
/// argument at `skip` (one standing for the record) is a name being bound, not a use.
fn rule_nodes<'a>(rule: &'a Rule, skip: Option<usize>) -> Vec<Node<'a>> {
    let args_but = |args: &'a [Ref<Expr>]| {
        (args.iter().enumerate())
            .filter(move |(i, _)| Some(*i) != skip)
            .map(|(_, a)| Node::Expr(a))
    };
    let mut work = Vec::new();
    match rule {
        Rule::Spec { head, bodies, .. } => {
            match head {
                RuleHead::Compr { assign, .. } => {
                    work.extend(assign.iter().map(|a| Node::Expr(&a.value)));
                }
                RuleHead::Set { key, .. } => work.extend(key.iter().map(|k| Node::Expr(k))),
                RuleHead::Func { args, assign, .. } => {
                    work.extend(args_but(args));
                    work.extend(assign.iter().map(|a| Node::Expr(&a.value)));
                }
            }
            for b in bodies {
                work.extend(b.assign.iter().map(|a| Node::Expr(&a.value)));
                work.push(Node::Query(&b.query));
            }
        }
        Rule::Default { args, value, .. } => {
            work.extend(args_but(args));
            work.push(Node::Expr(value));
        }
    }
    work
}

/// A reference made only of names and string keys (`a.b["c"]`), as its components.
pub(crate) fn static_path(e: &Expr) -> Option<Vec<String>> {
    match e {
        Expr::Var { span, .. } => Some(vec![span.text().to_string()]),
        Expr::RefDot { refr, field, .. } => {
            let mut p = static_path(refr)?;
            p.push(field.0.text().to_string());
            Some(p)
        }
        Expr::RefBrack { refr, index, .. } => match index.as_ref() {
            Expr::String { value, .. } => {
                let mut p = static_path(refr)?;
                p.push(value.as_string().ok()?.to_string());
                Some(p)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Add the members of the record read in `work` to `reads`, the other references to `refs`,
/// and the functions the record is handed to whole to `passes` (with the argument's
/// position); `false` when the record is used other than through a fixed member or as a
/// function's argument. `inputs` are the names standing for the record (`input`, and a
/// function's argument that it was called with).
fn walk<'a>(
    mut work: Vec<Node<'a>>,
    inputs: &[String],
    reads: &mut BTreeSet<String>,
    refs: &mut Vec<String>,
    passes: &mut Vec<(String, usize)>,
) -> bool {
    let is_input =
        |e: &Expr| matches!(e, Expr::Var { span, .. } if inputs.iter().any(|i| i == span.text()));
    while let Some(node) = work.pop() {
        let e = match node {
            Node::Query(q) => {
                for stmt in &q.stmts {
                    for w in &stmt.with_mods {
                        // `with input as ...` replaces the record: nothing can be assumed.
                        if static_path(&w.refr).is_some_and(|p| p[0] == "input") {
                            return false;
                        }
                        work.push(Node::Expr(&w.r#as));
                    }
                    match &stmt.literal {
                        // A local of the same name would hide the record.
                        Literal::SomeVars { vars, .. } => {
                            if vars.iter().any(|v| inputs.iter().any(|i| i == v.text())) {
                                return false;
                            }
                        }
                        Literal::SomeIn {
                            key,
                            value,
                            collection,
                            ..
                        } => {
                            work.extend(key.iter().map(|k| Node::Expr(k)));
                            work.push(Node::Expr(value));
                            work.push(Node::Expr(collection));
                        }
                        Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => {
                            work.push(Node::Expr(expr));
                        }
                        Literal::Every { domain, query, .. } => {
                            work.push(Node::Expr(domain));
                            work.push(Node::Query(query));
                        }
                    }
                }
                continue;
            }
            Node::Expr(e) => e,
        };
        match e {
            Expr::Var { .. } | Expr::RefDot { .. } | Expr::RefBrack { .. }
                if static_path(e).is_some() =>
            {
                let path = static_path(e).unwrap_or_default();
                match path.as_slice() {
                    [first] if inputs.contains(first) || first == "data" => return false,
                    [first, member, ..] if inputs.contains(first) => {
                        reads.insert(member.clone());
                    }
                    _ => refs.push(path.join(".")),
                }
            }
            Expr::RefDot { refr, .. } => work.push(Node::Expr(refr)),
            Expr::RefBrack { refr, index, .. } => {
                // `input[k]`: a member only known at run time.
                if is_input(refr) {
                    return false;
                }
                work.push(Node::Expr(refr));
                work.push(Node::Expr(index));
            }
            Expr::Call { fcn, params, .. } => {
                let name = static_path(fcn).map(|p| p.join("."));
                match &name {
                    Some(p) => refs.push(p.clone()),
                    None => work.push(Node::Expr(fcn)),
                }
                for (i, p) in params.iter().enumerate() {
                    match (is_input(p), &name) {
                        // Read through the function's own use of that argument.
                        (true, Some(f)) => passes.push((f.clone(), i)),
                        (true, None) => return false,
                        (false, _) => work.push(Node::Expr(p)),
                    }
                }
            }
            Expr::Array { items, .. } | Expr::Set { items, .. } => {
                work.extend(items.iter().map(|i| Node::Expr(i)));
            }
            Expr::Object { fields, .. } => {
                for (_, k, v) in fields {
                    work.push(Node::Expr(k));
                    work.push(Node::Expr(v));
                }
            }
            Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                work.push(Node::Expr(term));
                work.push(Node::Query(query));
            }
            Expr::ObjectCompr {
                key, value, query, ..
            } => {
                work.push(Node::Expr(key));
                work.push(Node::Expr(value));
                work.push(Node::Query(query));
            }
            Expr::UnaryExpr { expr, .. } => work.push(Node::Expr(expr)),
            Expr::BinExpr { lhs, rhs, .. }
            | Expr::BoolExpr { lhs, rhs, .. }
            | Expr::ArithExpr { lhs, rhs, .. }
            | Expr::AssignExpr { lhs, rhs, .. } => {
                work.push(Node::Expr(lhs));
                work.push(Node::Expr(rhs));
            }
            Expr::Membership {
                key,
                value,
                collection,
                ..
            } => {
                work.extend(key.iter().map(|k| Node::Expr(k)));
                work.push(Node::Expr(value));
                work.push(Node::Expr(collection));
            }
            // Literals. (regorus's `or` expression exists only with its `rego-extensions`
            // feature, which this crate does not enable: the walk would have to learn it.)
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(files: &[(&str, &str)], entry: &str) -> Option<Vec<String>> {
        let mut engine = regorus::Engine::new();
        for (path, text) in files {
            engine
                .add_policy(path.to_string(), text.to_string())
                .unwrap();
        }
        top_level_reads(engine.get_modules(), entry).map(|r| r.into_iter().collect())
    }

    const LIB: &str = "package lib\nimport rego.v1\n\n\
        counted(rec) if not rec.errorCode\n\
        region := input.awsRegion\n\
        source(x) := x if input.sourceIPAddress\n\
        size(rec) := count(rec)\n\
        hidden(rec) if { some rec; rec }\n";

    #[test]
    fn members_read_through_rules_and_functions_of_other_packages() {
        let rule = "package p\nimport rego.v1\nimport data.lib\n\n\
            c if {\n\tdenied\n\tnot input.eventName == \"HeadBucket\"\n\tlib.region == data.params.r\n\
            \tlib.source(1)\n\tinput[\"userAgent\"]\n}\n\n\
            denied if startswith(input.errorCode, \"AccessDenied\")\n\
            unused if input.requestParameters\n";
        assert_eq!(
            reads(&[("p.rego", rule), ("lib.rego", LIB)], "data.p.c"),
            Some(
                [
                    "awsRegion",
                    "errorCode",
                    "eventName",
                    "sourceIPAddress",
                    "userAgent"
                ]
                .map(String::from)
                .to_vec()
            )
        );
    }

    #[test]
    fn a_function_called_with_the_record_reads_what_it_reads_of_its_argument() {
        let rule = "package p\nimport rego.v1\nimport data.lib\n\n\
            c if {\n\tinput.eventName == \"X\"\n\tlib.counted(input)\n}\n";
        assert_eq!(
            reads(&[("p.rego", rule), ("lib.rego", LIB)], "data.p.c"),
            Some(["errorCode", "eventName"].map(String::from).to_vec())
        );
        // A name of its own hiding the argument: the record may be read whole.
        let rule = "package p\nimport rego.v1\nimport data.lib\n\nc if lib.hidden(input)\n";
        assert_eq!(
            reads(&[("p.rego", rule), ("lib.rego", LIB)], "data.p.c"),
            None
        );
    }

    #[test]
    fn input_used_whole_or_by_a_computed_key_is_the_whole_record() {
        for body in [
            "lib.source(input)",
            "lib.size(input) > 2",
            "object.get(input, \"errorCode\", \"\")",
            "some k; input[k]",
            "x := input",
            "walk(input, _)",
            "count(data) > 0",
        ] {
            let rule =
                format!("package p\nimport rego.v1\nimport data.lib\n\nc if {{\n\t{body}\n}}\n");
            assert_eq!(
                reads(&[("p.rego", &rule), ("lib.rego", LIB)], "data.p.c"),
                None,
                "{body}"
            );
        }
        // Through a helper rule of the same package, and inside a comprehension.
        let rule = "package p\nimport rego.v1\n\nc if h\nh if count([1 | input]) > 0\n";
        assert_eq!(reads(&[("p.rego", rule)], "data.p.c"), None);
    }

    #[test]
    fn the_built_in_conditions_read_a_few_members() {
        let (set, errors) = crate::policy::load(&crate::policy::LoadOptions {
            builtin: true,
            ..Default::default()
        });
        assert!(errors.is_empty(), "{errors:?}");
        let mut engine = set.engine.clone();
        let tge001 = top_level_reads(
            engine.get_modules(),
            "data.trailguard.events.unauthorized_api_call.violation",
        );
        assert_eq!(
            tge001.map(|r| r.into_iter().collect::<Vec<_>>()),
            Some(
                ["errorCode", "eventName", "eventSource", "sourceIPAddress"]
                    .map(String::from)
                    .to_vec()
            )
        );
    }
}
