//! An index over one template's sections: parameters, mappings, conditions and resources.

use std::collections::HashMap;

use crate::adapters::InputError;
use crate::model::Loc;
use crate::syntax::{Key, Node, NodeKind, Span};

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
    /// Resources whose type could not be read (or an unreadable `Resources` section): any of
    /// them might be a trail, so the template is not skipped as "without CloudTrail".
    pub unreadable: usize,
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
            unreadable: 0,
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
            template.unreadable += 1;
            return (template, errors);
        }
        // The last definition of a logical id wins; earlier ones are reported. One pass to
        // find the last of each, one to keep them: linear even for hostile repetition.
        let entries = section.entries();
        let last: HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.name.as_str(), i))
            .collect();
        for (i, (key, node)) in entries.iter().enumerate() {
            if last.get(key.name.as_str()) != Some(&i) {
                let message = format!(
                    "logical id `{}` is defined again later; the last definition is used",
                    key.name
                );
                errors.push(error_at(path, key.span, message));
                continue;
            }
            match read_resource(path, key, node, &mut errors) {
                Some(resource) => {
                    if resource.resource_type.is_empty() {
                        template.unreadable += 1;
                    }
                    template.by_id.insert(resource.id, template.resources.len());
                    template.resources.push(resource);
                }
                None => template.unreadable += 1,
            }
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

fn read_resource<'a>(
    path: &str,
    key: &'a Key,
    node: &'a Node,
    errors: &mut Vec<InputError>,
) -> Option<Resource<'a>> {
    if !node.is_map() {
        let message = format!("resource `{}` is not a mapping", key.name);
        errors.push(error_at(path, key.span, message));
        return None;
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
    let properties = node.get("Properties");
    // A mapping, empty, or an expression choosing one (`!If`); anything else is a mistake.
    if let Some(p) = properties
        && !p.is_map()
        && !matches!(p.kind, NodeKind::Null | NodeKind::Tagged(..))
    {
        let message = format!("`Properties` of resource `{}` is not a mapping", key.name);
        errors.push(error_at(path, p.span, message));
    }
    Some(Resource {
        id: key.name.as_str(),
        key,
        resource_type,
        properties,
    })
}

pub(super) fn error_at(path: &str, span: Span, message: impl Into<String>) -> InputError {
    InputError::at(path, span.line, span.column, message)
}
