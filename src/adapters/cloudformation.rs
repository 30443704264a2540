//! CloudFormation templates (YAML or JSON, SAM, `cdk synth` output) into the normalized model.
//!
//! The adapter reads the [`Node`] tree from [`crate::syntax::yaml`] or [`crate::syntax::json`]
//! (tags and long-form intrinsics mean the same), resolves what the template alone determines
//! (parameter defaults, mappings, references between resources) and keeps everything else
//! unknown, with the expression text as evidence. Submodules: `template` (section index),
//! `intrinsic` (the two spellings of functions), `eval` (static evaluation), `fields` (attribute
//! to three-state field), `trail`, `bucket`, `keys`, `selectors` (the model objects).

mod bucket;
mod eval;
mod fields;
mod intrinsic;
mod keys;
mod selectors;
mod template;
mod trail;

#[cfg(test)]
mod tests;

use crate::adapters::Adapted;
use crate::model::{Document, Format};
use crate::syntax::Node;

use fields::Cx;
use template::Template;
use trail::{EVENT_DATA_STORE, TRAIL};

/// Why a CloudFormation template without trails is skipped (shown in the scan summary).
pub const NO_CLOUDTRAIL: &str =
    "CloudFormation template without CloudTrail trails or event data stores";
/// Why a document that is not a CloudFormation template is skipped.
pub const NOT_CLOUDFORMATION: &str = "not a CloudFormation template";

/// Whether a parsed document is a CloudFormation template.
///
/// True for a mapping with `AWSTemplateFormatVersion`, with the SAM transform
/// (`Transform: AWS::Serverless-2016-10-31`, alone or in a list), or with a `Resources` mapping
/// in which some resource has a `Type` starting `AWS::` or `Custom::` (`cdk synth` output has no
/// version key). Other YAML and JSON (Kubernetes manifests, Terraform plans) is not.
///
/// ```
/// use trailguard::adapters::cloudformation::looks_like_cloudformation;
/// let doc = trailguard::syntax::yaml::parse("Resources:\n  B:\n    Type: AWS::S3::Bucket\n").unwrap();
/// assert!(looks_like_cloudformation(&doc));
/// let doc = trailguard::syntax::json::parse(r#"{"format_version": "1.2"}"#).unwrap();
/// assert!(!looks_like_cloudformation(&doc));
/// ```
pub fn looks_like_cloudformation(root: &Node) -> bool {
    if !root.is_map() {
        return false;
    }
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let is_sam = |n: &Node| n.as_str() == Some("AWS::Serverless-2016-10-31");
    if let Some(transform) = root.get("Transform")
        && (is_sam(transform) || transform.items().iter().any(is_sam))
    {
        return true;
    }
    root.get("Resources").is_some_and(|resources| {
        resources.entries().iter().any(|(_, resource)| {
            resource
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
        })
    })
}

/// Adapt one parsed template. `path` is recorded in every location.
///
/// [`Adapted::Skipped`] with [`NOT_CLOUDFORMATION`] or [`NO_CLOUDTRAIL`] when there is nothing
/// to check (a template with a resource whose `Type` cannot be read is not skipped: that
/// resource might be a trail, so its errors are returned with an empty document); otherwise a [`Format::CloudFormation`] document with every `AWS::CloudTrail::Trail`,
/// `AWS::CloudTrail::EventDataStore` and `AWS::S3::Bucket` (resources under a `Condition` too:
/// they may be deployed), plus non-fatal input errors (malformed resources, values of the wrong
/// type) each with a line and column.
pub fn adapt(path: &str, root: &Node) -> Adapted {
    if !looks_like_cloudformation(root) {
        return Adapted::Skipped(NOT_CLOUDFORMATION.to_string());
    }
    let (template, mut errors) = Template::new(path, root);
    let has_cloudtrail = template
        .resources
        .iter()
        .any(|r| r.resource_type == TRAIL || r.resource_type == EVENT_DATA_STORE);
    if !has_cloudtrail && template.unreadable == 0 {
        return Adapted::Skipped(NO_CLOUDTRAIL.to_string());
    }
    let mut cx = Cx::new(&template);
    let mut doc = Document::new(Format::CloudFormation, path);
    let buckets = bucket::buckets(&mut cx);
    for r in template.of_type(TRAIL) {
        let t = trail::trail(&mut cx, r, &buckets);
        doc.trails.push(t);
    }
    doc.buckets = buckets.list;
    for r in template.of_type(EVENT_DATA_STORE) {
        let store = trail::event_data_store(&mut cx, r);
        doc.event_data_stores.push(store);
    }
    errors.append(&mut cx.errors);
    doc.suppressions = crate::suppress::inline::from_cloudformation(path, root);
    Adapted::Document(doc, errors)
}
