//! The plan's `configuration` section: per-attribute expressions and their `references`,
//! resolved to resource instances of the plan, through module inputs (`var.x` in a child
//! module is the caller's argument) and module outputs (`module.kms.key_arn`).

use super::Instance;
use crate::adapters::terraform::{MAX_RESOLVE_DEPTH, Ref};
use crate::syntax::Node;
use std::collections::HashSet;

/// Resource and module instance addresses present in the planned values.
pub(super) struct Index {
    resources: HashSet<String>,
    types: std::collections::HashMap<String, String>,
    modules: HashSet<String>,
}

impl Index {
    pub fn new(instances: &[Instance]) -> Index {
        let mut index = Index {
            resources: HashSet::new(),
            types: std::collections::HashMap::new(),
            modules: HashSet::new(),
        };
        for i in instances {
            index.resources.insert(i.address.clone());
            index.types.insert(i.address.clone(), i.rtype.clone());
            // Every ancestor module instance of the resource exists too.
            let mut module = i.module.as_str();
            while !module.is_empty() {
                index.modules.insert(module.to_string());
                module = parent(module).unwrap_or("");
            }
        }
        index
    }

    /// The one instance an un-indexed reference means: the resource itself when it has no
    /// count/for_each, or its only instance. Several instances -> ambiguous -> `None`.
    fn pick(&self, set: &HashSet<String>, base: &str, index: Option<&str>) -> Option<String> {
        if let Some(idx) = index {
            let addr = format!("{base}{idx}");
            return set.contains(&addr).then_some(addr);
        }
        if set.contains(base) {
            return Some(base.to_string());
        }
        let prefix = format!("{base}[");
        let mut found = set
            .iter()
            .filter(|a| a.starts_with(&prefix) && is_one_instance(a, &prefix));
        match (found.next(), found.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        }
    }
}

/// `base[...]` with nothing after the closing bracket (not a nested module's resource).
fn is_one_instance(addr: &str, prefix: &str) -> bool {
    addr.get(prefix.len().saturating_sub(1)..)
        .is_some_and(|rest| matches!(segments(rest).as_slice(), [Seg::Index(_)]))
}

/// The configuration tree (`configuration.root_module`).
pub(super) struct Config<'a> {
    root: Option<&'a Node>,
}

impl<'a> Config<'a> {
    pub fn new(root: Option<&'a Node>) -> Config<'a> {
        Config { root }
    }

    /// The module configuration of a module instance (`module.a[0].module.b` -> the `b` call
    /// inside the `a` call).
    fn module(&self, module_addr: &str) -> Option<&'a Node> {
        let mut node = self.root?;
        for (name, _) in module_calls(module_addr) {
            node = node.get("module_calls")?.get(&name)?.get("module")?;
        }
        Some(node)
    }

    /// The `module "x" {}` call block that created a module instance.
    fn call(&self, module_addr: &str) -> Option<&'a Node> {
        let parent_cfg = self.module(parent(module_addr)?)?;
        let (name, _) = module_calls(module_addr).pop()?;
        parent_cfg.get("module_calls")?.get(&name)
    }

    /// A resource block's configuration (its `expressions` hold the attribute expressions).
    pub fn resource(&self, module_addr: &str, rtype: &str, name: &str) -> Option<&'a Node> {
        self.module(module_addr)?
            .get("resources")?
            .items()
            .iter()
            .find(|r| {
                r.get("mode").and_then(Node::as_str) != Some("data")
                    && r.get("type").and_then(Node::as_str) == Some(rtype)
                    && r.get("name").and_then(Node::as_str) == Some(name)
            })
    }

    /// The first of `refs` (most specific first, as Terraform lists them) that names a
    /// resource instance of the plan, directly or through module inputs and outputs. The
    /// returned expression is the reference as written where the attribute is set.
    pub fn resolve(
        &self,
        index: &Index,
        scope: &str,
        refs: &[String],
        depth: usize,
    ) -> Option<(Ref, String)> {
        refs.iter().find_map(|r| {
            self.resolve_one(index, scope, r, depth)
                .map(|target| (target, r.clone()))
        })
    }

    fn resolve_one(
        &self,
        index: &Index,
        scope: &str,
        reference: &str,
        depth: usize,
    ) -> Option<Ref> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        let segs = segments(reference);
        let mut names = segs.iter();
        let root = names.next()?.name()?;
        match root {
            "var" => {
                let var = segs.get(1)?.name()?;
                let expr = self.call(scope)?.get("expressions")?.get(var)?;
                self.resolve(index, parent(scope)?, &references(expr), depth + 1)
                    .map(|(r, _)| r)
            }
            "module" => {
                let call = segs.get(1)?.name()?;
                let (idx, rest) = match segs.get(2) {
                    Some(Seg::Index(i)) => (Some(i.as_str()), 3),
                    _ => (None, 2),
                };
                let output = segs.get(rest)?.name()?;
                let base = format!("{}module.{call}", prefix(scope));
                let child = index.pick(&index.modules, &base, idx)?;
                let expr = self
                    .module(&child)?
                    .get("outputs")?
                    .get(output)?
                    .get("expression")?;
                self.resolve(index, &child, &references(expr), depth + 1)
                    .map(|(r, _)| r)
            }
            "data" | "local" | "each" | "count" | "path" | "terraform" | "self" => None,
            rtype => {
                let name = segs.get(1)?.name()?;
                let (idx, rest) = match segs.get(2) {
                    Some(Seg::Index(i)) => (Some(i.as_str()), 3),
                    _ => (None, 2),
                };
                let base = format!("{}{rtype}.{name}", prefix(scope));
                let address = index.pick(&index.resources, &base, idx)?;
                Some(Ref {
                    rtype: index
                        .types
                        .get(&address)
                        .cloned()
                        .unwrap_or_else(|| rtype.to_string()),
                    address,
                    attr: segs.get(rest).and_then(Seg::name).map(str::to_string),
                    known: None,
                    after_apply: false,
                })
            }
        }
    }
}

/// `references` of an expression representation (`{"references": [...]}`).
pub(super) fn references(expr: &Node) -> Vec<String> {
    expr.get("references")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect()
}

fn prefix(scope: &str) -> String {
    if scope.is_empty() {
        String::new()
    } else {
        format!("{scope}.")
    }
}

/// One step of an address or reference: a name, or an index with its brackets (`[0]`,
/// `["k"]`).
#[derive(Debug, PartialEq)]
enum Seg {
    Name(String),
    Index(String),
}

impl Seg {
    fn name(&self) -> Option<&str> {
        match self {
            Seg::Name(n) => Some(n),
            Seg::Index(_) => None,
        }
    }
}

/// Split `module.a["x.y"].aws_s3_bucket.b[0].id` into names and indexes; quoted keys may
/// hold dots and brackets.
fn segments(s: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !name.is_empty() {
                    out.push(Seg::Name(std::mem::take(&mut name)));
                }
            }
            '[' => {
                if !name.is_empty() {
                    out.push(Seg::Name(std::mem::take(&mut name)));
                }
                let mut idx = String::from("[");
                let mut quoted = false;
                while let Some(d) = chars.next() {
                    idx.push(d);
                    match d {
                        '\\' if quoted => {
                            if let Some(e) = chars.next() {
                                idx.push(e);
                            }
                        }
                        '"' => quoted = !quoted,
                        ']' if !quoted => break,
                        _ => {}
                    }
                }
                out.push(Seg::Index(idx));
            }
            _ => name.push(c),
        }
    }
    if !name.is_empty() {
        out.push(Seg::Name(name));
    }
    out
}

/// The module calls of a module instance address: `module.a[0].module.b` ->
/// `[("a", Some("[0]")), ("b", None)]`.
fn module_calls(module_addr: &str) -> Vec<(String, Option<String>)> {
    let segs = segments(module_addr);
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        match (segs.get(i), segs.get(i + 1)) {
            (Some(Seg::Name(m)), Some(Seg::Name(name))) if m == "module" => {
                out.push((name.clone(), None));
                i += 2;
            }
            (Some(Seg::Index(idx)), _) => {
                if let Some(last) = out.last_mut() {
                    last.1 = Some(idx.clone());
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The parent module instance (`""` for a top-level module); `None` for the root itself.
fn parent(module_addr: &str) -> Option<&str> {
    if module_addr.is_empty() {
        return None;
    }
    let calls = module_calls(module_addr);
    let keep = calls.len().checked_sub(1)?;
    if keep == 0 {
        return Some("");
    }
    // Find where the kept calls end: after the `keep`-th call's name (and index).
    let mut text = String::new();
    for (name, idx) in calls.iter().take(keep) {
        if !text.is_empty() {
            text.push('.');
        }
        text.push_str("module.");
        text.push_str(name);
        if let Some(i) = idx {
            text.push_str(i);
        }
    }
    module_addr.get(..text.len()).filter(|p| *p == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_addresses_with_quoted_keys() {
        assert_eq!(
            segments(r#"module.a["x.y[1]"].aws_s3_bucket.b[0].id"#),
            vec![
                Seg::Name("module".into()),
                Seg::Name("a".into()),
                Seg::Index(r#"["x.y[1]"]"#.into()),
                Seg::Name("aws_s3_bucket".into()),
                Seg::Name("b".into()),
                Seg::Index("[0]".into()),
                Seg::Name("id".into()),
            ]
        );
    }

    #[test]
    fn module_parents() {
        assert_eq!(
            parent("module.audit[0].module.lake"),
            Some("module.audit[0]")
        );
        assert_eq!(parent("module.audit[0]"), Some(""));
        assert_eq!(parent(""), None);
        assert_eq!(
            module_calls(r#"module.a["k"].module.b"#),
            vec![
                ("a".to_string(), Some(r#"["k"]"#.to_string())),
                ("b".to_string(), None)
            ]
        );
    }
}
