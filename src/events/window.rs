//! Time windows (`--since`/`--until`): RFC 3339 timestamps, the per-record `eventTime` check, and
//! the date in S3 delivery keys that lets whole files and day directories be pruned unopened.
//!
//! Timestamps are parsed, not compared as strings: `eventTime` is always `...Z` in CloudTrail, but
//! the re-serialised records of other tools carry fractions or offsets, and a string comparison
//! of `2024-01-01T10:00:00+02:00` against `2024-01-01T09:00:00Z` is wrong.

use std::path::{Component, Path};

/// An instant: seconds since the Unix epoch (UTC) and nanoseconds within the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

/// A day as `(year, month, day)`, e.g. from an S3 key.
pub type Day = (u16, u8, u8);

impl Timestamp {
    /// Midnight UTC at the start of a calendar day; `None` for an invalid date.
    pub fn from_day((y, m, d): Day) -> Option<Timestamp> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Timestamp {
            secs: days_from_civil(i64::from(y), m, d) * 86_400,
            nanos: 0,
        })
    }

    /// Parse an RFC 3339 timestamp (`2024-07-31T13:06:24Z`, `2024-07-31T15:06:24.5+02:00`).
    /// The offset is required, as RFC 3339 says; a lowercase `t`/`z` or a space separator is
    /// accepted.
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let (local, rest) = parse_local(s.as_bytes())?;
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let hours = two_digits(*h1, *h2)?;
                let minutes = two_digits(*m1, *m2)?;
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let off = i64::from(hours) * 3600 + i64::from(minutes) * 60;
                if *sign == b'+' { off } else { -off }
            }
            _ => return None,
        };
        Some(Timestamp {
            secs: local.secs - offset,
            nanos: local.nanos,
        })
    }

    /// Parse a window bound as typed on a command line: RFC 3339, or a date `YYYY-MM-DD`
    /// (midnight UTC), or a date-time without offset (taken as UTC).
    pub fn parse_bound(s: &str) -> Result<Timestamp, String> {
        let s = s.trim();
        if let Some(t) = Timestamp::parse_rfc3339(s) {
            return Ok(t);
        }
        let b = s.as_bytes();
        if b.len() == 10
            && let Some(day) = parse_day(b)
        {
            return Timestamp::from_day(day).ok_or_else(|| format!("invalid date `{s}`"));
        }
        match parse_local(b) {
            Some((t, [])) => Ok(t),
            _ => Err(format!(
                "invalid time `{s}`: expected RFC 3339 (2024-07-31T13:06:24Z) or a date (2024-07-31)"
            )),
        }
    }
}

/// Parse `YYYY-MM-DD[Tt ]HH:MM:SS[.fraction]` and return the instant as if UTC plus the bytes
/// after it (the offset).
fn parse_local(b: &[u8]) -> Option<(Timestamp, &[u8])> {
    if b.len() < 19 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, m, d) = parse_day(&b[..10])?;
    let hour = two_digits(b[11], b[12])?;
    let minute = two_digits(b[14], b[15])?;
    let second = two_digits(b[17], b[18])?;
    // 60 is a leap second, which RFC 3339 allows.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos: u32 = 0;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for (i, c) in tail[..digits].iter().enumerate() {
            if i < 9 {
                nanos = nanos * 10 + u32::from(c - b'0');
            }
        }
        for _ in digits..9 {
            nanos *= 10;
        }
        rest = &tail[digits..];
    }
    let days = days_from_civil(i64::from(y), m, d);
    let secs = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    Some((Timestamp { secs, nanos }, rest))
}

fn parse_day(b: &[u8]) -> Option<Day> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = u16::from(two_digits(b[0], b[1])?) * 100 + u16::from(two_digits(b[2], b[3])?);
    let m = two_digits(b[5], b[6])?;
    let d = two_digits(b[8], b[9])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

fn two_digits(a: u8, b: u8) -> Option<u8> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Some((a - b'0') * 10 + (b - b'0'))
    } else {
        None
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// How many days before its S3 key's date a delivered file may still hold events. CloudTrail
/// delivers "typically within about 5 minutes" but does not guarantee it, and a file delivered
/// just after midnight holds the previous evening's events; one whole day of slack keeps pruning
/// from ever dropping an in-window record in practice.
pub const S3_DELIVERY_SLACK_DAYS: i64 = 1;

/// The half-open window `since <= eventTime < until`; either side may be open. Half-open so that
/// `--since 2024-07-01 --until 2024-08-01` is exactly July and adjacent windows never overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeWindow {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// Where a record's `eventTime` falls relative to a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowCheck {
    Inside,
    Outside,
    /// The window is bounded and the record has no parseable `eventTime`.
    NoTime,
}

impl TimeWindow {
    pub fn is_unbounded(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    pub fn contains(&self, t: Timestamp) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }

    /// Check a record's `eventTime`. An unbounded window accepts everything without parsing.
    pub fn check(&self, event_time: Option<&str>) -> WindowCheck {
        if self.is_unbounded() {
            return WindowCheck::Inside;
        }
        match event_time.and_then(Timestamp::parse_rfc3339) {
            None => WindowCheck::NoTime,
            Some(t) if self.contains(t) => WindowCheck::Inside,
            Some(_) => WindowCheck::Outside,
        }
    }

    /// Whether a file (or day directory) whose S3 key is dated `day` may hold a record inside the
    /// window: its records lie in `[day - S3_DELIVERY_SLACK_DAYS, day + 1)`.
    pub fn may_contain_s3_day(&self, day: Day) -> bool {
        let Some(start) = Timestamp::from_day(day) else {
            return true;
        };
        let first = start.secs - S3_DELIVERY_SLACK_DAYS * 86_400;
        let end = start.secs + 86_400;
        self.since.is_none_or(|s| s.secs < end) && self.until.is_none_or(|u| u.secs > first)
    }
}

/// The date in a CloudTrail S3 delivery key,
/// `…/AWSLogs/[o-<org id>/]<account>/CloudTrail[-Insight|-Digest]/<region>/YYYY/MM/DD[/<file>]`,
/// for a file or a day directory; `None` for any other path.
pub fn s3_key_date(path: &Path) -> Option<Day> {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    (0..parts.len()).find_map(|i| date_after_awslogs(parts.get(i..)?))
}

fn date_after_awslogs(parts: &[&str]) -> Option<Day> {
    let (first, mut rest) = parts.split_first()?;
    if *first != "AWSLogs" {
        return None;
    }
    if rest.first()?.starts_with("o-") {
        rest = rest.get(1..)?;
    }
    let [account, service, region, year, month, day, ..] = rest else {
        return None;
    };
    let is_account = account.len() == 12 && account.bytes().all(|c| c.is_ascii_digit());
    let is_service = matches!(
        *service,
        "CloudTrail" | "CloudTrail-Insight" | "CloudTrail-Digest"
    );
    if !is_account || !is_service || region.is_empty() || year.len() != 4 {
        return None;
    }
    parse_day(format!("{year}-{month}-{day}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn parses_rfc3339_with_offsets_and_fractions() {
        assert_eq!(ts("1970-01-01T00:00:00Z"), Timestamp { secs: 0, nanos: 0 });
        assert_eq!(ts("2024-07-31T13:06:24Z").secs, 1_722_431_184);
        assert_eq!(ts("2024-07-31T15:06:24+02:00"), ts("2024-07-31T13:06:24Z"));
        assert_eq!(ts("2024-07-31t13:06:24.25z").nanos, 250_000_000);
        assert_eq!(ts("2000-02-29T00:00:00-00:30").secs, 951_784_200);
        for bad in [
            "2024-07-31T13:06:24",
            "2024-02-30T00:00:00Z",
            "2024-07-31T24:00:00Z",
            "2024-07-31T13:06:24.Z",
            "2024-07-31T13:06:24Zjunk",
            "",
            "2024-7-31T13:06:24Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn bounds_accept_dates_and_offsetless_times_as_utc() {
        assert_eq!(
            Timestamp::parse_bound("2024-07-31").unwrap(),
            ts("2024-07-31T00:00:00Z")
        );
        assert_eq!(
            Timestamp::parse_bound("2024-07-31T13:00:00").unwrap(),
            ts("2024-07-31T13:00:00Z")
        );
        assert!(
            Timestamp::parse_bound("yesterday")
                .unwrap_err()
                .contains("RFC 3339")
        );
        assert_eq!(
            Timestamp::parse_bound("2023-02-29").unwrap_err(),
            "invalid time `2023-02-29`: expected RFC 3339 (2024-07-31T13:06:24Z) or a date (2024-07-31)"
        );
    }

    #[test]
    fn window_is_half_open_and_reports_missing_times() {
        let w = TimeWindow {
            since: Some(ts("2024-07-31T00:00:00Z")),
            until: Some(ts("2024-08-01T00:00:00Z")),
        };
        assert_eq!(w.check(Some("2024-07-31T00:00:00Z")), WindowCheck::Inside);
        assert_eq!(
            w.check(Some("2024-07-31T23:59:59.999Z")),
            WindowCheck::Inside
        );
        assert_eq!(w.check(Some("2024-08-01T00:00:00Z")), WindowCheck::Outside);
        assert_eq!(
            w.check(Some("2024-08-01T01:00:00+02:00")),
            WindowCheck::Inside
        );
        assert_eq!(w.check(Some("2024-07-30T23:59:59Z")), WindowCheck::Outside);
        assert_eq!(w.check(Some("31/07/2024")), WindowCheck::NoTime);
        assert_eq!(w.check(None), WindowCheck::NoTime);
        assert_eq!(TimeWindow::default().check(None), WindowCheck::Inside);
    }

    #[test]
    fn s3_days_are_pruned_with_one_day_of_delivery_slack() {
        let w = TimeWindow {
            since: Some(ts("2024-07-10T00:00:00Z")),
            until: Some(ts("2024-07-12T00:00:00Z")),
        };
        assert!(!w.may_contain_s3_day((2024, 7, 9)));
        assert!(w.may_contain_s3_day((2024, 7, 10)));
        assert!(w.may_contain_s3_day((2024, 7, 11)));
        // Delivered on the 12th, may hold events from the 11th.
        assert!(w.may_contain_s3_day((2024, 7, 12)));
        assert!(!w.may_contain_s3_day((2024, 7, 13)));
        let open = TimeWindow {
            since: Some(ts("2024-07-10T12:00:00Z")),
            until: None,
        };
        assert!(!open.may_contain_s3_day((2024, 7, 9)));
        assert!(open.may_contain_s3_day((2030, 1, 1)));
    }

    #[test]
    fn reads_dates_from_s3_delivery_keys() {
        let file = Path::new(
            "bucket/prefix/AWSLogs/123456789012/CloudTrail/us-east-1/2024/07/31/\
             123456789012_CloudTrail_us-east-1_20240731T1305Z_abcdefghijklmnop.json.gz",
        );
        assert_eq!(s3_key_date(file), Some((2024, 7, 31)));
        let org_day_dir = Path::new(
            "/logs/AWSLogs/o-abc123def4/123456789012/CloudTrail-Insight/eu-west-1/2023/12/01",
        );
        assert_eq!(s3_key_date(org_day_dir), Some((2023, 12, 1)));
        assert_eq!(
            s3_key_date(Path::new(
                "AWSLogs/123456789012/CloudTrail/us-east-1/2024/07"
            )),
            None
        );
        assert_eq!(
            s3_key_date(Path::new(
                "AWSLogs/1234/CloudTrail/us-east-1/2024/07/31/f.json"
            )),
            None
        );
        assert_eq!(
            s3_key_date(Path::new(
                "AWSLogs/123456789012/Config/us-east-1/2024/07/31/f"
            )),
            None
        );
        assert_eq!(
            s3_key_date(Path::new(
                "AWSLogs/123456789012/CloudTrail/us-east-1/2024/02/30/f"
            )),
            None
        );
    }
}
