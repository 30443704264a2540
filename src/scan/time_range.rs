//! The first and last `eventTime` of the records read: checked on every record, so kept cheap.

/// The first and last event times seen, as the records write them.
#[derive(Debug, Default)]
pub struct TimeRange {
    pub first: Option<String>,
    pub last: Option<String>,
}

impl TimeRange {
    /// Take a record's time into the range. Logs are mostly in time order, so `last` changes
    /// on nearly every record: its buffer is reused instead of allocating a string per record.
    /// A time after the last cannot be before the first: most records cost one comparison.
    pub fn see(&mut self, t: &str) {
        match self.last.as_deref() {
            Some(l) if text_cmp(t, l).is_gt() => set_text(&mut self.last, t),
            Some(_)
                if self
                    .first
                    .as_deref()
                    .is_some_and(|f| text_cmp(t, f).is_ge()) => {}
            Some(_) => set_text(&mut self.first, t),
            None => {
                set_text(&mut self.last, t);
                set_text(&mut self.first, t);
            }
        }
    }
}

/// `a.cmp(b)` for texts the length of a timestamp, without a call to `memcmp` per record
/// (about 9 ns each, 1.7 per record where records are not in time order): the first sixteen
/// bytes as two big-endian words, whose order is the bytes' order, then the rest.
fn text_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match (a.first_chunk::<16>(), b.first_chunk::<16>()) {
        (Some(x), Some(y)) => {
            let words = |c: &[u8; 16]| {
                let (hi, lo) = c.split_at(8);
                (
                    u64::from_be_bytes(hi.try_into().unwrap_or_default()),
                    u64::from_be_bytes(lo.try_into().unwrap_or_default()),
                )
            };
            words(x).cmp(&words(y)).then_with(|| {
                let (a, b) = (&a[16..], &b[16..]);
                a.iter()
                    .zip(b)
                    .map(|(x, y)| x.cmp(y))
                    .find(|o| o.is_ne())
                    .unwrap_or_else(|| a.len().cmp(&b.len()))
            })
        }
        _ => a.cmp(b),
    }
}

fn set_text(slot: &mut Option<String>, text: &str) {
    match slot {
        Some(s) => {
            s.clear();
            s.push_str(text);
        }
        None => *slot = Some(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Texts compare as `str` does, timestamps or not.
        #[test]
        fn text_cmp_is_str_order(
            a in "(2024-0[1-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?Z)|.{0,30}",
            b in "(2024-0[1-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?Z)|.{0,30}",
        ) {
            prop_assert_eq!(super::text_cmp(&a, &b), a.cmp(&b));
            prop_assert_eq!(super::text_cmp(&a, &a), std::cmp::Ordering::Equal);
        }
    }

    #[test]
    fn the_range_keeps_the_first_and_last_times() {
        let mut r = super::TimeRange::default();
        for t in [
            "2024-05-01T12:00:00Z",
            "2024-05-01T11:00:00Z",
            "2024-05-01T13:00:00Z",
            "2024-05-01T12:30:00Z",
        ] {
            r.see(t);
        }
        assert_eq!(r.first.as_deref(), Some("2024-05-01T11:00:00Z"));
        assert_eq!(r.last.as_deref(), Some("2024-05-01T13:00:00Z"));
    }

    #[test]
    fn text_cmp_orders_timestamps() {
        use std::cmp::Ordering::*;
        let t = super::text_cmp;
        assert_eq!(t("2024-05-01T12:34:56Z", "2024-05-01T12:34:57Z"), Less);
        assert_eq!(t("2024-05-01T12:34:56.5Z", "2024-05-01T12:34:56Z"), Less);
        assert_eq!(t("2024-05-02T00:00:00Z", "2024-05-01T23:59:59Z"), Greater);
        assert_eq!(t("2024-05-01T12:34:56Z", "2024-05-01T12:34:56Z"), Equal);
        assert_eq!(t("2024-05-01T12:34:56Z", "2024-05-01T12:34:56"), Greater);
    }
}
