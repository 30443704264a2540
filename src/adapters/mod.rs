//! Adapters: turn parsed configuration files into the normalized [`crate::model::Document`].
//!
//! Each adapter owns one input format. Adapters know nothing of policies or output; they
//! report what they cannot read as [`InputError`]s and keep going where they can.

pub mod cloudformation;
pub mod live;
mod terraform;
pub mod terraform_hcl;
pub mod terraform_plan;

use crate::model::Document;

/// A problem with an input file, with a 1-based position when known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputError {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl InputError {
    pub fn at(path: &str, line: u32, column: u32, message: impl Into<String>) -> InputError {
        InputError {
            path: path.to_string(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    pub fn file(path: &str, message: impl Into<String>) -> InputError {
        InputError {
            path: path.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// What an adapter made of one input.
#[derive(Debug)]
pub enum Adapted {
    /// A document to evaluate (possibly with non-fatal errors for parts it could not read).
    Document(Document, Vec<InputError>),
    /// Not this format, or nothing to check (e.g. a template without CloudTrail resources):
    /// the reason is shown in the summary; this is not an error.
    Skipped(String),
}
