//! The fast header parse against serde, the reference: whenever the fast path accepts a record it
//! must find the same end and the same header serde finds, and on ordinary CloudTrail records
//! it must accept (or the reader silently loses its speed).

use super::super::fast;
use super::super::header::Header;
use super::super::testdata::{generated, mutate, stratus_records as fixture_records};
use proptest::prelude::*;

/// What serde's stream deserializer (the reference fast path before this one) makes of `chunk`.
fn serde_header(chunk: &[u8]) -> Option<(Header<'_>, usize)> {
    let mut stream = serde_json::Deserializer::from_slice(chunk).into_iter::<Header<'_>>();
    let header = stream.next()?.ok()?;
    let end = stream.byte_offset();
    std::str::from_utf8(&chunk[..end]).ok()?;
    Some((header, end))
}

/// The fast path's header knows exactly which of its string fields the record has no member
/// for (serde's knows none).
fn assert_missing(h: &Header<'_>, text: &str) {
    use crate::eventscan::index::Known;
    let record: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
    for k in Known::HEADER_STRINGS {
        assert_eq!(
            h.lacks(k),
            !record.contains_key(k.path()),
            "{k:?} in {text}"
        );
    }
}

/// The fast parse never accepts what serde refuses, and agrees with serde when it accepts.
fn agrees(chunk: &[u8]) -> bool {
    if chunk.first() != Some(&b'{') {
        return true;
    }
    match fast::parse(chunk, 512) {
        None => true,
        Some((h, text)) => {
            let (reference, end) = serde_header(chunk)
                .unwrap_or_else(|| panic!("fast path accepted what serde refuses: {chunk:?}"));
            assert_eq!(text.len(), end, "record end differs on {:?}", text);
            assert_missing(&h, text);
            assert_eq!(
                Header { seen: 0, ..h },
                reference,
                "header differs on {text}"
            );
            true
        }
    }
}

#[test]
fn real_and_generated_records_take_the_fast_path_with_serdes_result() {
    let mut records = fixture_records();
    records.extend(generated(2_000, 7));
    for r in &records {
        // Followed by the next element, as in a Records array.
        let chunk = format!("{r},{{\"next\":1}}");
        let (h, text) = fast::parse(chunk.as_bytes(), 512)
            .unwrap_or_else(|| panic!("fast path refused an ordinary record: {r}"));
        assert_eq!(text, r.as_str());
        assert_missing(&h, text);
        assert_eq!(
            Some((Header { seen: 0, ..h }, r.len())),
            serde_header(chunk.as_bytes())
        );
    }
}

#[test]
fn unusual_records_go_to_the_serde_path() {
    let refused = [
        // Escapes in a selecting field or a key: serde unescapes them.
        r#"{"eventName":"A\u0042C"}"#,
        r#"{"event\u004eame":"x"}"#,
        // A duplicate selecting field: serde refuses the record.
        r#"{"eventName":"a","eventName":"b"}"#,
        r#"{"userIdentity":{"type":"Root","type":"IAMUser"}}"#,
        // A number where a selecting field is expected: serde parses it (and may refuse it).
        r#"{"eventName":1e999}"#,
        // Cut off by the end of the buffer.
        r#"{"eventName":"x","requestParameters":{"a":[1,2"#,
        // Invalid JSON.
        r#"{"eventName":"x",}"#,
        r#"{"a":01}"#,
        r#"{"a":1.}"#,
        r#"{"a":-}"#,
        r#"{"a":tru}"#,
        r#"{"a":"\x"}"#,
        r#"{"a":"\u12G4"}"#,
        "{\"a\":\"tab\there\"}",
    ];
    for r in refused {
        assert!(fast::parse(r.as_bytes(), 512).is_none(), "accepted {r}");
        assert!(agrees(r.as_bytes()));
    }
    // Invalid UTF-8 inside an ignored string.
    let mut bytes = br#"{"eventName":"x","userAgent":"ab"}"#.to_vec();
    bytes[30] = 0xff;
    assert!(fast::parse(&bytes, 512).is_none());
    // Nesting deeper than the reader's limit.
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(20), "]".repeat(20));
    assert!(fast::parse(deep.as_bytes(), 10).is_none());
    assert!(fast::parse(deep.as_bytes(), 30).is_some());
}

#[test]
fn odd_but_valid_shapes_read_like_serde() {
    let accepted = [
        r#"{"eventName":null,"readOnly":"true","userIdentity":"root","errorCode":[1,{"a":2}]}"#,
        r#"{"readOnly":true,"userIdentity":{"type":{"x":1},"arn":"a","sessionContext":{}}}"#,
        r#"{"Records":[],"eventName":"x"}"#,
        r#"{ "eventName" : "x" , "n" : -0.5e+10 , "a" : [ true , false , null ] }"#,
        r#"{"a":"\"\\\/\b\f\n\r\t\u00e9","eventTime":"t"}"#,
        r#"{}"#,
    ];
    for r in accepted {
        assert!(fast::parse(r.as_bytes(), 512).is_some(), "refused {r}");
        assert!(agrees(r.as_bytes()));
    }
}

proptest! {
    #![proptest_config(crate::events::testdata::cases(3_000))]

    /// Random edits of real and generated records: whatever the fast path accepts, serde accepts
    /// identically.
    #[test]
    fn mutated_records_agree_with_serde(
        which in 0usize..64,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
    ) {
        thread_local! {
            static CORPUS: Vec<String> = {
                let mut c = fixture_records();
                c.truncate(32);
                c.extend(generated(32, 11));
                c
            };
        }
        let bytes = CORPUS.with(|c| mutate(&c[which % c.len()], &edits));
        prop_assert!(agrees(&bytes));
    }
}

proptest! {
    /// The 16-byte scan finds the same stop as a byte-by-byte one, wherever it starts.
    #[test]
    fn plain_end_stops_at_the_first_quote_backslash_or_control(
        bytes in proptest::collection::vec(
            prop_oneof![Just(b'"'), Just(b'\\'), Just(0x1f_u8), Just(0x20_u8), Just(0x7f_u8), Just(0x80_u8), any::<u8>(), Just(b'a')],
            0..80,
        ),
        start in 0usize..80,
    ) {
        let naive = (start..bytes.len())
            .find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..=0x1f))
            .unwrap_or(bytes.len().max(start));
        prop_assert_eq!(fast::plain_end(&bytes, start), naive);
    }
}
