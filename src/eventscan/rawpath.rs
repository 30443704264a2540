//! Selector fields the header does not carry (`requestParameters.withDecryption`, say), read
//! from the record's text without building a value: the members on the way are skipped, not
//! parsed. Only candidates of a rule's earlier selector conditions get here, so the cost is
//! paid by few records.
//!
//! The answer is never wrong in the direction that would hide a record from a rule: whatever
//! this cannot settle (a key that does not decode, text that is not what the reader validated)
//! is [`Field::Unknown`], which keeps the record a candidate.

use super::index::Field;
use crate::events::plain_end;
use std::borrow::Cow;

/// The value at a dotted `path` in the record `raw` (an object's text).
pub fn lookup<'a>(raw: &'a str, path: &str) -> Field<'a> {
    let b = raw.as_bytes();
    let mut at = ws(b, 0);
    for seg in path.split('.') {
        if b.get(at) != Some(&b'{') {
            // A path through a scalar or an array is undefined in Rego, like a missing key.
            return match b.get(at) {
                Some(_) => Field::Absent,
                None => Field::Unknown,
            };
        }
        match member(b, at, seg) {
            Some(Some(v)) => at = v,
            Some(None) => return Field::Absent,
            None => return Field::Unknown,
        }
    }
    classify(raw, at)
}

/// The record `raw` without its top-level members named in `drop`, written to `out` (cleared):
/// the text of the other members, in order, each followed by a comma. Records whose texts are
/// equal this way are equal values once those members are removed (the same text always reads
/// as the same value), which is what a memoized rule sees. `None` when `raw` is not an object
/// or a key does not decode.
pub fn without_members(raw: &str, drop: &[&str], out: &mut Vec<u8>) -> Option<()> {
    out.clear();
    let b = raw.as_bytes();
    let mut i = ws(b, 0);
    if *b.get(i)? != b'{' {
        return None;
    }
    i = ws(b, i + 1);
    if *b.get(i)? == b'}' {
        return Some(());
    }
    loop {
        if *b.get(i)? != b'"' {
            return None;
        }
        let start = i;
        let close = string_end(b, i)?;
        let key = raw.get(i + 1..close - 1)?;
        let dropped = if key.contains('\\') {
            let decoded: String = serde_json::from_str(raw.get(i..close)?).ok()?;
            drop.contains(&decoded.as_str())
        } else {
            drop.contains(&key)
        };
        i = ws(b, close);
        if *b.get(i)? != b':' {
            return None;
        }
        let end = skip(b, ws(b, i + 1))?;
        if !dropped {
            out.extend_from_slice(b.get(start..end)?);
            out.push(b',');
        }
        i = ws(b, end);
        match *b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => return Some(()),
            _ => return None,
        }
    }
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\n' | b'\t' | b'\r'))
    {
        i += 1;
    }
    i
}

/// Where the value of member `key` of the object at `open` starts (the last one, as with a
/// JSON parser, if the key repeats); `Some(None)` when there is none, `None` when unsure.
fn member(b: &[u8], open: usize, key: &str) -> Option<Option<usize>> {
    let mut i = ws(b, open + 1);
    if *b.get(i)? == b'}' {
        return Some(None);
    }
    let mut found = None;
    loop {
        if *b.get(i)? != b'"' {
            return None;
        }
        let end = plain_end(b, i + 1);
        let is_key = if *b.get(end)? == b'"' {
            let name = b.get(i + 1..end)?;
            i = end + 1;
            name == key.as_bytes()
        } else {
            // An escape in the key: decode it, it might spell `key`.
            let close = string_end(b, i)?;
            let token = std::str::from_utf8(b.get(i..close)?).ok()?;
            i = close;
            serde_json::from_str::<String>(token).ok()? == key
        };
        i = ws(b, i);
        if *b.get(i)? != b':' {
            return None;
        }
        i = ws(b, i + 1);
        if is_key {
            found = Some(i);
        }
        i = ws(b, skip(b, i)?);
        match *b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => return Some(found),
            _ => return None,
        }
    }
}

/// The end of the value starting at `i` (one past its last byte).
fn skip(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *b.get(j)? {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r'))
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// One past the closing quote of the string whose opening quote is at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = plain_end(b, i + 1);
    loop {
        match *b.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
        j = plain_end(b, j);
    }
}

fn classify(raw: &str, at: usize) -> Field<'_> {
    let b = raw.as_bytes();
    let Some(&c) = b.get(at) else {
        return Field::Unknown;
    };
    match c {
        b'{' | b'[' => Field::Present,
        b'"' => {
            let end = plain_end(b, at + 1);
            if b.get(end) == Some(&b'"') {
                return raw
                    .get(at + 1..end)
                    .map_or(Field::Unknown, |s| Field::Text(Cow::Borrowed(s)));
            }
            string_end(b, at)
                .and_then(|e| raw.get(at..e))
                .and_then(|token| serde_json::from_str::<String>(token).ok())
                .map_or(Field::Unknown, |s| Field::Text(Cow::Owned(s)))
        }
        _ => match skip(b, at).and_then(|e| raw.get(at..e)) {
            Some("null") => Field::Absent,
            Some(token @ ("true" | "false")) => Field::Text(Cow::Borrowed(token)),
            Some(token) if token.parse::<f64>().is_ok() => Field::Text(Cow::Borrowed(token)),
            _ => Field::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Field<'_> {
        Field::Text(Cow::Borrowed(s))
    }

    #[test]
    fn finds_fields_at_any_depth() {
        let raw = r#"{"eventName":"GetParameter","requestParameters":{"name":"/app/db",
            "withDecryption":true,"n":3,"tags":[{"k":"}"}],"o":{"x":null}},"errorCode":null}"#;
        assert_eq!(lookup(raw, "eventName"), text("GetParameter"));
        assert_eq!(
            lookup(raw, "requestParameters.withDecryption"),
            text("true")
        );
        assert_eq!(lookup(raw, "requestParameters.n"), text("3"));
        assert_eq!(lookup(raw, "requestParameters.name"), text("/app/db"));
        assert_eq!(lookup(raw, "requestParameters.tags"), Field::Present);
        assert_eq!(lookup(raw, "requestParameters.o.x"), Field::Absent);
        assert_eq!(lookup(raw, "requestParameters.o.y"), Field::Absent);
        assert_eq!(lookup(raw, "errorCode"), Field::Absent);
        assert_eq!(lookup(raw, "eventName.x"), Field::Absent);
        assert_eq!(lookup(raw, "missing.x"), Field::Absent);
    }

    #[test]
    fn escapes_are_decoded_or_left_to_the_rule() {
        let raw = r#"{"a":"x\"y","b\u0061":"1","c":"\u00e9"}"#;
        assert_eq!(lookup(raw, "a"), Field::Text(Cow::Owned("x\"y".into())));
        assert_eq!(lookup(raw, "c"), Field::Text(Cow::Owned("é".into())));
        assert_eq!(lookup(raw, "ba"), text("1"));
        // A key that does not decode: unsure, so the record stays a candidate.
        assert_eq!(lookup(r#"{"\ud800":1,"a":"2"}"#, "a"), Field::Unknown);
        // A repeated key: the last one counts, as for every JSON parser here.
        assert_eq!(lookup(r#"{"k":"1","k":"2"}"#, "k"), text("2"));
        assert_eq!(lookup("{", "k"), Field::Unknown);
        assert_eq!(lookup("", "k"), Field::Unknown);
    }

    const PATHS: &[&str] = &[
        "eventName",
        "errorCode",
        "readOnly",
        "userIdentity.type",
        "userIdentity.sessionContext.sessionIssuer.userName",
        "requestParameters.withDecryption",
        "requestParameters.bucketName",
        "requestParameters.instanceType",
        "responseElements",
        "additionalEventData.MFAUsed",
        "a.b",
    ];

    #[test]
    fn members_are_left_out_by_name() {
        let drop = ["eventID", "eventTime"];
        let mut a = Vec::new();
        let mut b = Vec::new();
        without_members(
            r#"{"eventID":"1","x":{"eventID":"k"}, "eventTime" : "t1","y":[1,"}"]}"#,
            &drop,
            &mut a,
        )
        .unwrap();
        without_members(
            r#"{"x":{"eventID":"k"},"event\u0049D":"2","eventTime":"t2","y":[1,"}"]}"#,
            &drop,
            &mut b,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&a),
            r#""x":{"eventID":"k"},"y":[1,"}"],"#
        );
        assert_eq!(a, b);
        assert!(without_members("[1]", &drop, &mut a).is_none());
        assert!(without_members(r#"{"\ud800":1}"#, &drop, &mut a).is_none());
        without_members("{ }", &drop, &mut a).unwrap();
        assert!(a.is_empty());
    }

    proptest! {
        /// Equal texts without the members mean equal values without them.
        #[test]
        fn text_without_members_reads_as_the_value_without_them(
            which in 0usize..64,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..3),
        ) {
            let corpus = crate::events::testdata::generated(64, 11);
            let raw = String::from_utf8(crate::events::testdata::mutate(&corpus[which], &edits)).unwrap_or_default();
            let Ok(serde_json::Value::Object(mut whole)) = serde_json::from_str::<serde_json::Value>(&raw) else {
                return Ok(());
            };
            let drop = ["eventID", "eventTime", "requestID"];
            let mut out = Vec::new();
            if without_members(&raw, &drop, &mut out).is_some() {
                for k in drop {
                    whole.remove(k);
                }
                let text = format!("{{{}}}", String::from_utf8_lossy(&out).trim_end_matches(','));
                let reread: serde_json::Value = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(reread, serde_json::Value::Object(whole));
            }
        }
    }

    /// What the full parse says, in the same terms.
    fn reference<'v>(v: &'v serde_json::Value, path: &str) -> Field<'v> {
        let mut cur = v;
        for seg in path.split('.') {
            match cur.get(seg) {
                Some(next) if cur.is_object() => cur = next,
                _ => return Field::Absent,
            }
        }
        match cur {
            serde_json::Value::Null => Field::Absent,
            serde_json::Value::String(s) => Field::Text(Cow::Borrowed(s)),
            serde_json::Value::Bool(b) => {
                Field::Text(Cow::Borrowed(if *b { "true" } else { "false" }))
            }
            serde_json::Value::Number(_) => Field::Unknown,
            _ => Field::Present,
        }
    }

    fn agree(raw: &str, path: &str) -> Result<(), TestCaseError> {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else {
            return Ok(());
        };
        let got = lookup(raw, path);
        match (reference(&v, path), &got) {
            // Unknown is always allowed; a number's text is its token.
            (_, Field::Unknown) | (Field::Unknown, Field::Text(_)) => {}
            (want, got) => prop_assert_eq!(&want, got, "{} in {}", path, raw),
        }
        Ok(())
    }

    #[test]
    fn agrees_with_the_full_parse_on_the_corpus() {
        for raw in crate::events::testdata::stratus_records() {
            for path in PATHS {
                agree(&raw, path).unwrap();
            }
        }
    }

    proptest! {
        // `PROPTEST_CASES` raises the count for long runs (docs/robustness.md).
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
        ))]

        #[test]
        fn agrees_with_the_full_parse_on_mutated_records(
            which in 0usize..64,
            path in 0usize..PATHS.len(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
        ) {
            thread_local! {
                static CORPUS: Vec<String> = {
                    let mut c = crate::events::testdata::generated(32, 7);
                    c.extend(crate::events::testdata::stratus_records().into_iter().take(32));
                    c
                };
            }
            let bytes = CORPUS.with(|c| crate::events::testdata::mutate(&c[which % c.len()], &edits));
            if let Ok(raw) = String::from_utf8(bytes) {
                agree(&raw, PATHS[path])?;
            }
        }
    }
}
