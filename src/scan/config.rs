//! Reads one config input, decides by content what it is, and hands it to the right adapter.
//!
//! Detection is by content, not extension: a `.json` file may be a CloudFormation template, a
//! Terraform plan, a live-export bundle or a CloudTrail log. A file that is none of these is
//! skipped with a reason; a file that clearly is one of them but does not parse is an error.

use super::discover::display;
use crate::adapters::{Adapted, InputError, cloudformation, live, terraform_hcl, terraform_plan};
use crate::syntax::{self, Node, SyntaxError};
use std::path::{Path, PathBuf};

/// Largest config file we parse (a CloudFormation template is at most 1 MB; plans can be big).
pub const MAX_CONFIG_BYTES: u64 = 256 * 1024 * 1024;

/// Words whose presence makes a file "look like" a config format, so a parse failure is an
/// error rather than a skip.
const CONFIG_MARKERS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "AWS::",
    "\"format_version\"",
    "trailList",
    "trailguard_live_export",
];

pub enum Outcome {
    Adapted(Adapted),
    Error(InputError),
    /// Not a format trailguard reads (the reason says what it is instead). Skipped when found by
    /// walking a directory; an error when the file was named on the command line, since the user
    /// asked for exactly that file to be checked.
    Unrecognized(String),
}

fn syntax_error(path: &str, e: &SyntaxError, what: &str) -> InputError {
    let prefix = format!("invalid {what}: ");
    let message = match e.message.strip_prefix(&prefix) {
        Some(rest) => format!("{prefix}{rest}"),
        None => format!("{prefix}{}", e.message),
    };
    InputError::at(path, e.line, e.column, message)
}

/// Adapt a single file's text (already known not to be an event log).
pub fn adapt_text(path: &str, text: &str) -> Outcome {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let looks_config = CONFIG_MARKERS.iter().any(|m| text.contains(m));
    let is_yaml_ext = [".yaml", ".yml", ".template"]
        .iter()
        .any(|e| path.ends_with(e));
    let json_like = trimmed.starts_with('{') || trimmed.starts_with('[');
    let parsed: Result<Node, InputError> = if json_like && !is_yaml_ext {
        syntax::json::parse(text).map_err(|e| syntax_error(path, &e, "JSON"))
    } else {
        syntax::yaml::parse(text).map_err(|e| syntax_error(path, &e, "YAML"))
    };
    if trimmed.is_empty() {
        return Outcome::Unrecognized("empty file: nothing to scan".into());
    }
    let root = match parsed {
        Ok(root) => root,
        Err(e) if looks_config || e.message.contains(crate::syntax::LIMIT_PREFIX) => {
            return Outcome::Error(e);
        }
        Err(e) => {
            return Outcome::Unrecognized(format!(
                "not a CloudFormation template, Terraform plan or live export ({})",
                e.message
            ));
        }
    };
    adapt_node(path, &root)
}

pub fn adapt_node(path: &str, root: &Node) -> Outcome {
    if cloudformation::looks_like_cloudformation(root) {
        return Outcome::Adapted(cloudformation::adapt(path, root));
    }
    if terraform_plan::looks_like_plan(root) {
        return Outcome::Adapted(terraform_plan::adapt(path, root));
    }
    if live::looks_like_bundle(root) {
        return Outcome::Adapted(live::adapt_bundle(path, root));
    }
    if live::looks_like_describe_trails(root) {
        return Outcome::Adapted(live::adapt_describe_trails(path, root));
    }
    Outcome::Unrecognized(
        "not a CloudFormation template, Terraform plan, live export or CloudTrail log".into(),
    )
}

/// Read files for a multi-file input (module or export dir); unreadable files become errors.
pub fn read_group(files: &[PathBuf]) -> (Vec<(String, String)>, Vec<InputError>) {
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        let shown = display(f);
        match read_text(f) {
            Ok(t) => texts.push((shown, t)),
            Err(e) => errors.push(e),
        }
    }
    (texts, errors)
}

/// Read a file as UTF-8 text with the size limit.
pub fn read_text(f: &Path) -> Result<String, InputError> {
    let shown = display(f);
    let meta = std::fs::metadata(f)
        .map_err(|e| InputError::file(&shown, format!("cannot read file: {e}")))?;
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(InputError::file(
            &shown,
            format!(
                "file is larger than the {} MiB limit for configuration files",
                MAX_CONFIG_BYTES >> 20
            ),
        ));
    }
    let bytes =
        std::fs::read(f).map_err(|e| InputError::file(&shown, format!("cannot read file: {e}")))?;
    text_from_bytes(&shown, bytes)
}

pub fn text_from_bytes(shown: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let prefix = &e.as_bytes()[..offset];
        let line = prefix.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let column = prefix.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
        InputError::at(
            shown,
            line,
            column,
            format!("invalid UTF-8 at byte offset {offset}"),
        )
    })
}

pub fn adapt_module(dir: &Path, files: &[PathBuf]) -> (Adapted, Vec<InputError>) {
    let (texts, errors) = read_group(files);
    (terraform_hcl::adapt_module(&display(dir), &texts), errors)
}

pub fn adapt_live_dir(dir: &Path, files: &[PathBuf]) -> (Adapted, Vec<InputError>) {
    let (texts, errors) = read_group(files);
    (live::adapt_dir(&display(dir), &texts), errors)
}
