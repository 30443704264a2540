//! Tests of the CloudFormation adapter, with the helpers they share: evaluation of intrinsics,
//! resource adaptation, and the realistic fixtures under `tests/fixtures/config/cloudformation/`.

mod evaluation;
mod fixtures_controls;
mod fixtures_sources;
mod resources;

use serde_json::Value;

use super::adapt;
use crate::adapters::{Adapted, InputError};
use crate::model::{Document, Field, Resolved, State, Trail};
use crate::syntax;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/config/cloudformation/"
);

fn adapt_yaml(src: &str) -> (Document, Vec<InputError>) {
    let root = syntax::yaml::parse(src).unwrap();
    match adapt("t.yaml", &root) {
        Adapted::Document(doc, errors) => (doc, errors),
        Adapted::Skipped(reason) => panic!("skipped: {reason}"),
    }
}

/// A template whose trail `T` has `props` (indented 6 spaces) beside `extra` resources.
fn trail(props: &str, extra: &str) -> (Trail, Vec<InputError>) {
    let src = format!(
        "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n{props}{extra}"
    );
    let (mut doc, errors) = adapt_yaml(&src);
    (doc.trails.remove(0), errors)
}

fn known(f: &Field) -> &Value {
    assert_eq!(f.state, State::Known, "{f:?}");
    f.value.as_ref().unwrap()
}

/// Parse a fixture (JSON by extension, YAML otherwise) and adapt it under its file name.
fn load(name: &str) -> Adapted {
    let src = std::fs::read_to_string(format!("{DIR}{name}")).unwrap();
    let root = if name.ends_with(".json") {
        syntax::json::parse(&src).unwrap()
    } else {
        syntax::yaml::parse(&src).unwrap()
    };
    adapt(name, &root)
}

fn document(name: &str) -> (Document, Vec<InputError>) {
    match load(name) {
        Adapted::Document(doc, errors) => (doc, errors),
        Adapted::Skipped(reason) => panic!("{name} skipped: {reason}"),
    }
}

/// Assert a field's state, value and (line, column).
#[track_caller]
fn check(field: &Field, state: State, value: Option<Value>, at: (u32, u32)) {
    assert_eq!(field.state, state, "state of {field:?}");
    assert_eq!(field.value, value, "value of {field:?}");
    assert_eq!(
        (field.loc.line, field.loc.column),
        at,
        "position of {field:?}"
    );
}

fn resource(id: &str, resource_type: &str) -> Option<Resolved> {
    Some(Resolved {
        kind: "resource".to_string(),
        id: id.to_string(),
        resource_type: Some(resource_type.to_string()),
    })
}
