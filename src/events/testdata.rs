//! Records for the differential tests of the fast paths (header pass, value builder): the
//! Stratus fixture corpus, generated records, and byte-level edits of them.

use super::generate::records::{Context, Rng, write_record};
use std::path::PathBuf;

/// Every record of the Stratus fixture corpus, compact and pretty-printed.
pub(crate) fn stratus_records() -> Vec<String> {
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
    assert!(
        out.len() > 100,
        "the Stratus corpus has hundreds of records"
    );
    out
}

/// `n` records of the benchmark generator.
pub(crate) fn generated(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let ctx = Context::new("123456789012", "eu-west-1", &mut rng);
    (0..n)
        .map(|i| {
            let mut out = String::new();
            write_record(&mut out, &ctx, &mut rng, 1_700_000_000 + i as i64);
            out
        })
        .collect()
}

/// `record` with `edits` applied: `(position, operation, byte)` replaces, inserts or removes a
/// byte (structural characters, escapes, digits, literal letters, NUL, a multi-byte character
/// and an invalid byte) or cuts the text.
pub(crate) fn mutate(record: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    const ALPHABET: &[u8] = b"{}[]\":,\\ \n\t0-1.eE+tfnulr9\x00\xc3\xa9\xffaZ";
    let mut bytes = record.as_bytes().to_vec();
    for &(at, op, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        let b = ALPHABET[byte as usize % ALPHABET.len()];
        match op % 4 {
            0 => bytes[at] = b,
            1 => bytes.insert(at, b),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at.max(1)),
        }
    }
    bytes
}

/// The case count of a differential property: `PROPTEST_CASES` when set (long runs,
/// docs/robustness.md), `default` otherwise.
pub(crate) fn cases(default: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
    )
}
