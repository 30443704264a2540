//! Results of `memoize` rules, reused across records that differ only in their identity fields.
//!
//! Findings repeat: the same principal is denied the same call again and again, the same
//! deployment role updates the same function. A rule whose METADATA says `memoize: true` is
//! evaluated on the record without [`IDENTITY_FIELDS`], so its result is a function of the rest
//! of the record by construction, not by promise. Each worker keys that result on the record's
//! text without those members (`rawpath::without_members`): a later record with the same text
//! gets the stored result without a value being built or the rule being evaluated. Findings are
//! still made from each record itself (its eventID, location and evidence).
//!
//! The tables are per rule and per worker; a worker's tables are emptied when their keys reach
//! [`BUDGET`] bytes, so memory stays bounded whatever the archive.

use super::rawpath::without_members;
use crate::contract::IDENTITY_FIELDS;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// Bytes of keys a worker keeps (all rules together) before its tables start again: about
/// 3,000 CloudTrail records' worth, and a bound whatever the records' size. 16 MB kept the same
/// hits on the benchmark archive and cost 15-20 MB of peak memory and 2-3% of the time (memory
/// first touched is slow to fault in).
const BUDGET: usize = 4 << 20;

/// The identity fields as regorus keys, made once.
static IDENTITY_KEYS: LazyLock<[regorus::Value; 4]> =
    LazyLock::new(|| IDENTITY_FIELDS.map(regorus::Value::from));

/// The record value a `memoize` rule is evaluated on: `record` without its identity fields.
pub fn without_identity(record: &regorus::Value) -> regorus::Value {
    let mut v = record.clone();
    if let Ok(o) = v.as_object_mut() {
        for k in IDENTITY_KEYS.iter() {
            o.remove(k);
        }
    }
    v
}

/// The current record's key.
enum Key {
    NotYet,
    /// The record's text could not be cut (not an object, a key that does not decode): no
    /// reuse for this record; the rule is evaluated as usual.
    None,
    Ready,
}

/// One rule's results by record text (without the identity members).
type Table = HashMap<Box<[u8]>, Items, super::value::WordHashBuild>;

/// A rule's `deny` entries for a record, shared by the memo and the records that reuse them.
type Items = Arc<[serde_json::Value]>;

pub struct Memo {
    tables: Vec<Table>,
    key: Key,
    buf: Vec<u8>,
    /// Bytes of keys held in `tables`.
    held: usize,
    /// Lookups answered from a table, and not (for tests and the benchmark).
    pub hits: u64,
    pub misses: u64,
}

impl Memo {
    pub fn new(rules: usize) -> Memo {
        Memo {
            tables: (0..rules).map(|_| HashMap::default()).collect(),
            key: Key::NotYet,
            buf: Vec::with_capacity(2048),
            held: 0,
            hits: 0,
            misses: 0,
        }
    }

    /// Forget the previous record's key.
    pub fn new_record(&mut self) {
        self.key = Key::NotYet;
    }

    /// Rule `rule`'s stored result for a record whose text is `raw`.
    pub fn get(&mut self, rule: usize, raw: &str) -> Option<&Items> {
        if let Key::NotYet = self.key {
            self.key = match without_members(raw, &IDENTITY_FIELDS, &mut self.buf) {
                Some(()) => Key::Ready,
                None => Key::None,
            };
        }
        if !matches!(self.key, Key::Ready) {
            return None;
        }
        match self.tables.get(rule)?.get(&self.buf[..]) {
            Some(items) => {
                self.hits += 1;
                Some(items)
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    /// Store rule `rule`'s result for the current record (after a [`Memo::get`] that missed).
    pub fn put(&mut self, rule: usize, items: &Items) {
        if !matches!(self.key, Key::Ready) {
            return;
        }
        // A huge record is not worth a sixty-fourth of the budget.
        if self.buf.len() > BUDGET / 64 {
            return;
        }
        if self.held + self.buf.len() > BUDGET {
            self.tables.iter_mut().for_each(HashMap::clear);
            self.held = 0;
        }
        let Some(table) = self.tables.get_mut(rule) else {
            return;
        };
        self.held += self.buf.len();
        table.insert(self.buf.as_slice().into(), items.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_equal_but_for_identity_share_a_result() {
        let a = r#"{"eventID":"1","eventTime":"t1","requestID":"r1","eventName":"X","errorCode":"AccessDenied"}"#;
        let b = r#"{"errorCode":"AccessDenied","eventID":"2","eventName":"X"}"#;
        let c = r#"{"eventID":"3","eventName":"X","errorCode":"AccessDenied2"}"#;
        let mut m = Memo::new(2);
        m.new_record();
        assert!(m.get(1, a).is_none());
        m.put(1, &Arc::from([serde_json::json!({"msg": "x"})]));
        m.new_record();
        // `b` writes the other members in another order: a different text, so no reuse.
        assert!(m.get(1, b).is_none());
        m.new_record();
        let a2 = a.replace("\"1\"", "\"9\"").replace("t1", "t9");
        assert_eq!(m.get(1, &a2).map(|i| i.len()), Some(1));
        assert!(m.get(0, &a2).is_none(), "tables are per rule");
        m.new_record();
        assert!(m.get(1, c).is_none());
        m.new_record();
        assert!(m.get(1, "[1]").is_none());
        m.put(1, &Arc::from([]));
        assert_eq!((m.hits, m.misses), (1, 4));
    }

    #[test]
    fn the_value_loses_exactly_the_identity_fields() {
        let v = regorus::Value::from_json_str(
            r#"{"eventID":"1","eventTime":"t","requestID":"r","sharedEventID":"s","eventName":"X","x":{"eventID":"k"}}"#,
        )
        .unwrap();
        let w = without_identity(&v);
        assert_eq!(
            w,
            regorus::Value::from_json_str(r#"{"eventName":"X","x":{"eventID":"k"}}"#).unwrap()
        );
        assert_eq!(
            v["eventID"],
            regorus::Value::from("1"),
            "the record is untouched"
        );
    }
}
