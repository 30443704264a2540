//! [`Evidence`]: a finding's evidence JSON, kept as compact text rather than a value tree.
//!
//! An event scan can hold tens of thousands of findings until the report is written. As a
//! `serde_json::Value`, the who/what/when/where evidence of one event finding is a tree of five
//! B-tree maps and some thirty strings, about 5 KB; as compact JSON text it is its own length
//! (about 1.2 KB for a denied API call). Event findings go further: their text is a sequence of
//! fragments, and the fragments that repeat from finding to finding (the same principal, the
//! same call, the same client) are one shared allocation. When the scan lists a bounded number
//! of findings per rule, most are only counted, so their evidence is not made at all until a
//! report reads it ([`Evidence::deferred`]). Renderers that walk the evidence parse it on
//! demand ([`Evidence::value`]); writing a report turns it back into the same JSON.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Deepest nesting kept as text: `serde_json` refuses to read back text nested deeper than 128
/// levels, so the (never seen in practice) deeper values stay a tree.
const MAX_TEXT_DEPTH: usize = 120;

/// Arbitrary JSON chosen by a policy (for events: who, what, when, from where), stored compactly.
///
/// Its JSON is exactly what `serde_json` writes for the equivalent [`Value`] (object keys
/// sorted), so replacing a `Value` with an `Evidence` changes no output byte.
///
/// ```
/// use trailguard::contract::Evidence;
/// let e = Evidence::from_value(&serde_json::json!({"who": {"arn": "a"}, "eventID": "e1"}));
/// assert_eq!(e.to_json(), r#"{"eventID":"e1","who":{"arn":"a"}}"#);
/// assert_eq!(e.value()["who"]["arn"], "a");
/// ```
#[derive(Clone)]
pub struct Evidence(Repr);

#[derive(Clone)]
enum Repr {
    /// Compact JSON as `serde_json::to_string` writes a `Value` (sorted keys, no spaces).
    Text(Box<str>),
    /// The same, cut into fragments that other findings share.
    Pieces(Box<[Arc<str>]>),
    /// A value nested too deep to be read back from text.
    Tree(Box<Value>),
    /// Made from its source when first read (see [`Evidence::deferred`]).
    Deferred(Arc<Deferred>),
}

/// Evidence made on first read from the text it describes (an event record) and a rule's
/// details.
struct Deferred {
    source: Arc<str>,
    details: Option<Value>,
    make: fn(&str, Option<&Value>) -> Evidence,
    made: OnceLock<Evidence>,
}

impl Deferred {
    fn get(&self) -> &Evidence {
        self.made
            .get_or_init(|| (self.make)(&self.source, self.details.as_ref()))
    }
}

impl Evidence {
    /// No evidence (`null`).
    pub fn null() -> Evidence {
        Evidence(Repr::Text("null".into()))
    }

    pub fn from_value(value: &Value) -> Evidence {
        if depth_exceeds(value, MAX_TEXT_DEPTH) {
            return Evidence(Repr::Tree(Box::new(value.clone())));
        }
        Evidence(Repr::Text(value.to_string().into_boxed_str()))
    }

    /// Evidence whose JSON text is the concatenation of `pieces`, written the way `serde_json`
    /// writes a `Value`: compact, object keys in sorted order, each key once, nested at most
    /// [`MAX_TEXT_DEPTH`] levels. Equality and the report output rely on that form; the event
    /// scan writes it directly instead of building a tree first (tested against
    /// [`Evidence::from_value`]), sharing the pieces that repeat among findings.
    pub(crate) fn from_canonical_pieces(pieces: Vec<Arc<str>>) -> Evidence {
        Evidence(Repr::Pieces(pieces.into_boxed_slice()))
    }

    /// Evidence made by `make(source, details)` when it is first read. An event scan that lists
    /// a bounded number of findings per rule makes most findings only to count and drop them:
    /// this keeps the record's text (shared by the findings of one record) instead of paying
    /// for evidence nobody reads. `make` must be deterministic.
    pub(crate) fn deferred(
        source: Arc<str>,
        details: Option<Value>,
        make: fn(&str, Option<&Value>) -> Evidence,
    ) -> Evidence {
        Evidence(Repr::Deferred(Arc::new(Deferred {
            source,
            details,
            make,
            made: OnceLock::new(),
        })))
    }

    /// The evidence itself: `self`, or what a deferred one is made into.
    fn made(&self) -> &Evidence {
        match &self.0 {
            Repr::Deferred(d) => d.get().made(),
            _ => self,
        }
    }

    /// Whether `details`, put under a key of an evidence object, keeps it within the depth that
    /// [`Evidence::from_canonical_pieces`] accepts.
    pub(crate) fn fits_text(details: &Value) -> bool {
        !depth_exceeds(details, MAX_TEXT_DEPTH - 1)
    }

    /// The evidence as a JSON value (parsed from its text on each call).
    pub fn value(&self) -> Value {
        let this = self.made();
        match this.text() {
            // The text is serde_json's own output, so it always reads back; `Null` is only a
            // guard for a broken `from_canonical_pieces` caller.
            Some(t) => serde_json::from_str(&t).unwrap_or(Value::Null),
            None => match &this.0 {
                Repr::Tree(v) => (**v).clone(),
                _ => Value::Null,
            },
        }
    }

    /// The compact JSON text, as `serde_json::to_string` writes the [`Evidence::value`].
    pub fn to_json(&self) -> String {
        match self.text() {
            Some(t) => t.into_owned(),
            None => self.value().to_string(),
        }
    }

    pub fn is_null(&self) -> bool {
        match &self.made().0 {
            Repr::Text(t) => &**t == "null",
            Repr::Tree(v) => v.is_null(),
            Repr::Pieces(_) | Repr::Deferred(_) => false,
        }
    }

    /// The canonical text, unless the evidence is a tree.
    fn text(&self) -> Option<Cow<'_, str>> {
        match &self.made().0 {
            Repr::Text(t) => Some(Cow::Borrowed(t)),
            Repr::Pieces(p) => Some(Cow::Owned(p.concat())),
            Repr::Tree(_) | Repr::Deferred(_) => None,
        }
    }
}

/// Whether `v` nests arrays/objects more than `limit` levels deep.
fn depth_exceeds(v: &Value, limit: usize) -> bool {
    match v {
        Value::Array(a) => limit == 0 || a.iter().any(|x| depth_exceeds(x, limit - 1)),
        Value::Object(o) => limit == 0 || o.values().any(|x| depth_exceeds(x, limit - 1)),
        _ => false,
    }
}

impl Default for Evidence {
    fn default() -> Evidence {
        Evidence::null()
    }
}

impl From<Value> for Evidence {
    fn from(value: Value) -> Evidence {
        Evidence::from_value(&value)
    }
}

impl From<&Value> for Evidence {
    fn from(value: &Value) -> Evidence {
        Evidence::from_value(value)
    }
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Evidence) -> bool {
        match (self.text(), other.text()) {
            // Both canonical: equal values have equal text.
            (Some(a), Some(b)) => a == b,
            _ => self.value() == other.value(),
        }
    }
}

impl fmt::Debug for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text() {
            Some(t) => f.write_str(&t),
            None => write!(f, "{}", self.value()),
        }
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Tree(v) => v.serialize(serializer),
            // Through a value, not as a raw fragment: the pretty JSON report indents the
            // evidence like the rest of the document.
            _ => self.value().serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Evidence, D::Error> {
        Value::deserialize(deserializer).map(|v| Evidence::from_value(&v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_what_serde_json_writes_for_the_value() {
        let v = json!({"z": 1, "a": {"y": [true, null, 1.5], "b": "q\"\n"}, "m": -3});
        let e = Evidence::from_value(&v);
        assert_eq!(
            e.to_json(),
            r#"{"a":{"b":"q\"\n","y":[true,null,1.5]},"m":-3,"z":1}"#
        );
        assert_eq!(e.value(), v);
        // Pretty output is the value's pretty output, indentation included.
        assert_eq!(
            serde_json::to_string_pretty(&json!({"evidence": e})).unwrap(),
            serde_json::to_string_pretty(&json!({"evidence": v})).unwrap()
        );
    }

    #[test]
    fn null_default_and_equality() {
        assert!(Evidence::default().is_null());
        assert_eq!(Evidence::default(), Evidence::from_value(&Value::Null));
        assert_eq!(serde_json::to_string(&Evidence::null()).unwrap(), "null");
        assert_ne!(
            Evidence::from_value(&json!({"a": 1})),
            Evidence::from_value(&json!({"a": 1.0}))
        );
    }

    #[test]
    fn too_deep_for_text_stays_a_tree_and_round_trips() {
        let mut v = json!("leaf");
        for _ in 0..200 {
            v = json!([v]);
        }
        let e = Evidence::from_value(&v);
        assert!(matches!(e.0, Repr::Tree(_)));
        assert_eq!(e.to_json(), v.to_string());
        assert_eq!(e.value(), v);
        assert_eq!(e, Evidence::from_value(&v));
        let shallow = Evidence::from_value(&json!([[["leaf"]]]));
        assert_eq!(shallow.to_json(), r#"[[["leaf"]]]"#);
    }

    #[test]
    fn pieces_are_one_text() {
        let shared: Arc<str> = Arc::from(r#""b":[1]}"#);
        let e = Evidence::from_canonical_pieces(vec![Arc::from(r#"{"a":"x","#), shared]);
        let v = json!({"a": "x", "b": [1]});
        assert_eq!(e, Evidence::from_value(&v));
        assert_eq!(e.value(), v);
        assert_eq!(format!("{e:?}"), r#"{"a":"x","b":[1]}"#);
        assert_eq!(
            serde_json::to_string_pretty(&e).unwrap(),
            serde_json::to_string_pretty(&v).unwrap()
        );
        assert!(!e.is_null());
    }

    #[test]
    fn deserializes_to_the_canonical_text() {
        let e: Evidence = serde_json::from_str(r#"{ "b" : 2, "a" : [ 1 ] }"#).unwrap();
        assert_eq!(e.to_json(), r#"{"a":[1],"b":2}"#);
    }
}
