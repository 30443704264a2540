//! `AWS::CloudTrail::Trail` and `AWS::CloudTrail::EventDataStore` resources into the model.
//!
//! Property names and defaults follow the CloudFormation resource reference. Note the casing:
//! a Trail's key is `KMSKeyId`, an event data store's `KmsKeyId`. cfn-lint rejects `KmsKeyId`
//! on a Trail and CloudFormation ignores it, so it is not read as encryption (Trivy's adapter
//! reads it and so misjudges every trail).

use serde_json::{Value, json};

use super::bucket::Buckets;
use super::fields::{Cx, Kind};
use super::keys::key_info;
use super::selectors::{data_store_selectors, insight_selectors, trail_selectors};
use super::template::Resource;
use crate::model::{EventDataStore, Field, Trail};

pub(super) const TRAIL: &str = "AWS::CloudTrail::Trail";
pub(super) const EVENT_DATA_STORE: &str = "AWS::CloudTrail::EventDataStore";

pub(super) fn trail<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>, buckets: &Buckets) -> Trail {
    let header = cx.header(r);
    let kms_key_id = cx.field(r, "KMSKeyId", Kind::Str, None);
    let kms_key = key_info(cx, r, "KMSKeyId", &kms_key_id);
    let s3_bucket_name = cx.field(r, "S3BucketName", Kind::Str, None);
    let bucket = buckets.for_trail(&s3_bucket_name);
    let (event_selectors, advanced_event_selectors) = trail_selectors(cx, r, &header);
    Trail {
        id: r.id.to_string(),
        resource_type: TRAIL.to_string(),
        loc: header.clone(),
        name: cx.field(r, "TrailName", Kind::Str, None),
        // Both exist only once the stack is deployed.
        arn: Field::unknown(format!("!GetAtt {}.Arn", r.id), header.clone()),
        home_region: Field::unknown("!Ref AWS::Region", header.clone()),
        // Required by CloudFormation: no default.
        is_logging: cx.field(r, "IsLogging", Kind::Bool, None),
        is_multi_region: cx.field(r, "IsMultiRegionTrail", Kind::Bool, Some(json!(false))),
        is_organization_trail: cx.field(r, "IsOrganizationTrail", Kind::Bool, Some(json!(false))),
        is_shadow: false,
        include_global_service_events: cx.field(
            r,
            "IncludeGlobalServiceEvents",
            Kind::Bool,
            Some(json!(true)),
        ),
        log_file_validation: cx.field(r, "EnableLogFileValidation", Kind::Bool, Some(json!(false))),
        kms_key_id,
        kms_key,
        cloudwatch_logs_group_arn: cx.field(r, "CloudWatchLogsLogGroupArn", Kind::Str, None),
        cloudwatch_logs_role_arn: cx.field(r, "CloudWatchLogsRoleArn", Kind::Str, None),
        sns_topic: cx.field(r, "SnsTopicName", Kind::Str, None),
        s3_bucket_name,
        s3_key_prefix: cx.field(r, "S3KeyPrefix", Kind::Str, None),
        bucket,
        event_selectors,
        advanced_event_selectors,
        insight_selectors: insight_selectors(cx, r, &header),
        status: None,
    }
}

pub(super) fn event_data_store<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>) -> EventDataStore {
    let header = cx.header(r);
    let kms_key_id = cx.field(r, "KmsKeyId", Kind::Str, None);
    let kms_key = key_info(cx, r, "KmsKeyId", &kms_key_id);
    EventDataStore {
        id: r.id.to_string(),
        resource_type: EVENT_DATA_STORE.to_string(),
        loc: header.clone(),
        name: cx.field(r, "Name", Kind::Str, None),
        arn: Field::unknown(
            format!("!GetAtt {}.EventDataStoreArn", r.id),
            header.clone(),
        ),
        retention_period: cx.field(r, "RetentionPeriod", Kind::Num, Some(json!(2557))),
        termination_protection_enabled: cx.field(
            r,
            "TerminationProtectionEnabled",
            Kind::Bool,
            Some(json!(true)),
        ),
        kms_key_id,
        kms_key,
        multi_region_enabled: cx.field(r, "MultiRegionEnabled", Kind::Bool, Some(json!(true))),
        organization_enabled: cx.field(r, "OrganizationEnabled", Kind::Bool, Some(json!(false))),
        advanced_event_selectors: data_store_selectors(cx, r, &header),
        status: ingestion_status(cx.field(r, "IngestionEnabled", Kind::Bool, Some(json!(true)))),
    }
}

/// `IngestionEnabled` in the terms of the live `Status`: `ENABLED` or `STOPPED_INGESTION`.
fn ingestion_status(mut field: Field) -> Field {
    if let Some(Value::Bool(enabled)) = field.value {
        let status = if enabled {
            "ENABLED"
        } else {
            "STOPPED_INGESTION"
        };
        field.value = Some(Value::String(status.to_string()));
    }
    field
}
