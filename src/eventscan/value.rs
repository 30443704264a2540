//! Builds the `regorus::Value` of a candidate record straight from its text, which the reader has
//! already validated: the cost that remains per candidate is the value itself.
//!
//! Compared with `serde_json::from_str::<regorus::Value>` it saves serde's per-token visitor
//! calls, builds each object from its sorted members in one go instead of inserting them one
//! by one, and shares object keys between records: CloudTrail records repeat the same few
//! hundred keys, so each worker keeps them (bounded) and clones a reference instead of
//! allocating a new string per key per record. Anything unusual — an escaped string, a number,
//! nesting past the limit, text that is not what the reader validated — is left to serde: a
//! string or number token is converted by serde itself, and a malformed record is converted
//! by serde as a whole, so errors and edge cases are serde's. A differential test compares the
//! two on the fixture corpus, generated records and mutated records.

use crate::events::plain_end;
use regorus::Value;
use regorus::value::Object;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// Keys kept per worker. CloudTrail's vocabulary is a few hundred keys; request parameters can
/// bring arbitrary ones, so the table stops growing at this size (later keys are allocated).
const MAX_KEYS: usize = 8192;
/// Deeper values go to serde (the reader refuses records past its own depth limit anyway).
const MAX_DEPTH: usize = 128;

/// The hash of the tables looked up per record: keys of a record and event names (the
/// prefilter), and records' text (the memo, about 1.3 KB a key). SipHash's DoS resistance buys
/// nothing for tables whose worst case is a miss; this takes eight bytes per step (byte-wise
/// FNV cost about a microsecond per record text, and more than the rest of the prefilter's
/// lookup per event name) and mixes at the end, so the low bits a table indexes by depend on
/// every byte. Collisions only cost a comparison.
#[derive(Default)]
pub(crate) struct WordHash(u64);

pub(crate) type WordHashBuild = BuildHasherDefault<WordHash>;

const WORD_K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        let h = self.0;
        h ^ (h >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(WORD_K);
        }
        let rest = words.remainder().len();
        if rest > 0 {
            // The last bytes, as the low bytes of a word: read as the key's last eight bytes
            // (no copy) when it has eight, the rest shifted out.
            let word = match bytes.len().checked_sub(8) {
                Some(from) => {
                    let mut last = [0u8; 8];
                    last.copy_from_slice(&bytes[from..]);
                    u64::from_le_bytes(last) >> (8 * (8 - rest))
                }
                None => bytes
                    .iter()
                    .rev()
                    .fold(0u64, |w, &b| (w << 8) | u64::from(b)),
            };
            // The length keeps "a" and "a\0" apart.
            h = (h.rotate_left(5) ^ word ^ ((rest as u64) << 59)).wrapping_mul(WORD_K);
        }
        self.0 = h;
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(WORD_K);
    }
}

/// One worker's builder (it owns the key table).
#[derive(Default)]
pub struct ValueBuilder {
    keys: HashMap<Box<str>, Value, WordHashBuild>,
}

impl ValueBuilder {
    pub fn new() -> ValueBuilder {
        ValueBuilder::default()
    }

    /// The record's value, exactly as `serde_json::from_str::<regorus::Value>(raw)` makes it.
    pub fn build(&mut self, raw: &str) -> Result<Value, serde_json::Error> {
        self.build_without(raw, &[])
    }

    /// The record's value without the top-level members named in `skip` (what a `memoize`
    /// rule sees): the same as building it whole and removing them, without copying the
    /// record's top-level map to do so.
    pub fn build_without(&mut self, raw: &str, skip: &[&str]) -> Result<Value, serde_json::Error> {
        self.build_members(raw, Members::Without(skip))
    }

    /// The record's value with only the top-level members named in `keep` (what a rule's
    /// condition reads, `super::reads`): the others are skipped over, not built.
    pub fn build_only(&mut self, raw: &str, keep: &[String]) -> Result<Value, serde_json::Error> {
        self.build_members(raw, Members::Only(keep))
    }

    fn build_members(
        &mut self,
        raw: &str,
        members: Members<'_>,
    ) -> Result<Value, serde_json::Error> {
        let mut p = Builder {
            text: raw,
            b: raw.as_bytes(),
            i: 0,
            keys: &mut self.keys,
            members,
        };
        match p.value(0) {
            Some(v) if p.ws().is_none() => Ok(v),
            _ => {
                let mut v: Value = serde_json::from_str(raw)?;
                if let Ok(o) = v.as_object_mut() {
                    o.retain(|k, _| matches!(k, Value::String(k) if members.keeps(k)));
                }
                Ok(v)
            }
        }
    }
}

/// Which top-level members of a record to build.
#[derive(Clone, Copy)]
enum Members<'k> {
    Without(&'k [&'k str]),
    Only(&'k [String]),
}

impl Members<'_> {
    fn keeps(&self, key: &str) -> bool {
        match self {
            Members::Without(skip) => !skip.contains(&key),
            Members::Only(keep) => keep.iter().any(|k| k == key),
        }
    }
}

struct Builder<'t, 'k> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
    keys: &'k mut HashMap<Box<str>, Value, WordHashBuild>,
    /// Members of the outermost object to build.
    members: Members<'k>,
}

impl<'t> Builder<'t, '_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) -> Option<u8> {
        loop {
            let c = self.peek()?;
            if matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                self.i += 1;
            } else {
                return Some(c);
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        match self.ws()? {
            b'"' => {
                let s = self.string()?;
                Some(Value::String(s.into()))
            }
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal("true").map(|()| Value::Bool(true)),
            b'f' => self.literal("false").map(|()| Value::Bool(false)),
            b'n' => self.literal("null").map(|()| Value::Null),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let end = self.i + word.len();
        (self.text.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A number token, converted by serde (regorus's own number rules, incl. big numbers).
    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.i += 1;
        }
        serde_json::from_str(self.text.get(start..self.i)?).ok()
    }

    /// The string at `self.i` (its opening quote), unescaped.
    fn string(&mut self) -> Option<std::borrow::Cow<'t, str>> {
        let start = self.i;
        let end = plain_end(self.b, start + 1);
        if self.b.get(end) == Some(&b'"') {
            self.i = end + 1;
            let text: &'t str = self.text;
            return text.get(start + 1..end).map(std::borrow::Cow::Borrowed);
        }
        // An escape (or a control character, which serde refuses): find the closing quote and
        // let serde unescape the token.
        let mut i = end;
        loop {
            match *self.b.get(i)? {
                b'"' => break,
                b'\\' => i += 2,
                _ => i += 1,
            }
            i = plain_end(self.b, i);
        }
        self.i = i + 1;
        serde_json::from_str::<String>(self.text.get(start..=i)?)
            .ok()
            .map(std::borrow::Cow::Owned)
    }

    /// Move past the value at `self.i` without building it (the reader validated the text).
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.ws()? {
                b'"' => {
                    let mut i = self.i + 1;
                    loop {
                        i = plain_end(self.b, i);
                        match *self.b.get(i)? {
                            b'"' => break,
                            b'\\' => i += 2,
                            _ => i += 1,
                        }
                    }
                    self.i = i + 1;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                b',' | b':' if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                b',' | b':' => return None,
                _ => {
                    let start = self.i;
                    while self.peek().is_some_and(|c| {
                        !matches!(c, b',' | b':' | b']' | b'}' | b' ' | b'\n' | b'\t' | b'\r')
                    }) {
                        self.i += 1;
                    }
                    if self.i == start {
                        return None;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    fn key(&mut self) -> Option<Value> {
        let s = self.string()?;
        if let Some(v) = self.keys.get(s.as_ref()) {
            return Some(v.clone());
        }
        let v = Value::String(s.as_ref().into());
        if self.keys.len() < MAX_KEYS {
            self.keys.insert(s.into_owned().into_boxed_str(), v.clone());
        }
        Some(v)
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 1;
        if self.ws()? == b'}' {
            self.i += 1;
            return Some(Value::new_object());
        }
        let mut members = Vec::with_capacity(16);
        loop {
            if self.ws()? != b'"' {
                return None;
            }
            let key = self.key()?;
            if self.ws()? != b':' {
                return None;
            }
            self.i += 1;
            let kept = depth != 1 || matches!(&key, Value::String(k) if self.members.keeps(k));
            if kept {
                let value = self.value(depth)?;
                members.push((key, value));
            } else if let Members::Only(_) = self.members {
                self.skip_value()?;
            } else {
                // Built and dropped: the identity members are small, and building checks them
                // exactly as serde would.
                self.value(depth)?;
            }
            match self.ws()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    // Sorted bulk build; for a repeated key the last value wins, as with serde.
                    // Kept as the map: `Value::from` would copy it once more into regorus's
                    // compact form, which only pays for values that live longer than one record.
                    let map = members.into_iter().collect::<BTreeMap<_, _>>();
                    return Some(Value::Object(regorus::Rc::new(Object::from(map))));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 1;
        let mut items = Vec::new();
        if self.ws()? == b']' {
            self.i += 1;
            return Some(Value::from(items));
        }
        loop {
            items.push(self.value(depth)?);
            match self.ws()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(Value::from(items));
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests;
