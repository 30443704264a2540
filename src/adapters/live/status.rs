//! get-trail-status output -> `Trail.is_logging` and [`TrailStatus`], times as RFC 3339.
//!
//! The CLI prints timestamps as ISO 8601 strings (v2's default `cli_timestamp_format`) or as
//! epoch seconds (v1's default, the wire format); policies compare one form, so both become
//! RFC 3339 UTC strings (`2024-03-01T10:15:30.123Z`).

use super::read::{Src, string, type_name, wrong_type};
use crate::adapters::InputError;
use crate::model::{Field, TrailStatus};
use crate::syntax::NodeKind;
use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde_json::Value;

/// `IsLogging` of a status file; a status without it is damaged, so the value is unknown.
pub(super) fn is_logging(status: Src, errors: &mut Vec<InputError>) -> Field {
    match status.get("IsLogging") {
        Some(v) => match v.node.as_bool() {
            Some(b) => Field::known(Value::Bool(b), v.loc()),
            None => wrong_type(v, "IsLogging", "a boolean", errors),
        },
        None => {
            errors.push(status.error("get-trail-status output without IsLogging"));
            Field::unknown("IsLogging missing from get-trail-status", status.loc())
        }
    }
}

/// The delivery-health fields of a status file. Missing attributes are absent (the API omits
/// an error that did not happen and a time that never occurred); so are empty strings, which
/// older CLI versions print for the same.
pub(super) fn trail_status(status: Src, errors: &mut Vec<InputError>) -> TrailStatus {
    let header = status.loc();
    let mut error_field = |key: &str| match string(status, key, errors) {
        Some(f) if f.value == Some(Value::String(String::new())) => {
            Field::absent(f.loc).with_note(format!("{key} is empty"))
        }
        Some(f) => f,
        None => Field::absent(header.clone()),
    };
    let latest_delivery_error = error_field("LatestDeliveryError");
    let latest_notification_error = error_field("LatestNotificationError");
    let latest_cloudwatch_logs_delivery_error = error_field("LatestCloudWatchLogsDeliveryError");
    let latest_digest_delivery_error = error_field("LatestDigestDeliveryError");
    let mut time = |key: &str| time_field(status, key, errors);
    TrailStatus {
        loc: header.clone(),
        latest_delivery_error,
        latest_notification_error,
        latest_cloudwatch_logs_delivery_error,
        latest_digest_delivery_error,
        latest_delivery_time: time("LatestDeliveryTime"),
        latest_cloudwatch_logs_delivery_time: time("LatestCloudWatchLogsDeliveryTime"),
        latest_digest_delivery_time: time("LatestDigestDeliveryTime"),
        start_logging_time: time("StartLoggingTime"),
        stop_logging_time: time("StopLoggingTime"),
    }
}

fn time_field(status: Src, key: &str, errors: &mut Vec<InputError>) -> Field {
    let Some(v) = status.get(key) else {
        return Field::absent(status.loc());
    };
    if v.as_str() == Some("") {
        return Field::absent(v.loc()).with_note(format!("{key} is empty"));
    }
    let parsed = match &v.node.kind {
        NodeKind::Number(text) => epoch(text),
        NodeKind::String(text) => iso(text).or_else(|| epoch(text.trim())),
        _ => return wrong_type(v, key, "a timestamp", errors),
    };
    match parsed {
        Some(t) => Field::known(
            Value::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            v.loc(),
        ),
        None => {
            errors.push(v.error(format!(
                "{key} is not a timestamp (expected ISO 8601 or epoch seconds), found {}",
                v.text()
            )));
            Field::unknown(v.text(), v.loc()).with_note(format!(
                "{key} is {} that is not a timestamp",
                type_name(v.node)
            ))
        }
    }
}

/// Epoch seconds with an optional fraction, read from the decimal text so no precision is lost
/// (an f64 cannot hold a nanosecond-precise 2024 epoch). Exponent forms go through f64.
pub(super) fn epoch(text: &str) -> Option<DateTime<Utc>> {
    if text.contains(['e', 'E']) {
        let secs: f64 = text.parse().ok()?;
        if !secs.is_finite() {
            return None;
        }
        let millis = (secs * 1000.0).round();
        // i64 milliseconds cover ±292 million years; anything beyond is not a CloudTrail time.
        if millis.abs() > 1e15 {
            return None;
        }
        return DateTime::from_timestamp_millis(millis as i64);
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = int.parse().ok()?;
    let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
    let nanos: u32 = digits.parse().ok()?;
    if secs < 0 && nanos > 0 {
        // "-1.5" means 1.5 s before the epoch: whole seconds down, fraction back up.
        return DateTime::from_timestamp(secs.checked_sub(1)?, 1_000_000_000 - nanos);
    }
    DateTime::from_timestamp(secs, nanos)
}

/// ISO 8601 as the CLI prints it: with an offset (`+00:00`, `Z`) or, rarely, without one
/// (read as UTC, which is what the API returns).
pub(super) fn iso(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(t: Option<DateTime<Utc>>) -> Option<String> {
        t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    #[test]
    fn normalizes_epoch_seconds() {
        assert_eq!(
            rfc(epoch("1709287530.123")).as_deref(),
            Some("2024-03-01T10:05:30.123Z")
        );
        assert_eq!(
            rfc(epoch("1709287530")).as_deref(),
            Some("2024-03-01T10:05:30Z")
        );
        assert_eq!(
            rfc(epoch("1.709287530123E9")).as_deref(),
            Some("2024-03-01T10:05:30.123Z")
        );
        assert_eq!(
            rfc(epoch("-1.5")).as_deref(),
            Some("1969-12-31T23:59:58.500Z")
        );
        assert_eq!(epoch("12abc"), None);
        assert_eq!(epoch("-9223372036854775808.5"), None);
        assert_eq!(epoch("1e400"), None);
    }

    #[test]
    fn normalizes_iso_strings_to_utc() {
        assert_eq!(
            rfc(iso("2024-03-01T11:05:30.123000+01:00")).as_deref(),
            Some("2024-03-01T10:05:30.123Z")
        );
        assert_eq!(
            rfc(iso("2024-03-01T10:05:30+0000")).as_deref(),
            Some("2024-03-01T10:05:30Z")
        );
        assert_eq!(
            rfc(iso("2024-03-01T10:05:30")).as_deref(),
            Some("2024-03-01T10:05:30Z")
        );
        assert_eq!(iso("yesterday"), None);
    }
}
