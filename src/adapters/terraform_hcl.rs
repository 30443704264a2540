//! Terraform modules in HCL: the `.tf` files of one directory, read with hcl-edit (which keeps
//! spans) and evaluated statically into one [`Format::TerraformHcl`] document.
//!
//! A resource with `count` or `for_each` is read once, with the address `aws_cloudtrail.x`:
//! its instances share one configuration, so one set of findings (pointing at the block) is
//! what a reader can act on; how many instances exist is not knowable without a plan. The
//! module's variables are read at their defaults (a variable without default is unknown):
//! scanning the plan gives the values a caller actually passes. Override files
//! (`override.tf`, `*_override.tf`) are merged into the blocks they name, as Terraform does.

mod eval;
mod lines;

use crate::adapters::terraform::{self, CLOUDTRAIL_TYPES, TfResource};
use crate::adapters::{Adapted, InputError};
use crate::model::Format;
use eval::{Eval, File, Scope, header_span};
use hcl_edit::structure::{Block, Structure};
use lines::Lines;
use std::collections::{HashMap, HashSet};

/// Adapt one module: `dir` is the module directory (the document's path), `files` the
/// `(path, text)` of every `.tf` file in it. A file that does not parse is reported with its
/// line and column; the other files are still read.
pub fn adapt_module(dir: &str, files: &[(String, String)]) -> Adapted {
    let mut errors = Vec::new();
    let mut suppressions = Vec::new();
    // Primary files first, then override files, each in lexical order (Terraform's order).
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| (is_override(&a.0), &a.0).cmp(&(is_override(&b.0), &b.0)));
    let parsed: Vec<File> = sorted
        .into_iter()
        .filter_map(|(path, text)| match hcl_edit::parser::parse_body(text) {
            Ok(body) => {
                suppressions.extend(crate::suppress::inline::from_hcl(path, text, &body));
                Some(File {
                    path,
                    lines: Lines::new(text),
                    body,
                })
            }
            Err(e) => {
                let loc = e.location();
                errors.push(InputError::at(
                    path,
                    u32::try_from(loc.line()).unwrap_or(u32::MAX),
                    u32::try_from(loc.column()).unwrap_or(u32::MAX),
                    format!("HCL parse error: {}", e.message()),
                ));
                None
            }
        })
        .collect();

    let scope = scope(&parsed);
    let has_cloudtrail = scope
        .resources
        .iter()
        .any(|(rtype, _)| CLOUDTRAIL_TYPES.contains(rtype));
    if !has_cloudtrail && errors.is_empty() {
        return Adapted::Skipped(
            "Terraform module without aws_cloudtrail or aws_cloudtrail_event_data_store resources"
                .to_string(),
        );
    }

    let mut resources: Vec<TfResource> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (index, file) in parsed.iter().enumerate() {
        let eval = Eval {
            scope: &scope,
            file: index,
        };
        for block in top_blocks(file, "resource") {
            let header = eval.loc(header_span(block));
            let (Some(rtype), Some(name)) = (block.labels.first(), block.labels.get(1)) else {
                errors.push(InputError::at(
                    file.path,
                    header.line,
                    header.column,
                    "resource block needs a type and a name label",
                ));
                continue;
            };
            let address = format!("{}.{}", rtype.as_str(), name.as_str());
            let overriding = is_override(file.path);
            match (seen.get(&address), overriding) {
                (Some(_), true) => {
                    // An override replaces each attribute and each nested block type it sets.
                    if let Some(primary) = resources.iter_mut().find(|r| r.address == address) {
                        for (key, value) in eval.body(&block.body, 0) {
                            primary.attrs.retain(|(k, _)| *k != key);
                            primary.attrs.push((key, value));
                        }
                    }
                    continue;
                }
                (Some(first), false) => {
                    errors.push(InputError::at(
                        file.path,
                        header.line,
                        header.column,
                        format!(
                            "duplicate resource {address} (first declared at {first}); this one is not checked"
                        ),
                    ));
                    continue;
                }
                (None, true) => {
                    errors.push(InputError::at(
                        file.path,
                        header.line,
                        header.column,
                        format!("override for resource {address}, which no other file declares; it is not checked"),
                    ));
                    continue;
                }
                (None, false) => {}
            }
            seen.insert(address.clone(), format!("{}:{}", file.path, header.line));
            resources.push(TfResource {
                address,
                rtype: rtype.as_str().to_string(),
                header,
                attrs: eval.body(&block.body, 0),
            });
        }
    }
    let (mut doc, build_errors) = terraform::build(Format::TerraformHcl, dir, &resources);
    doc.suppressions = suppressions;
    errors.extend(build_errors);
    Adapted::Document(doc, errors)
}

/// Terraform's override files: merged into the primary files' blocks.
fn is_override(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "override.tf" || name.ends_with("_override.tf")
}

/// Top-level blocks of one kind (`resource`, `variable`, `locals`).
fn top_blocks<'f>(file: &'f File, ident: &'f str) -> impl Iterator<Item = &'f Block> + 'f {
    file.body
        .iter()
        .filter_map(Structure::as_block)
        .filter(move |b| b.ident.as_str() == ident)
}

/// Variables, locals and resource names of the module, for evaluating expressions.
fn scope<'m>(files: &'m [File<'m>]) -> Scope<'m> {
    let mut scope = Scope {
        files,
        vars: HashMap::new(),
        locals: HashMap::new(),
        resources: HashSet::new(),
    };
    for (index, file) in files.iter().enumerate() {
        for block in top_blocks(file, "variable") {
            if let Some(name) = block.labels.first() {
                let default = block.body.get_attribute("default").map(|a| &a.value);
                // An override without `default` keeps the primary's default.
                if default.is_some() || !scope.vars.contains_key(name.as_str()) {
                    scope.vars.insert(name.as_str(), (index, default));
                }
            }
        }
        for block in top_blocks(file, "locals") {
            for attr in block.body.attributes() {
                scope.locals.insert(attr.key.as_str(), (index, &attr.value));
            }
        }
        for block in top_blocks(file, "resource") {
            if let (Some(rtype), Some(name)) = (block.labels.first(), block.labels.get(1)) {
                scope.resources.insert((rtype.as_str(), name.as_str()));
            }
        }
    }
    scope
}

#[cfg(test)]
mod tests;
