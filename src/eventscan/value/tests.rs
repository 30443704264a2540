//! The builder against serde, the reference: the same value for every record, and serde's
//! error wherever serde fails.

use super::ValueBuilder;
use crate::events::testdata::{generated, mutate, stratus_records};
use proptest::prelude::*;

fn reference(raw: &str) -> Result<regorus::Value, String> {
    serde_json::from_str::<regorus::Value>(raw).map_err(|e| e.to_string())
}

fn built(b: &mut ValueBuilder, raw: &str) -> Result<regorus::Value, String> {
    b.build(raw).map_err(|e| e.to_string())
}

fn corpus() -> Vec<String> {
    let mut out = stratus_records();
    out.extend(generated(1_000, 5));
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

/// What a `memoize` rule sees: the whole value without the identity members.
fn without_identity_reference(raw: &str) -> Result<regorus::Value, String> {
    reference(raw).map(|v| crate::eventscan::memo::without_identity(&v))
}

#[test]
fn records_built_without_identity_are_the_whole_value_without_those_members() {
    let mut b = ValueBuilder::new();
    let skip = crate::contract::IDENTITY_FIELDS;
    let nested = r#"{"eventID":"1","x":{"eventID":"kept"},"eventTime":"t","eventID":"dup","requestID":null}"#;
    let mut records = corpus();
    records.push(nested.to_string());
    for raw in records {
        let got = b.build_without(&raw, &skip).map_err(|e| e.to_string());
        assert_eq!(got, without_identity_reference(&raw), "{raw}");
    }
    assert_eq!(
        b.build_without(nested, &skip).unwrap(),
        regorus::Value::from_json_str(r#"{"x":{"eventID":"kept"}}"#).unwrap()
    );
}

/// What a condition that reads `keep` sees: the whole value with only those members.
fn only_reference(raw: &str, keep: &[String]) -> Result<regorus::Value, String> {
    reference(raw).map(|mut v| {
        if let Ok(o) = v.as_object_mut() {
            o.retain(|k, _| keep.iter().any(|m| regorus::Value::from(m.as_str()) == *k));
        }
        v
    })
}

fn keep_sets() -> Vec<Vec<String>> {
    [
        &[
            "errorCode",
            "errorMessage",
            "eventName",
            "eventSource",
            "sourceIPAddress",
        ][..],
        &["userIdentity", "requestParameters"],
        &["x", "eventID"],
        &[],
    ]
    .iter()
    .map(|k| k.iter().map(|s| s.to_string()).collect())
    .collect()
}

#[test]
fn records_built_with_only_some_members_are_the_whole_value_restricted_to_them() {
    let mut b = ValueBuilder::new();
    let mut records = corpus();
    records
        .push(r#"{"x":{"y":[1,{"z":"}]\"{"}],"w":-1.5e3},"eventID":"a","x":[true,null]}"#.into());
    records.push(r#"[{"errorCode":"x"}]"#.into());
    for raw in records {
        for keep in keep_sets() {
            let got = b.build_only(&raw, &keep).map_err(|e| e.to_string());
            assert_eq!(got, only_reference(&raw, &keep), "{keep:?} {raw}");
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
    #![proptest_config(crate::events::testdata::cases(2_000))]

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
        let bytes = CORPUS.with(|c| mutate(&c[which % c.len()], &edits));
        // Mutations at a multi-byte character may break UTF-8: records are text.
        if let Ok(raw) = String::from_utf8(bytes) {
            let mut b = ValueBuilder::new();
            prop_assert_eq!(built(&mut b, &raw), reference(&raw));
            let skip = crate::contract::IDENTITY_FIELDS;
            let without = b.build_without(&raw, &skip).map_err(|e| e.to_string());
            prop_assert_eq!(without, without_identity_reference(&raw));
            // Skipped members are not checked (the reader validated the record before): only
            // text serde accepts is compared.
            for keep in keep_sets() {
                let reference = only_reference(&raw, &keep);
                if reference.is_ok() {
                    prop_assert_eq!(b.build_only(&raw, &keep).map_err(|e| e.to_string()), reference);
                }
            }
        }
    }
}

/// The word hash as first written: the last bytes copied into a zeroed word.
fn padded_hash(bytes: &[u8]) -> u64 {
    let k = 0x517c_c1b7_2722_0a95_u64;
    let mut h = 0u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w.try_into().unwrap())).wrapping_mul(k);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59))
            .wrapping_mul(k);
    }
    h
}

proptest! {
    /// Reading a key's last bytes as its last word, shifted, is the zero-padded word.
    #[test]
    fn word_hash_reads_the_last_bytes_as_a_padded_word(
        bytes in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        use std::hash::Hasher;
        let mut h = super::WordHash::default();
        h.write(&bytes);
        prop_assert_eq!(h.0, padded_hash(&bytes));
    }
}

#[test]
fn word_hash_tells_keys_apart_by_length() {
    use std::hash::{BuildHasher, Hasher};
    let hash = |b: &[u8]| {
        let mut h = super::WordHash::default();
        h.write(b);
        h.finish()
    };
    assert_ne!(hash(b"a"), hash(b"a\0"));
    assert_ne!(hash(b"12345678"), hash(b"12345678\0"));
    // Strings hash with their terminator, as the tables use them.
    let build = super::WordHashBuild::default();
    let of = |s: &str| build.hash_one(s);
    assert_ne!(of("GetParameter"), of("GetParameters"));
}
