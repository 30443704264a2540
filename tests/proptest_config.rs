//! Property tests (issue #5): no configuration parser or adapter panics, whatever the input.
//!
//! Inputs are the repository's own fixtures mutated two ways: structure-aware (a random node of
//! the parsed JSON replaced by a random value, intrinsic functions and Terraform expressions
//! included, so the adapters see well-formed but hostile documents) and byte-level (flips,
//! cuts, splices of YAML/HCL syntax), plus free-form text. Each case runs the parser and the
//! adapter that would read it, through `scan::config::adapt_text` (content detection included).
//!
//! Cases per property: 256 by default; `PROPTEST_CASES=100000` for a long local run (see
//! docs/robustness.md). Failures are kept by proptest under `tests/proptest-regressions/`.

use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::Path;
use trailguard::adapters::{cloudformation, live, terraform_hcl, terraform_plan};
use trailguard::scan::config::adapt_text;
use trailguard::syntax;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

const JSON_SEEDS: &[&str] = &[
    "tests/fixtures/config/cloudformation/cdk-synth.json",
    "tests/fixtures/config/terraform/plan/compliant.json",
    "tests/fixtures/config/terraform/plan/noncompliant.json",
    "tests/fixtures/config/terraform/plan/kms-unknown.json",
    "tests/fixtures/config/terraform/plan/compact.json",
    "tests/fixtures/config/live/bundle.json",
    "tests/fixtures/config/live/describe-trails-only.json",
];

const YAML_SEEDS: &[&str] = &[
    "tests/fixtures/config/cloudformation/compliant.yaml",
    "tests/fixtures/config/cloudformation/noncompliant.yaml",
    "tests/fixtures/config/cloudformation/parameters.yaml",
    "tests/fixtures/config/cloudformation/sam.yaml",
];

const HCL_SEEDS: &[&str] = &[
    "tests/fixtures/config/terraform/hcl/compliant/main.tf",
    "tests/fixtures/config/terraform/hcl/compliant/bucket.tf",
    "tests/fixtures/config/terraform/hcl/noncompliant/main.tf",
    "tests/fixtures/config/terraform/hcl/advanced/main.tf",
    "tests/fixtures/config/terraform/hcl/org/main.tf",
];

/// Strings that mean something to some adapter.
const WORDS: &[&str] = &[
    "",
    "true",
    "false",
    "True",
    "null",
    "0",
    "-1",
    "1e309",
    "3.10",
    "Enabled",
    "All",
    "ReadOnly",
    "AWS::CloudTrail::Trail",
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::CloudTrail::EventDataStore",
    "AWS::S3::BucketPolicy",
    "aws_cloudtrail",
    "aws_s3_bucket",
    "aws_kms_key",
    "aws_s3_bucket_acl",
    "${AWS::Region}",
    "${Missing}",
    "${Bucket.Arn}",
    "!Ref",
    "Bucket",
    "Trail",
    "Key",
    "AWS::NoValue",
    "AWS::AccountId",
    "arn:aws:s3:::b/*",
    "*",
    "alias/aws/cloudtrail",
    "aws_s3_bucket.logs",
    "var.missing",
    "module.audit",
    "each.key",
    "\u{1b}[31m",
    "\u{202e}",
    "é",
    "𝔘",
    "a\nb",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_string),
        "[a-zA-Z0-9:_./${}* -]{0,24}",
    ]
}

/// A random JSON value, with the shapes adapters interpret (intrinsics, references).
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let intrinsic = prop::sample::select(
            &[
                "Ref",
                "Fn::GetAtt",
                "Fn::Sub",
                "Fn::Join",
                "Fn::If",
                "Fn::Select",
                "Fn::Split",
                "Fn::FindInMap",
                "Fn::ImportValue",
                "Fn::Equals",
                "Fn::Not",
                "Fn::And",
                "Fn::Or",
                "Fn::Base64",
                "Fn::GetAZs",
                "Condition",
                "references",
                "constant_value",
            ][..],
        );
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            (intrinsic, inner.clone()).prop_map(|(k, v)| json!({ k: v })),
            prop::collection::btree_map(word(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replace the `pick`-th node (pre-order) of `v` by `with`.
fn replace_nth(v: &mut Value, pick: usize, with: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn go(v: &mut Value, mut n: usize, with: &mut Option<Value>) -> usize {
        if n == 0 {
            if let Some(w) = with.take() {
                *v = w;
            }
            return 0;
        }
        n -= 1;
        let children: Vec<&mut Value> = match v {
            Value::Array(a) => a.iter_mut().collect(),
            Value::Object(o) => o.values_mut().collect(),
            _ => Vec::new(),
        };
        for c in children {
            let size = count(c);
            if n < size {
                return go(c, n, with);
            }
            n -= size;
        }
        n
    }
    let total = count(v);
    go(v, pick % total, &mut Some(with));
}

/// Byte-level damage: cut, flip, splice a token, duplicate a slice.
#[derive(Debug, Clone)]
enum Edit {
    Cut(usize),
    Flip(usize, u8),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\n",
    "  ",
    "- ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!Ref ",
    "!GetAtt ",
    "!Sub ",
    "!If [",
    "!!str ",
    "? ",
    "|\n",
    ">-\n",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "${",
    "}",
    "var.",
    "[for x in y : x]",
    "{ for k, v in m : k => v }",
    "<<EOT\n",
    "EOT\n",
    "resource \"aws_cloudtrail\" \"t\" {\n",
    "dynamic \"x\" {",
    "\u{0}",
    "\u{feff}",
    "\r",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Edit::Insert(i, t)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match e {
            Edit::Cut(i) => b.truncate(at(*i, b.len())),
            Edit::Flip(i, x) if !b.is_empty() => {
                let k = i % b.len();
                b[k] ^= x;
            }
            Edit::Flip(..) => {}
            Edit::Insert(i, t) => {
                let k = at(*i, b.len());
                b.splice(k..k, t.bytes());
            }
            Edit::Duplicate(i, n) => {
                let k = at(*i, b.len());
                let end = (k + n).min(b.len());
                let slice = b[k..end].to_vec();
                b.splice(k..k, slice);
            }
        }
    }
    // The adapters take text: invalid UTF-8 is rejected before them (tested end to end).
    String::from_utf8_lossy(&b).into_owned()
}

/// Run every reader a config text could reach; only a panic fails.
fn exercise(path: &str, text: &str) {
    let _ = adapt_text(path, text);
    if let Ok(node) = syntax::json::parse(text) {
        let _ = cloudformation::adapt(path, &node);
        let _ = terraform_plan::adapt(path, &node);
        let _ = live::adapt_bundle(path, &node);
        let _ = live::adapt_describe_trails(path, &node);
    }
    if let Ok(node) = syntax::yaml::parse(text) {
        let _ = cloudformation::adapt(path, &node);
    }
}

proptest! {
    #[test]
    fn json_parser_never_panics_and_spans_stay_in_bounds(text in ".{0,512}") {
        if let Ok(node) = syntax::json::parse(&text) {
            prop_assert!(node.span.offset + node.span.len <= text.len());
        }
    }

    #[test]
    fn yaml_parser_never_panics(
        tokens in prop::collection::vec(prop_oneof![prop::sample::select(TOKENS).prop_map(str::to_string), "[a-z0-9 ]{0,6}"], 0..64)
    ) {
        let text: String = tokens.concat();
        if let Ok(node) = syntax::yaml::parse(&text) {
            prop_assert!(node.span.offset + node.span.len <= text.len());
        }
        let _ = syntax::yaml::parse_stream(&text);
    }

    #[test]
    fn adapters_survive_structure_aware_mutations(
        seed in 0..JSON_SEEDS.len() + YAML_SEEDS.len(),
        mutations in prop::collection::vec((any::<usize>(), value()), 1..4),
        as_yaml_ext in any::<bool>(),
    ) {
        let (path, mut doc) = if seed < JSON_SEEDS.len() {
            let p = JSON_SEEDS[seed];
            (p, serde_json::from_str::<Value>(&read(p)).unwrap())
        } else {
            let p = YAML_SEEDS[seed - JSON_SEEDS.len()];
            (p, syntax::yaml::parse(&read(p)).unwrap().to_json())
        };
        for (pick, with) in mutations {
            replace_nth(&mut doc, pick, with);
        }
        let text = serde_json::to_string_pretty(&doc).unwrap();
        exercise(if as_yaml_ext { "t.yaml" } else { path }, &text);
    }

    #[test]
    fn adapters_survive_byte_level_damage(
        seed in 0..JSON_SEEDS.len() + YAML_SEEDS.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let path = JSON_SEEDS.iter().chain(YAML_SEEDS).nth(seed).unwrap();
        exercise(path, &apply(&read(path), &edits));
    }

    #[test]
    fn hcl_module_adapter_never_panics(
        seed in 0..HCL_SEEDS.len(),
        edits in prop::collection::vec(edit(), 0..6),
        extra in prop::collection::vec(prop::sample::select(TOKENS), 0..24),
    ) {
        let main = apply(&read(HCL_SEEDS[seed]), &edits);
        let files = vec![
            ("m/main.tf".to_string(), main),
            ("m/extra.tf".to_string(), extra.concat()),
        ];
        let _ = terraform_hcl::adapt_module("m", &files);
    }

    #[test]
    fn live_export_directory_adapter_never_panics(
        mutations in prop::collection::vec((any::<usize>(), value()), 0..4),
        status in value(),
        selectors in value(),
    ) {
        let mut trails: Value = serde_json::from_str(&read("tests/fixtures/config/live/compliant/describe-trails.json")).unwrap();
        for (pick, with) in mutations {
            replace_nth(&mut trails, pick, with);
        }
        let files = vec![
            ("d/describe-trails.json".to_string(), trails.to_string()),
            ("d/get-trail-status.account-audit.json".to_string(), status.to_string()),
            ("d/get-event-selectors.account-audit.json".to_string(), selectors.to_string()),
            ("d/get-bucket-acl.b.json".to_string(), "{".to_string()),
        ];
        let _ = live::adapt_dir("d", &files);
    }
}

/// METADATA blocks: YAML inside comments above `package`, validated strictly.
fn metadata_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("title: t".to_string()),
        Just("custom:".to_string()),
        Just("  id: TGX001".to_string()),
        Just("  name: x-y".to_string()),
        Just("  severity: high".to_string()),
        Just("  kind: event".to_string()),
        Just("  frameworks:".to_string()),
        Just("    cis: [\"1.1\", 3.10]".to_string()),
        Just("  selector:".to_string()),
        Just("    eventName: [A, *b]".to_string()),
        Just("  params: &b {a: 1}".to_string()),
        Just("  remediation: {events: x}".to_string()),
        "[ a-z:&*!\\[\\]{}|>-]{0,20}",
    ];
    (
        prop::collection::vec(line, 0..16),
        any::<bool>(),
        "[a-z._]{0,12}",
    )
        .prop_map(|(lines, tests, pkg)| {
            let mut s = String::from("# METADATA\n");
            for l in lines {
                s.push_str(&format!("# {l}\n"));
            }
            s.push_str(&format!(
                "package {pkg}\n\nimport rego.v1\n\ndeny contains x if {{ x := 1 }}\n"
            ));
            if tests {
                s.push_str("test_a if true\n");
            }
            s
        })
}

proptest! {
    #[test]
    fn metadata_extractor_never_panics(text in metadata_text(), noise in ".{0,200}") {
        let _ = trailguard::policy::metadata::extract("p/x.rego", &text);
        let _ = trailguard::policy::metadata::extract("p/x_test.rego", &noise);
    }
}
