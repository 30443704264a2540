//! What the Terraform plan and HCL adapters share: the positioned resource form both read their
//! input into, and the builder that turns it into the normalized model.
//!
//! A plan and a module describe the same resources with the same attribute names; they differ
//! only in how a value is known (planned value / literal / variable default) and where it sits.
//! So each adapter only translates its syntax into [`TfResource`]s, and one builder applies the
//! AWS defaults, normalizes selectors, resolves references and merges the split S3 resources.
//! That keeps `.tf` and plan findings identical for the same configuration.

mod bucket;
mod build;
mod keys;
mod render;
mod selectors;

pub(crate) use build::build;
pub(crate) use render::AFTER_APPLY;

use crate::model::Loc;
use serde_json::Value;

/// Resource types a document must contain to be worth checking.
pub(crate) const CLOUDTRAIL_TYPES: [&str; 2] =
    ["aws_cloudtrail", "aws_cloudtrail_event_data_store"];

/// Resource types whose attributes the builder reads; other resources are only reference targets.
pub(crate) const READ_TYPES: [&str; 10] = [
    "aws_cloudtrail",
    "aws_cloudtrail_event_data_store",
    "aws_s3_bucket",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_versioning",
    "aws_kms_key",
    "aws_kms_alias",
];

/// Deepest nesting of references (a local naming a variable naming a resource...) we follow.
pub(crate) const MAX_RESOLVE_DEPTH: usize = 16;

/// One resource (instance) read from a plan or a module.
#[derive(Debug, Clone)]
pub(crate) struct TfResource {
    /// Terraform address: `aws_cloudtrail.main`, `module.audit[0].aws_cloudtrail.this["a"]`.
    pub address: String,
    pub rtype: String,
    /// Where findings about a missing attribute point.
    pub header: Loc,
    pub attrs: Vec<(String, TfVal)>,
}

impl TfResource {
    /// The attribute's value, or `None` when it is missing or null (Terraform treats both alike).
    pub fn get(&self, name: &str) -> Option<&TfVal> {
        lookup(&self.attrs, name)
    }
}

fn lookup<'a>(entries: &'a [(String, TfVal)], name: &str) -> Option<&'a TfVal> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .filter(|v| !matches!(v.kind, Kind::Null))
}

/// A value with its position and, when it came from an expression, how.
#[derive(Debug, Clone)]
pub(crate) struct TfVal {
    pub kind: Kind,
    pub loc: Loc,
    /// Source text of the expression that produced (or hid) the value.
    pub expr: Option<String>,
    /// How the value was obtained, e.g. "resolved from variable x's default".
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Null,
    /// A string, number or bool.
    Lit(Value),
    /// A list, or repeated nested blocks.
    List(Vec<TfVal>),
    /// An object, or one nested block's body.
    Map(Vec<(String, TfVal)>),
    /// String interpolation: the parts are concatenated.
    Template(Vec<TfVal>),
    /// `jsonencode(x)`: a string holding the JSON form of x.
    Json(Box<TfVal>),
    /// A reference to another resource in the same document.
    Ref(Ref),
    /// Not knowable before apply; `expr` says why.
    Unknown,
}

/// A reference to a resource of the same document, resolved to its address.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub address: String,
    pub rtype: String,
    /// The attribute read from the target (`id`, `arn`, `name`...), if any.
    pub attr: Option<String>,
    /// The value itself when the plan already knows it.
    pub known: Option<Value>,
    /// The plan says the value is known only after apply.
    pub after_apply: bool,
}

impl Ref {
    /// What the reference stands for, as a readable value when its text is not knowable:
    /// `aws_kms_key.trail.arn`, `module.kms.aws_kms_key.this.arn`.
    pub fn readable(&self) -> String {
        match &self.attr {
            Some(attr) => format!("{}.{attr}", self.address),
            None => self.address.clone(),
        }
    }
}

impl TfVal {
    pub fn new(kind: Kind, loc: Loc) -> TfVal {
        TfVal {
            kind,
            loc,
            expr: None,
            note: None,
        }
    }

    pub fn unknown(expr: impl Into<String>, loc: Loc) -> TfVal {
        TfVal::new(Kind::Unknown, loc).with_expr(expr)
    }

    pub fn with_expr(mut self, expr: impl Into<String>) -> TfVal {
        self.expr = Some(expr.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> TfVal {
        self.note = Some(note.into());
        self
    }

    /// An attribute of an object / block body (missing or null -> `None`).
    pub fn get(&self, name: &str) -> Option<&TfVal> {
        match &self.kind {
            Kind::Map(entries) => lookup(entries, name),
            _ => None,
        }
    }

    /// The elements of a list; a single object reads as a one-element list, as Terraform's
    /// "single" block nesting does.
    pub fn items(&self) -> Vec<&TfVal> {
        match &self.kind {
            Kind::List(items) => items.iter().collect(),
            Kind::Map(_) => vec![self],
            _ => Vec::new(),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown)
    }

    /// An empty list counts as unset: plans write `event_selector: []` for "no blocks".
    pub fn is_empty_list(&self) -> bool {
        matches!(&self.kind, Kind::List(items) if items.is_empty())
    }

    /// Source text for evidence: the expression, or the literal itself.
    pub fn text(&self) -> String {
        if let Some(expr) = &self.expr {
            return expr.clone();
        }
        match &self.kind {
            Kind::Lit(Value::String(s)) => s.clone(),
            Kind::Lit(v) => v.to_string(),
            Kind::Null => "null".to_string(),
            Kind::Ref(r) => r.address.clone(),
            _ => "expression".to_string(),
        }
    }
}
