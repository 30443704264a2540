//! Rejects recursive Rego functions before any evaluation.
//!
//! OPA refuses recursion at compile time (`rego_recursion_error`); regorus 0.14.1 does not, and
//! evaluating `f(x) := f(x + 1)` overflows the native stack in both its interpreter and its VM,
//! which aborts the whole process: no timer or instruction budget can catch it, because each
//! call is cheap and the stack runs out first. A user policy must not be able to do that, so the
//! loader builds the call graph of every function (resolved the way regorus resolves calls:
//! same package, import alias, or a `data.` path) and reports each cycle. Recursion through
//! plain rules is left to regorus, which detects it at run time ("recursion detected").

use regorus::unstable::{Expr, Literal, Module, Query, Rule, RuleHead};
use regorus::utils::get_path_string;
use std::collections::{BTreeMap, BTreeSet};

/// One cycle of function calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// Full paths (`data.pkg.f`), starting and ending with the same function.
    pub path: Vec<String>,
    /// Where the first function of the cycle is defined.
    pub file: String,
    pub line: u32,
}

/// Every function-call cycle among `modules`, each reported once, in a stable order.
pub fn find(modules: &[regorus::unstable::Ref<Module>]) -> Vec<Cycle> {
    let graph = call_graph(modules);
    let mut cycles = Vec::new();
    let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in graph.keys() {
        if done.contains(start.as_str()) {
            continue;
        }
        // Iterative DFS: (node, next edge index); `on_path` mirrors the stack.
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        let mut on_path: Vec<&str> = vec![start];
        while let Some(top) = stack.last_mut() {
            let (node, next) = (top.0, top.1);
            let edges = graph.get(node).map(|d| &d.calls);
            let Some(callee) = edges.and_then(|e| e.iter().nth(next)) else {
                done.insert(node);
                stack.pop();
                on_path.pop();
                continue;
            };
            top.1 += 1;
            if let Some(pos) = on_path.iter().position(|n| *n == callee) {
                let mut path: Vec<String> = on_path[pos..].iter().map(|s| s.to_string()).collect();
                path.push(callee.clone());
                let members: BTreeSet<String> = path.iter().cloned().collect();
                if reported.insert(members) {
                    let (file, line) = graph
                        .get(callee)
                        .map(|d| (d.file.clone(), d.line))
                        .unwrap_or_default();
                    cycles.push(Cycle { path, file, line });
                }
            } else if !done.contains(callee.as_str()) && graph.contains_key(callee) {
                stack.push((callee, 0));
                on_path.push(callee);
            }
        }
    }
    cycles
}

/// A function definition: where it is and which functions it calls.
#[derive(Default)]
struct Def {
    file: String,
    line: u32,
    calls: BTreeSet<String>,
}

fn call_graph(modules: &[regorus::unstable::Ref<Module>]) -> BTreeMap<String, Def> {
    // First pass: every function path, so calls can be told apart from builtins.
    let mut defs: BTreeMap<String, Def> = BTreeMap::new();
    for m in modules {
        let Ok(package) = get_path_string(&m.package.refr, Some("data")) else {
            continue;
        };
        for rule in &m.policy {
            if let Rule::Spec {
                head: RuleHead::Func { refr, span, .. },
                ..
            } = rule.as_ref()
                && let Ok(name) = get_path_string(refr, None)
            {
                defs.entry(format!("{package}.{name}"))
                    .or_insert_with(|| Def {
                        file: span.source.file().clone(),
                        line: span.line,
                        calls: BTreeSet::new(),
                    });
            }
        }
    }
    let known: BTreeSet<String> = defs.keys().cloned().collect();
    for m in modules {
        let Ok(package) = get_path_string(&m.package.refr, Some("data")) else {
            continue;
        };
        let aliases = import_aliases(m);
        for rule in &m.policy {
            let Rule::Spec {
                head: RuleHead::Func { refr, assign, .. },
                bodies,
                ..
            } = rule.as_ref()
            else {
                continue;
            };
            let Ok(name) = get_path_string(refr, None) else {
                continue;
            };
            let mut calls = Vec::new();
            let mut work: Vec<Node<'_>> = Vec::new();
            if let Some(a) = assign {
                work.push(Node::Expr(&a.value));
            }
            for b in bodies {
                if let Some(a) = &b.assign {
                    work.push(Node::Expr(&a.value));
                }
                work.push(Node::Query(&b.query));
            }
            collect_calls(work, &mut calls);
            let resolved: BTreeSet<String> = calls
                .iter()
                .filter_map(|c| resolve(c, &package, &aliases, &known))
                .collect();
            if let Some(def) = defs.get_mut(&format!("{package}.{name}")) {
                def.calls.extend(resolved);
            }
        }
    }
    defs
}

/// `import data.a.b` → `b` → `data.a.b`; `import data.a.b as c` → `c` → `data.a.b`.
pub(crate) fn import_aliases(m: &Module) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for i in &m.imports {
        let Ok(path) = get_path_string(&i.refr, None) else {
            continue;
        };
        if !path.starts_with("data.") {
            continue;
        }
        let alias = match &i.r#as {
            Some(span) => span.text().to_string(),
            None => path.rsplit('.').next().unwrap_or_default().to_string(),
        };
        out.insert(alias, path);
    }
    out
}

/// The function a call path names, if it is one of ours (otherwise it is a builtin).
fn resolve(
    call: &str,
    package: &str,
    aliases: &BTreeMap<String, String>,
    known: &BTreeSet<String>,
) -> Option<String> {
    let candidate = qualify(call, package, aliases);
    known.contains(&candidate).then_some(candidate)
}

/// The full `data.` path a reference names inside `package` (through an import alias, or
/// relative to the package), the way regorus resolves it.
pub(crate) fn qualify(path: &str, package: &str, aliases: &BTreeMap<String, String>) -> String {
    if path.starts_with("data.") {
        return path.to_string();
    }
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    match aliases.get(first) {
        Some(full) if rest.is_empty() => full.clone(),
        Some(full) => format!("{full}.{rest}"),
        None => format!("{package}.{path}"),
    }
}

enum Node<'a> {
    Expr(&'a Expr),
    Query(&'a Query),
}

/// The path text of every call inside `work`, without recursion (queries nest through
/// comprehensions and `every`).
fn collect_calls<'a>(mut work: Vec<Node<'a>>, calls: &mut Vec<String>) {
    while let Some(node) = work.pop() {
        let e = match node {
            Node::Query(q) => {
                for stmt in &q.stmts {
                    for w in &stmt.with_mods {
                        work.push(Node::Expr(&w.r#as));
                    }
                    match &stmt.literal {
                        Literal::SomeVars { .. } => {}
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
            Expr::Call { fcn, params, .. } => {
                if let Ok(path) = get_path_string(fcn, None) {
                    calls.push(path);
                }
                work.extend(params.iter().map(|p| Node::Expr(p)));
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
            Expr::RefDot { refr, .. } => work.push(Node::Expr(refr)),
            Expr::RefBrack { refr, index, .. } => {
                work.push(Node::Expr(refr));
                work.push(Node::Expr(index));
            }
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
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycles_of(files: &[(&str, &str)]) -> Vec<Cycle> {
        let mut engine = regorus::Engine::new();
        for (path, text) in files {
            engine
                .add_policy(path.to_string(), text.to_string())
                .unwrap();
        }
        find(engine.get_modules())
    }

    #[test]
    fn direct_recursion_is_found_at_its_definition() {
        let c = cycles_of(&[(
            "p.rego",
            "package p\nimport rego.v1\n\nf(x) := y if {\n\ty := f(x + 1)\n}\n",
        )]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, vec!["data.p.f", "data.p.f"]);
        assert_eq!((c[0].file.as_str(), c[0].line), ("p.rego", 4));
    }

    #[test]
    fn mutual_recursion_across_packages_through_an_import_alias() {
        let c = cycles_of(&[
            (
                "a.rego",
                "package a\nimport rego.v1\nimport data.b as other\n\ng(x) := other.h(x)\n",
            ),
            (
                "b.rego",
                "package b\nimport rego.v1\n\nh(x) := [v | v := data.a.g(x)]\n",
            ),
        ]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, vec!["data.a.g", "data.b.h", "data.a.g"]);
    }

    #[test]
    fn calls_without_a_cycle_and_builtins_are_fine() {
        let c = cycles_of(&[(
            "p.rego",
            "package p\nimport rego.v1\n\nf(x) := g(x) + count([1])\ng(x) := x * 2\n\
             deny contains f(1) if true\n",
        )]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn the_builtin_pack_has_no_recursion() {
        let (set, errors) = crate::policy::load(&crate::policy::LoadOptions {
            builtin: true,
            include_tests: true,
            ..Default::default()
        });
        assert!(errors.is_empty(), "{errors:?}");
        let mut engine = set.engine.clone();
        assert!(find(engine.get_modules()).is_empty());
    }
}
