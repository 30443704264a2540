//! The cheap per-record header: the few fields that select rules, read from a record's raw JSON
//! text with serde into borrowed strings, without building a full JSON value.
//!
//! Every field is lenient: a field of an unexpected type (`"eventName": 3`, `"userIdentity": "x"`)
//! reads as `None` instead of failing the record. Only text that is not JSON makes a record
//! unparseable; a record of odd shape is still a record, and the rules see its full text.

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The fields of a CloudTrail record that select rules and locate findings. Strings borrow from
/// the record text unless they contain JSON escapes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header<'a> {
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub event_version: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub event_source: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub event_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub event_time: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str", rename = "eventID")]
    pub event_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub event_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub aws_region: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub recipient_account_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub error_code: Option<Cow<'a, str>>,
    #[serde(
        borrow,
        default,
        deserialize_with = "lenient_str",
        rename = "sourceIPAddress"
    )]
    pub source_ip_address: Option<Cow<'a, str>>,
    /// `readOnly`; the strings `"true"`/`"false"` are accepted as well as JSON booleans.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub read_only: Option<bool>,
    #[serde(borrow, default, deserialize_with = "lenient_identity")]
    pub user_identity: Option<Identity<'a>>,
    /// The object has a `Records` key: it is a batch, not a record (the reader's fast path
    /// checks this to hand batches to the streaming path).
    #[serde(default, rename = "Records", deserialize_with = "present")]
    pub(crate) batch: bool,
    /// The top-level fields the reader's fast path saw, one bit each ([`super::fast`]); 0 from
    /// serde (nothing known). Tells "no such member" from "not a string" where it matters.
    #[serde(skip)]
    pub(crate) seen: u32,
}

/// The part of `userIdentity` that rules select on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity<'a> {
    #[serde(borrow, default, deserialize_with = "lenient_str", rename = "type")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub arn: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub access_key_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    pub invoked_by: Option<Cow<'a, str>>,
}

impl<'a> Header<'a> {
    /// Read the header of one record. Fails only when `raw` is not a JSON object (or not JSON).
    pub fn parse(raw: &'a str) -> Result<Header<'a>, serde_json::Error> {
        // serde's derived struct visitor also accepts a sequence (fields by position): a record
        // is an object, so refuse arrays before serde maps `[1,2]` onto the fields.
        if !raw.trim_start().starts_with('{') {
            return Err(de::Error::custom("a record must be a JSON object"));
        }
        serde_json::from_str(raw)
    }

    /// Whether the object is a CloudTrail record: it has `eventVersion`, or `eventTime` with
    /// `eventName` or `eventType` (Insights records have no `eventName`). Lambda event-source
    /// records (S3 notifications, DynamoDB/Kinesis/SQS batches) share those keys but name their
    /// source `aws:<service>`, never `<service>.amazonaws.com`, so they are rejected.
    pub fn is_event(&self) -> bool {
        let lambda_source = self
            .event_source
            .as_deref()
            .is_some_and(|s| s.starts_with("aws:"));
        let shaped = self.event_version.is_some()
            || (self.event_time.is_some()
                && (self.event_name.is_some() || self.event_type.is_some()));
        shaped && !lambda_source
    }

    /// Whether the record certainly has no member for the top-level string field `k` (only the
    /// fast path knows; `false` when unsure).
    pub fn lacks(&self, k: crate::eventscan::index::Known) -> bool {
        self.seen & super::fast::FAST_SEEN != 0
            && super::fast::seen_bit(k).is_some_and(|bit| self.seen & bit == 0)
    }

    /// `userIdentity.type`, the most used index key after `eventName`.
    pub fn identity_type(&self) -> Option<&str> {
        self.user_identity.as_ref()?.kind.as_deref()
    }
}

/// Any JSON value, read as a string when it is one (borrowed unless escaped), else `None`.
pub(crate) struct MaybeStr<'a>(pub Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for MaybeStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MaybeStr<'de>, D::Error> {
        d.deserialize_any(StrVisitor).map(MaybeStr)
    }
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(d).map(|_| true)
}

fn lenient_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(StrVisitor)
}

fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor)
}

fn lenient_identity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Identity<'de>>, D::Error> {
    d.deserialize_any(IdentityVisitor)
}

/// Consume and drop a map or sequence (a field of the wrong type); still validates its JSON.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<(), A::Error> {
    IgnoredAny::deserialize(SeqAccessDeserializer::new(seq)).map(|_| ())
}

/// Implements every non-matching `visit_*` as "not this type": `Ok(None)`.
macro_rules! other_types_are_none {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            drain_seq(seq).map(|()| None)
        }
    };
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|()| None)
    }
    other_types_are_none!();
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|()| None)
    }
}

struct IdentityVisitor;

impl<'de> Visitor<'de> for IdentityVisitor {
    type Value = Option<Identity<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Identity::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    other_types_are_none!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_selecting_fields_and_borrows_them() {
        let raw = r#"{"eventVersion":"1.10","eventSource":"cloudtrail.amazonaws.com",
            "eventName":"StopLogging","eventTime":"2024-07-31T13:06:24Z","eventID":"10163ed2",
            "eventType":"AwsApiCall","awsRegion":"us-east-1","recipientAccountId":"143434273843",
            "errorCode":"AccessDenied","sourceIPAddress":"86.245.153.234","readOnly":false,
            "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/c","accessKeyId":"AKIA",
            "invokedBy":"signin.amazonaws.com","sessionContext":{"x":[1,2]}},
            "requestParameters":{"name":"t"},"responseElements":null}"#;
        let h = Header::parse(raw).unwrap();
        assert_eq!(h.event_name.as_deref(), Some("StopLogging"));
        assert!(matches!(h.event_name, Some(Cow::Borrowed(_))));
        assert_eq!(h.event_id.as_deref(), Some("10163ed2"));
        assert_eq!(h.source_ip_address.as_deref(), Some("86.245.153.234"));
        assert_eq!(h.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(h.read_only, Some(false));
        assert_eq!(h.identity_type(), Some("IAMUser"));
        let id = h.user_identity.as_ref().unwrap();
        assert_eq!(id.invoked_by.as_deref(), Some("signin.amazonaws.com"));
        assert_eq!(id.access_key_id.as_deref(), Some("AKIA"));
        assert!(h.is_event());
        // The reader's fast path also says which string fields the record lacks (serde does
        // not): none here; below, no errorCode at all, and an awsRegion that is null.
        use crate::eventscan::index::Known;
        let fast = |raw: &'static str| super::super::fast::parse(raw.as_bytes(), 64).unwrap().0;
        assert!(!h.lacks(Known::ErrorCode) && !fast(raw).lacks(Known::ErrorCode));
        let odd = fast(r#"{"eventName":"X","awsRegion":null,"eventSource":{}}"#);
        assert!(odd.lacks(Known::ErrorCode) && odd.lacks(Known::SourceIpAddress));
        assert!(!odd.lacks(Known::EventName) && !odd.lacks(Known::AwsRegion));
        assert!(!odd.lacks(Known::EventSource) && !odd.lacks(Known::IdentityType));
        let serde = Header::parse(r#"{"eventName":"X"}"#).unwrap();
        assert!(
            !serde.lacks(Known::ErrorCode),
            "serde's header knows nothing missing"
        );
    }

    #[test]
    fn wrong_types_read_as_none_instead_of_failing() {
        let raw = r#"{"eventVersion":1.08,"eventName":["x"],"eventTime":"t","readOnly":"true",
            "userIdentity":"root","errorCode":null,"awsRegion":{"a":{"b":1}}}"#;
        let h = Header::parse(raw).unwrap();
        assert_eq!(h.event_version, None);
        assert_eq!(h.event_name, None);
        assert_eq!(h.read_only, Some(true));
        assert_eq!(h.user_identity, None);
        assert_eq!(h.error_code, None);
        assert_eq!(h.aws_region, None);
        assert!(!h.is_event(), "eventTime alone is not enough");
    }

    #[test]
    fn escaped_strings_are_unescaped() {
        let h = Header::parse(r#"{"eventName":"A\u0042C","eventTime":"t"}"#).unwrap();
        assert_eq!(h.event_name.as_deref(), Some("ABC"));
        assert!(h.is_event());
    }

    #[test]
    fn insight_records_and_lambda_records_are_told_apart() {
        let insight = Header::parse(
            r#"{"eventVersion":"1.07","eventTime":"2024-01-01T00:00:00Z",
                "eventType":"AwsCloudTrailInsight","insightDetails":{"state":"Start"}}"#,
        )
        .unwrap();
        assert!(insight.is_event());
        let s3_notification = Header::parse(
            r#"{"eventVersion":"2.1","eventSource":"aws:s3","eventTime":"2024-01-01T00:00:00Z",
                "eventName":"ObjectCreated:Put"}"#,
        )
        .unwrap();
        assert!(!s3_notification.is_event());
    }

    #[test]
    fn invalid_json_and_non_objects_fail() {
        assert!(Header::parse(r#"{"eventName":"x",}"#).is_err());
        assert!(Header::parse("[1,2]").is_err());
        assert!(Header::parse(r#"{"eventName":"x"} trailing"#).is_err());
    }
}
