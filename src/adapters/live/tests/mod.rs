//! Fixture-driven tests of the live-export adapter (fixtures in tests/fixtures/config/live/).

mod bundle;
mod directory;
mod matching;
mod script;

use crate::adapters::{Adapted, InputError};
use crate::model::{Document, Field, State, Trail};
use serde_json::Value;
use std::path::Path;

pub(super) const FIX: &str = "tests/fixtures/config/live";

/// `tests/fixtures/config/live/<dir>/<file>`, the path locations must carry.
pub(super) fn p(dir: &str, file: &str) -> String {
    format!("{FIX}/{dir}/{file}")
}

/// (path, text) of every file in a fixture directory, paths relative to the crate root.
pub(super) fn files_of(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join(FIX).join(dir)).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let path = p(dir, &name);
        let text = std::fs::read_to_string(root.join(&path)).unwrap();
        out.push((path, text));
    }
    out
}

pub(super) fn document(adapted: Adapted) -> (Document, Vec<InputError>) {
    match adapted {
        Adapted::Document(doc, errors) => (doc, errors),
        Adapted::Skipped(why) => panic!("skipped: {why}"),
    }
}

pub(super) fn adapt_fixture(dir: &str) -> (Document, Vec<InputError>) {
    document(super::adapt_dir(&format!("{FIX}/{dir}"), &files_of(dir)))
}

pub(super) fn trail<'d>(doc: &'d Document, arn: &str) -> &'d Trail {
    doc.trails
        .iter()
        .find(|t| t.id == arn)
        .unwrap_or_else(|| panic!("no trail {arn}"))
}

/// A known field with this value at path:line:column.
#[track_caller]
pub(super) fn known(f: &Field, value: Value, path: &str, line: u32, column: u32) {
    assert_eq!(f.state, State::Known, "{f:?}");
    assert_eq!(f.value.as_ref(), Some(&value), "{f:?}");
    assert_eq!(
        (f.loc.path.as_str(), f.loc.line, f.loc.column),
        (path, line, column),
        "{f:?}"
    );
}

/// A defaulted field (absent, the AWS default applies) at path:line.
#[track_caller]
pub(super) fn defaulted(f: &Field, value: Value, path: &str, line: u32) {
    assert_eq!((f.state, f.defaulted), (State::Absent, true), "{f:?}");
    assert_eq!(f.value.as_ref(), Some(&value), "{f:?}");
    assert_eq!((f.loc.path.as_str(), f.loc.line), (path, line), "{f:?}");
}

/// An absent field without default at path:line.
#[track_caller]
pub(super) fn absent(f: &Field, path: &str, line: u32) {
    assert_eq!(
        (f.state, f.defaulted, &f.value),
        (State::Absent, false, &None),
        "{f:?}"
    );
    assert_eq!((f.loc.path.as_str(), f.loc.line), (path, line), "{f:?}");
}

/// An unknown field with this expression at path:line.
#[track_caller]
pub(super) fn unknown(f: &Field, expr: &str, path: &str, line: u32) {
    assert_eq!((f.state, &f.value), (State::Unknown, &None), "{f:?}");
    assert_eq!(f.expr.as_deref(), Some(expr), "{f:?}");
    assert_eq!((f.loc.path.as_str(), f.loc.line), (path, line), "{f:?}");
}
