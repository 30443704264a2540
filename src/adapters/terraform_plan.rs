//! Terraform plan and state JSON (`terraform show -json`): the planned (or current) values of
//! every module, with values known only after apply kept unknown and references followed
//! through the plan's configuration section.
//!
//! Sources, in order of authority: `planned_values` (or a state's `values`) give what is known;
//! `resource_changes[].change.after_unknown` marks what is not known until apply (such an
//! attribute is omitted from the planned values, and must not read as unset: checkov#800);
//! `configuration` gives the references of each attribute, which resolve a trail's bucket, key,
//! log group, role and topic to resources of the same plan even when their values are unknown.

mod config;
mod values;

use crate::adapters::terraform::{self, CLOUDTRAIL_TYPES, READ_TYPES, TfResource};
use crate::adapters::{Adapted, InputError};
use crate::model::{Format, Loc};
use crate::syntax::{Node, Span};
use config::{Config, Index};
use std::collections::HashMap;
use values::Converter;

/// Deepest module nesting we walk; real configurations stay far below.
const MAX_MODULE_DEPTH: usize = 64;

/// True for `terraform show -json` output: a plan (`planned_values` / `resource_changes`) or
/// a state (`values.root_module`).
pub fn looks_like_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root
                .get("values")
                .and_then(|v| v.get("root_module"))
                .is_some())
}

/// One resource instance of the planned values, with the module instance it lives in.
pub(crate) struct Instance<'a> {
    pub address: String,
    /// Module instance address (`module.audit[0]`), empty for the root module.
    pub module: String,
    pub rtype: String,
    pub name: String,
    pub node: &'a Node,
}

/// Adapt a plan or state (already parsed with [`crate::syntax::json::parse`]) into one
/// [`Format::TerraformPlan`] document whose path is the plan's path.
pub fn adapt(path: &str, root: &Node) -> Adapted {
    let mut errors = Vec::new();
    if let Some(version) = root.get("format_version")
        && let Some(v) = version.as_str()
        && !(v.starts_with("0.") || v.starts_with("1."))
    {
        errors.push(at(
            path,
            version.span,
            format!(
                "unsupported plan format_version {v} (this reader knows 0.x and 1.x); read as 1.x"
            ),
        ));
    }
    let values_root = root
        .get("planned_values")
        .or_else(|| root.get("values"))
        .and_then(|v| v.get("root_module"));
    let mut instances = Vec::new();
    if let Some(module) = values_root {
        walk(path, module, "", 0, &mut instances, &mut errors);
    }
    if !instances
        .iter()
        .any(|i| CLOUDTRAIL_TYPES.contains(&i.rtype.as_str()))
    {
        if errors.is_empty() {
            return Adapted::Skipped(
                "Terraform plan without aws_cloudtrail or aws_cloudtrail_event_data_store resources"
                    .to_string(),
            );
        }
        let (doc, _) = terraform::build(Format::TerraformPlan, path, &[]);
        return Adapted::Document(doc, errors);
    }

    let changes = changes(root);
    let config = Config::new(root.get("configuration").and_then(|c| c.get("root_module")));
    let index = Index::new(&instances);
    let conv = Converter { path };
    let resources: Vec<TfResource> = instances
        .iter()
        .map(|inst| {
            let header = header_loc(path, inst.node);
            if !READ_TYPES.contains(&inst.rtype.as_str()) {
                // Only a reference target: its type and address are all the builder needs.
                return TfResource {
                    address: inst.address.clone(),
                    rtype: inst.rtype.clone(),
                    header,
                    attrs: Vec::new(),
                };
            }
            let resource_config = config.resource(&inst.module, &inst.rtype, &inst.name);
            let attrs = conv.resource_attrs(
                inst,
                changes.get(inst.address.as_str()).copied(),
                resource_config,
                |refs| config.resolve(&index, &inst.module, refs, 0),
            );
            TfResource {
                address: inst.address.clone(),
                rtype: inst.rtype.clone(),
                header,
                attrs,
            }
        })
        .collect();
    let (doc, build_errors) = terraform::build(Format::TerraformPlan, path, &resources);
    errors.extend(build_errors);
    Adapted::Document(doc, errors)
}

/// Collect the managed resources of a module and, recursively, of its child modules.
fn walk<'a>(
    path: &str,
    module: &'a Node,
    module_addr: &str,
    depth: usize,
    out: &mut Vec<Instance<'a>>,
    errors: &mut Vec<InputError>,
) {
    if depth > MAX_MODULE_DEPTH {
        errors.push(at(
            path,
            module.span,
            "modules nested too deeply; the rest is not read",
        ));
        return;
    }
    for res in module.get("resources").map(Node::items).unwrap_or_default() {
        let field = |k: &str| res.get(k).and_then(Node::as_str);
        if field("mode") == Some("data") {
            continue;
        }
        match (field("address"), field("type"), field("name")) {
            (Some(address), Some(rtype), Some(name)) => out.push(Instance {
                address: address.to_string(),
                module: module_addr.to_string(),
                rtype: rtype.to_string(),
                name: name.to_string(),
                node: res,
            }),
            _ => errors.push(at(
                path,
                res.span,
                "resource without address, type and name in the plan; it is not checked",
            )),
        }
    }
    for child in module
        .get("child_modules")
        .map(Node::items)
        .unwrap_or_default()
    {
        match child.get("address").and_then(Node::as_str) {
            Some(addr) => walk(path, child, addr, depth + 1, out, errors),
            None => errors.push(at(
                path,
                child.span,
                "child module without address in the plan; its resources are not checked",
            )),
        }
    }
}

/// `resource_changes[].change` by address (deposed objects are being destroyed: skipped).
fn changes(root: &Node) -> HashMap<&str, &Node> {
    let mut out = HashMap::new();
    for rc in root
        .get("resource_changes")
        .map(Node::items)
        .unwrap_or_default()
    {
        if rc.get("deposed").is_some() {
            continue;
        }
        if let (Some(addr), Some(change)) =
            (rc.get("address").and_then(Node::as_str), rc.get("change"))
        {
            out.insert(addr, change);
        }
    }
    out
}

/// The resource's `"address": "..."` entry: where findings about missing attributes point.
fn header_loc(path: &str, node: &Node) -> Loc {
    match node.entry("address") {
        Some((key, value)) => Loc::new(
            path,
            Span {
                line: key.span.line,
                column: key.span.column,
                end_line: value.span.end_line,
                end_column: value.span.end_column,
                offset: key.span.offset,
                len: (value.span.offset + value.span.len).saturating_sub(key.span.offset),
            },
        ),
        None => Loc::new(path, node.span),
    }
}

fn at(path: &str, span: Span, message: impl Into<String>) -> InputError {
    InputError::at(path, span.line.max(1), span.column.max(1), message)
}

#[cfg(test)]
mod tests;
