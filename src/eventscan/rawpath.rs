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
        // The last member of that name counts, as with a JSON parser if the key repeats.
        let mut found = None;
        if members(raw, at, |key, _, value, _| {
            if key == seg {
                found = Some(value);
            }
        })
        .is_none()
        {
            return Field::Unknown;
        }
        match found {
            Some(v) => at = v,
            None => return Field::Absent,
        }
    }
    classify(raw, at)
}

/// Whether the value at a dotted `path` may be one of `allowed` (compared as [`lookup`]'s
/// text): `false` only when it certainly is not, found without walking the record. In a record
/// without a backslash every key is written as it reads, so the member's value follows one of
/// the places where its key's text appears in quotes before a colon; when none of those
/// values is allowed, the member's is not either. Otherwise (an allowed value there, or a
/// backslash anywhere) the answer is `true` and [`lookup`] decides: for `GetParameter` records,
/// whose `withDecryption` is mostly `false`, this costs a few hundred instructions against
/// the walk's seven thousand.
pub fn may_hold(raw: &str, path: &str, allowed: &[Box<str>]) -> bool {
    let b = raw.as_bytes();
    if memchr::memchr(b'\\', b).is_some() {
        return true;
    }
    let key = path.rsplit('.').next().unwrap_or(path);
    let mut quoted = Vec::with_capacity(key.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(key.as_bytes());
    quoted.push(b'"');
    memchr::memmem::find_iter(b, &quoted).any(|at| {
        let colon = ws(b, at + quoted.len());
        if b.get(colon) != Some(&b':') {
            return false;
        }
        let start = ws(b, colon + 1);
        let token = match b.get(start) {
            // Without backslashes, the next quote closes the string.
            Some(b'"') => memchr::memchr(b'"', &b[start + 1..])
                .and_then(|n| raw.get(start + 1..start + 1 + n)),
            Some(b'{' | b'[') | None => None,
            Some(_) => skip(b, start).and_then(|end| raw.get(start..end)),
        };
        token.is_some_and(|t| allowed.iter().any(|a| **a == *t))
    })
}

/// The record `raw` without its top-level members named in `drop`, written to `out` (cleared):
/// the text of the other members, in order, each followed by a comma. Records whose texts are
/// equal this way are equal values once those members are removed (the same text always reads
/// as the same value), which is what a memoized rule sees. `None` when `raw` is not an object
/// or a key does not decode.
pub fn without_members(raw: &str, drop: &[&str], out: &mut Vec<u8>) -> Option<()> {
    out.clear();
    let b = raw.as_bytes();
    members(raw, ws(b, 0), |key, start, _, end| {
        if !drop.contains(&key) {
            out.extend_from_slice(&b[start..end]);
            out.push(b',');
        }
    })
}

/// The top-level members of `raw` named in `keep`, as JSON values (a later duplicate wins, as
/// when the whole record is parsed). `None` as for [`without_members`], or when a kept member's
/// text does not parse.
pub fn member_values(
    raw: &str,
    keep: &[String],
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut out = serde_json::Map::new();
    let mut ok = true;
    let b = raw.as_bytes();
    members(raw, ws(b, 0), |key, _, value, end| {
        if ok && keep.iter().any(|k| k == key) {
            match raw.get(value..end).map(serde_json::from_str) {
                Some(Ok(v)) => {
                    out.insert(key.to_string(), v);
                }
                _ => ok = false,
            }
        }
    })?;
    ok.then_some(out)
}

/// Walk the members of the object whose `{` is at `open`, calling
/// `each(key, member start, value start, value end)` with the key unescaped; `None` (after
/// calling `each` for the members before) when the text is not such an object or a key does
/// not decode.
fn members(raw: &str, open: usize, mut each: impl FnMut(&str, usize, usize, usize)) -> Option<()> {
    let b = raw.as_bytes();
    if *b.get(open)? != b'{' {
        return None;
    }
    let mut i = ws(b, open + 1);
    if *b.get(i)? == b'}' {
        return Some(());
    }
    loop {
        if *b.get(i)? != b'"' {
            return None;
        }
        let start = i;
        let (key, after) = string_at(raw, i)?;
        i = ws(b, after);
        if *b.get(i)? != b':' {
            return None;
        }
        let value = ws(b, i + 1);
        let end = skip(b, value)?;
        each(&key, start, value, end);
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

/// The string whose opening quote is at `i`, unescaped (by serde when it has escapes), and one
/// past its closing quote; `None` when it does not decode.
fn string_at(raw: &str, i: usize) -> Option<(Cow<'_, str>, usize)> {
    let b = raw.as_bytes();
    let end = plain_end(b, i + 1);
    if b.get(end) == Some(&b'"') {
        return Some((Cow::Borrowed(raw.get(i + 1..end)?), end + 1));
    }
    let close = string_end(b, i)?;
    let text: String = serde_json::from_str(raw.get(i..close)?).ok()?;
    Some((Cow::Owned(text), close))
}

fn classify(raw: &str, at: usize) -> Field<'_> {
    let b = raw.as_bytes();
    let Some(&c) = b.get(at) else {
        return Field::Unknown;
    };
    match c {
        b'{' | b'[' => Field::Present,
        b'"' => string_at(raw, at).map_or(Field::Unknown, |(s, _)| Field::Text(s)),
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

    /// Generated and Stratus records, kept per thread, with 1–3 byte edits.
    fn mutated(which: usize, edits: &[(usize, u8, u8)]) -> Option<String> {
        thread_local! {
            static CORPUS: Vec<String> = {
                let mut c = crate::events::testdata::generated(32, 7);
                c.extend(crate::events::testdata::stratus_records().into_iter().take(32));
                c
            };
        }
        let bytes = CORPUS.with(|c| crate::events::testdata::mutate(&c[which % c.len()], edits));
        String::from_utf8(bytes).ok()
    }

    proptest! {
        #![proptest_config(crate::events::testdata::cases(2_000))]

        /// Equal texts without the members mean equal values without them.
        #[test]
        fn text_without_members_reads_as_the_value_without_them(
            which in 0usize..64,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..3),
        ) {
            let raw = mutated(which, &edits).unwrap_or_default();
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

        #[test]
        fn agrees_with_the_full_parse_on_mutated_records(
            which in 0usize..64,
            path in 0usize..PATHS.len(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
        ) {
            if let Some(raw) = mutated(which, &edits) {
                agree(&raw, PATHS[path])?;
            }
        }

        /// Never rules out a value the walk finds.
        #[test]
        fn may_hold_agrees_with_the_walk_on_mutated_records(
            which in 0usize..64,
            path in 0usize..PATHS.len(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
        ) {
            if let Some(raw) = mutated(which, &edits)
                && let Field::Text(v) = lookup(&raw, PATHS[path])
            {
                let allowed: Vec<Box<str>> = vec!["other".into(), v.as_ref().into()];
                prop_assert!(may_hold(&raw, PATHS[path], &allowed), "{} in {}", PATHS[path], raw);
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
    fn may_hold_rules_out_only_what_the_walk_would() {
        let allowed: Vec<Box<str>> = vec!["true".into()];
        let p = "requestParameters.withDecryption";
        let no = |raw: &str| !may_hold(raw, p, &allowed);
        assert!(no(
            r#"{"requestParameters":{"name":"/a","withDecryption":false}}"#
        ));
        assert!(no(r#"{"requestParameters":{"name":"/a"}}"#));
        assert!(no(r#"{"requestParameters":{"withDecryption":{"x":true}}}"#));
        // The key's text as a value is not a key.
        assert!(no(r#"{"k":"withDecryption","v":true}"#));
        assert!(!no(r#"{"requestParameters":{"withDecryption" : true}}"#));
        assert!(!no(r#"{"requestParameters":{"withDecryption":"true"}}"#));
        // Elsewhere in the record: the walk decides.
        assert!(!no(r#"{"responseElements":{"withDecryption":true}}"#));
        // A backslash anywhere: the key may be escaped.
        assert!(!no(r#"{"requestParameters":{"with\u0044ecryption":true}}"#));
        assert!(!no(
            r#"{"a":"\"","requestParameters":{"withDecryption":false}}"#
        ));
    }

    #[test]
    fn agrees_with_the_full_parse_on_the_corpus() {
        for raw in crate::events::testdata::stratus_records() {
            for path in PATHS {
                agree(&raw, path).unwrap();
            }
        }
    }
}
