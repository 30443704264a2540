//! One describe-trails entry plus its matched get-trail-status / get-event-selectors /
//! get-insight-selectors outputs -> [`Trail`].

use super::read::{Src, boolean, string};
use super::{selectors, status};
use crate::adapters::InputError;
use crate::model::{Field, KeyInfo, Trail, key_managed_by};
use serde_json::Value;

/// The per-trail outputs matched to a describe-trails entry.
#[derive(Default, Clone, Copy)]
pub(super) struct Parts<'a> {
    pub status: Option<Src<'a>>,
    pub selectors: Option<Src<'a>>,
    pub insights: Option<Src<'a>>,
}

pub(super) fn trail(
    entry: Src,
    arn: &str,
    is_shadow: bool,
    parts: Parts,
    errors: &mut Vec<InputError>,
) -> Trail {
    let header = entry.loc();
    let absent = || Field::absent(header.clone());
    let defaulted = |v: bool| Field::defaulted(Value::Bool(v), header.clone());
    let mut s = |key: &str| string(entry, key, errors).unwrap_or_else(absent);
    let name = s("Name");
    let arn_field = s("TrailARN");
    let home_region = s("HomeRegion");
    let kms_key_id = s("KmsKeyId");
    let cloudwatch_logs_group_arn = s("CloudWatchLogsLogGroupArn");
    let cloudwatch_logs_role_arn = s("CloudWatchLogsRoleArn");
    let s3_bucket_name = s("S3BucketName");
    let s3_key_prefix = s("S3KeyPrefix");
    // SnsTopicName is deprecated in the API in favour of SnsTopicARN; either says "configured".
    let sns_topic = match entry.get("SnsTopicARN") {
        Some(_) => s("SnsTopicARN"),
        None => s("SnsTopicName"),
    };
    // Missing booleans take the documented CreateTrail defaults, as in the IaC adapters.
    let mut b = |key: &str, default: bool| {
        boolean(entry, key, errors).unwrap_or_else(|| defaulted(default))
    };
    let is_multi_region = b("IsMultiRegionTrail", false);
    let is_organization_trail = b("IsOrganizationTrail", false);
    let include_global_service_events = b("IncludeGlobalServiceEvents", true);
    let log_file_validation = b("LogFileValidationEnabled", false);
    let has_selectors = entry
        .get("HasCustomEventSelectors")
        .and_then(|v| v.node.as_bool());
    let has_insights = entry
        .get("HasInsightSelectors")
        .and_then(|v| v.node.as_bool());

    let kms_key = kms_key_id.is_known().then(|| {
        let managed_by = kms_key_id
            .value
            .as_ref()
            .and_then(Value::as_str)
            .map_or("unknown", key_managed_by);
        KeyInfo {
            managed_by: managed_by.to_string(),
            resource_id: None,
            rotation_enabled: Field::unknown(
                "kms get-key-rotation-status not exported",
                kms_key_id.loc.clone(),
            ),
        }
    });

    let (is_logging, status) = match parts.status {
        Some(st) => (
            status::is_logging(st, errors),
            Some(status::trail_status(st, errors)),
        ),
        None => (
            Field::unknown("get-trail-status not exported", header.clone()),
            None,
        ),
    };

    let (event_selectors, advanced_event_selectors) = match parts.selectors {
        Some(sel) => from_selectors_file(sel, errors),
        None => match has_selectors {
            Some(false) => (
                Field::defaulted(selectors::default_classic(), header.clone()),
                absent(),
            ),
            _ => (
                Field::unknown("get-event-selectors not exported", header.clone()),
                Field::unknown("get-event-selectors not exported", header.clone()),
            ),
        },
    };

    let insight_selectors = match parts.insights {
        Some(ins) => match ins.get("InsightSelectors") {
            Some(list) => checked(selectors::insights(list), list, errors),
            None => Field::defaulted(Value::Array(Vec::new()), ins.loc()),
        },
        None => match has_insights {
            Some(false) => Field::defaulted(Value::Array(Vec::new()), header.clone()),
            _ => Field::unknown("get-insight-selectors not exported", header.clone()),
        },
    };

    Trail {
        id: arn.to_string(),
        resource_type: "AWS::CloudTrail::Trail".to_string(),
        loc: header,
        name,
        arn: arn_field,
        home_region,
        is_logging,
        is_multi_region,
        is_organization_trail,
        is_shadow,
        include_global_service_events,
        log_file_validation,
        kms_key_id,
        kms_key,
        cloudwatch_logs_group_arn,
        cloudwatch_logs_role_arn,
        sns_topic,
        s3_bucket_name,
        s3_key_prefix,
        bucket: None,
        event_selectors,
        advanced_event_selectors,
        insight_selectors,
        status,
    }
}

/// A normalized list as a known Field at `at`, or the error and an unknown Field.
fn checked(value: Result<Value, InputError>, at: Src, errors: &mut Vec<InputError>) -> Field {
    match value {
        Ok(v) => Field::known(v, at.loc()),
        Err(e) => {
            let note = e.message.clone();
            errors.push(e);
            Field::unknown(at.text(), at.loc()).with_note(note)
        }
    }
}

/// (classic, advanced) from a get-event-selectors output. AWS returns one of the two lists;
/// a non-empty advanced list wins, as AWS would have replaced the classic ones with it.
fn from_selectors_file(sel: Src, errors: &mut Vec<InputError>) -> (Field, Field) {
    let header = sel.loc();
    let advanced = sel
        .get("AdvancedEventSelectors")
        .filter(|a| !(a.node.is_seq() && a.node.items().is_empty()));
    match (advanced, sel.get("EventSelectors")) {
        (Some(adv), _) => (
            Field::absent(header),
            checked(selectors::advanced(adv), adv, errors),
        ),
        (None, Some(classic)) => (
            checked(selectors::classic(classic), classic, errors),
            Field::absent(header),
        ),
        // Neither list: the trail records what a trail without selectors records.
        (None, None) => (
            Field::defaulted(selectors::default_classic(), header.clone()),
            Field::absent(header),
        ),
    }
}
