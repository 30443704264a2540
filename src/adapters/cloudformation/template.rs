//! An index over one template's sections: parameters, mappings, conditions and resources.

use std::collections::HashMap;

use crate::adapters::InputError;
use crate::model::Loc;
use crate::syntax::{Key, Node, Span};

/// One entry of `Resources`.
pub(super) struct Resource<'a> {
    pub id: &'a str,
    pub key: &'a Key,
    /// `Type`, or `""` when it is missing (reported as an input error).
    pub resource_type: &'a str,
    pub properties: Option<&'a Node>,
}

pub(super) struct Template<'a> {
    pub path: &'a str,
    pub parameters: HashMap<&'a str, &'a Node>,
    pub mappings: Option<&'a Node>,
    pub conditions: Option<&'a Node>,
    /// In source order; a repeated logical id keeps its last definition, as `Node::get` does.
    pub resources: Vec<Resource<'a>>,
    by_id: HashMap<&'a str, usize>,
}

impl<'a> Template<'a> {
    pub fn new(path: &'a str, root: &'a Node) -> (Template<'a>, Vec<InputError>) {
        let mut errors = Vec::new();
        let parameters = root
            .get("Parameters")
            .map(|p| {
                p.entries()
                    .iter()
                    .map(|(k, v)| (k.name.as_str(), v))
                    .collect()
            })
            .unwrap_or_default();
        let mut template = Template {
            path,
            parameters,
            mappings: root.get("Mappings"),
            conditions: root.get("Conditions"),
            resources: Vec::new(),
            by_id: HashMap::new(),
        };
        let Some((section_key, section)) = root.entry("Resources") else {
            return (template, errors);
        };
        if !section.is_map() {
            errors.push(error_at(
                path,
                section_key.span,
                "`Resources` is not a mapping",
            ));
            return (template, errors);
        }
        for (key, node) in section.entries() {
            if !node.is_map() {
                let message = format!("resource `{}` is not a mapping", key.name);
                errors.push(error_at(path, key.span, message));
                continue;
            }
            let resource_type = match node.get("Type") {
                Some(t) => t.as_str().unwrap_or_else(|| {
                    let message = format!("`Type` of resource `{}` is not a string", key.name);
                    errors.push(error_at(path, t.span, message));
                    ""
                }),
                None => {
                    let message = format!("resource `{}` has no `Type`", key.name);
                    errors.push(error_at(path, key.span, message));
                    ""
                }
            };
            let resource = Resource {
                id: key.name.as_str(),
                key,
                resource_type,
                properties: node.get("Properties"),
            };
            if let Some(&previous) = template.by_id.get(resource.id) {
                let message = format!(
                    "logical id `{}` is defined twice; the last one is used",
                    key.name
                );
                errors.push(error_at(path, key.span, message));
                template.resources.remove(previous);
                template.by_id = index(&template.resources);
            }
            template.by_id.insert(resource.id, template.resources.len());
            template.resources.push(resource);
        }
        (template, errors)
    }

    pub fn resource(&self, id: &str) -> Option<&Resource<'a>> {
        self.by_id.get(id).and_then(|&i| self.resources.get(i))
    }

    pub fn of_type<'s>(&'s self, resource_type: &'s str) -> impl Iterator<Item = &'s Resource<'a>> {
        self.resources
            .iter()
            .filter(move |r| r.resource_type == resource_type)
    }

    pub fn loc(&self, span: Span) -> Loc {
        Loc::new(self.path, span)
    }

    /// Where findings about a resource point when the attribute itself is missing.
    pub fn header(&self, resource: &Resource<'_>) -> Loc {
        self.loc(resource.key.span)
    }
}

fn index<'a>(resources: &[Resource<'a>]) -> HashMap<&'a str, usize> {
    resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i))
        .collect()
}

pub(super) fn error_at(path: &str, span: Span, message: impl Into<String>) -> InputError {
    InputError::at(path, span.line, span.column, message)
}
