//! The builder against serde, the reference: the same value for every record, and serde's
//! error wherever serde fails.

use super::ValueBuilder;
use crate::events::generate::records::{Context, Rng, write_record};
use proptest::prelude::*;
use std::path::PathBuf;

fn reference(raw: &str) -> Result<regorus::Value, String> {
    serde_json::from_str::<regorus::Value>(raw).map_err(|e| e.to_string())
}

fn built(b: &mut ValueBuilder, raw: &str) -> Result<regorus::Value, String> {
    b.build(raw).map_err(|e| e.to_string())
}

fn corpus() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stratus");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for record in value.as_array().into_iter().flatten() {
            out.push(serde_json::to_string(record).unwrap());
            out.push(serde_json::to_string_pretty(record).unwrap());
        }
    }
    let mut rng = Rng::new(5);
    let ctx = Context::new("123456789012", "eu-west-1", &mut rng);
    for i in 0..1_000 {
        let mut s = String::new();
        write_record(&mut s, &ctx, &mut rng, 1_700_000_000 + i);
        out.push(s);
    }
    out
}

#[test]
fn real_and_generated_records_build_the_value_serde_builds() {
    let mut b = ValueBuilder::new();
    for raw in corpus() {
        // Twice: the second time every key comes from the shared table.
        for _ in 0..2 {
            assert_eq!(built(&mut b, &raw), reference(&raw), "{raw}");
        }
    }
}

#[test]
fn edge_cases_match_serde_values_and_errors() {
    let cases = [
        r#"{"a":"\u00e9\"\\\/\b\f\n\r\t","b":"\ud83d\ude00"}"#,
        r#"{"lone":"\ud800"}"#,
        r#"{"n":[0,-0,1.5,-2e3,18446744073709551615,18446744073709551616,1e400,123456789012345678901234567890]}"#,
        r#"{"dup":1,"dup":2,"a":{},"b":[],"c":[{}],"d":null,"e":true,"f":false}"#,
        r#"{"k\u0041":1,"kA":2}"#,
        "{\"ctl\":\"a\tb\"}",
        r#"{"a":1,}"#,
        r#"{"a":01}"#,
        r#"{"a":1-2}"#,
        r#"{"a":tru}"#,
        r#"{"a":1} x"#,
        r#"  {"a":1}  "#,
        r#"[1,2]"#,
        r#""s""#,
        "",
    ];
    let mut b = ValueBuilder::new();
    for raw in cases {
        assert_eq!(built(&mut b, raw), reference(raw), "{raw}");
    }
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(built(&mut b, &deep), reference(&deep));
}

proptest! {
    // `PROPTEST_CASES` raises the count for long runs (docs/robustness.md).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
    ))]

    #[test]
    fn mutated_records_match_serde(
        which in 0usize..64,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
    ) {
        thread_local! {
            static CORPUS: Vec<String> = {
                let mut c = corpus();
                c.truncate(64);
                c
            };
        }
        const ALPHABET: &[u8] = b"{}[]\":,\\ \n0-1.eE+tfnulr\t9aZ";
        let mut bytes = CORPUS.with(|c| c[which % c.len()].clone().into_bytes());
        for (at, op, byte) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = at % bytes.len();
            let ch = ALPHABET[byte as usize % ALPHABET.len()];
            match op % 3 {
                0 => bytes[at] = ch,
                1 => bytes.insert(at, ch),
                _ => { bytes.remove(at); }
            }
        }
        // Mutations at a multi-byte character may break UTF-8: records are text.
        if let Ok(raw) = String::from_utf8(bytes) {
            let mut b = ValueBuilder::new();
            prop_assert_eq!(built(&mut b, &raw), reference(&raw));
        }
    }
}
