//! Builds the normalized document from Terraform resources: trails and event data stores with
//! Terraform's documented defaults, their KMS keys, and their buckets.

use super::TfResource;
use super::bucket::{buckets, find};
use super::keys::{KEY_TYPES, key_info};
use super::render::{Coerce, Ctx, Spec};
use super::selectors::{advanced_selectors, insight_selectors, trail_selectors};
use crate::adapters::InputError;
use crate::model::{Document, EventDataStore, Field, Format, Trail};
use serde_json::{Value, json};

/// The document for `resources` (every resource of the plan or module, in source order).
pub(crate) fn build(
    format: Format,
    path: &str,
    resources: &[TfResource],
) -> (Document, Vec<InputError>) {
    let ctx = Ctx::new(resources);
    let mut errors = Vec::new();
    let mut doc = Document::new(format, path);
    doc.buckets = buckets(&ctx, resources, &mut errors);
    for r in resources {
        match r.rtype.as_str() {
            "aws_cloudtrail" => {
                let mut trail = trail(&ctx, resources, r);
                if let Some(i) = r
                    .get("s3_bucket_name")
                    .and_then(|v| find(&ctx, &doc.buckets, v))
                {
                    trail.bucket = doc.buckets.get(i).cloned();
                }
                doc.trails.push(trail);
            }
            "aws_cloudtrail_event_data_store" => {
                doc.event_data_stores
                    .push(event_data_store(&ctx, resources, r));
            }
            _ => {}
        }
    }
    (doc, errors)
}

/// Not set in configuration, assigned by AWS: reads as unknown, never as absent.
fn computed(ctx: &Ctx, r: &TfResource, attr: &str) -> Field {
    match r.get(attr) {
        Some(v) => ctx.field(Some(v), &r.header, &Spec::plain(Coerce::Str)),
        None => Field::unknown(
            "assigned by AWS when the resource is created",
            r.header.clone(),
        ),
    }
}

fn trail(ctx: &Ctx, all: &[TfResource], r: &TfResource) -> Trail {
    let h = &r.header;
    let text = |attr: &str| ctx.field(r.get(attr), h, &Spec::plain(Coerce::Str));
    let flag = |attr: &str, default: bool| {
        ctx.field(
            r.get(attr),
            h,
            &Spec::default(Coerce::Bool, Value::Bool(default)),
        )
    };
    let to =
        |attr: &str, targets: &[&str]| ctx.field(r.get(attr), h, &Spec::refs(Coerce::Str, targets));
    let (event_selectors, advanced_event_selectors) = trail_selectors(ctx, r);
    Trail {
        id: r.address.clone(),
        resource_type: r.rtype.clone(),
        loc: h.clone(),
        name: text("name"),
        arn: computed(ctx, r, "arn"),
        home_region: computed(ctx, r, "home_region"),
        is_logging: flag("enable_logging", true),
        is_multi_region: flag("is_multi_region_trail", false),
        is_organization_trail: flag("is_organization_trail", false),
        is_shadow: false,
        include_global_service_events: flag("include_global_service_events", true),
        log_file_validation: flag("enable_log_file_validation", false),
        kms_key_id: to("kms_key_id", &KEY_TYPES),
        kms_key: key_info(ctx, all, r.get("kms_key_id")),
        cloudwatch_logs_group_arn: to("cloud_watch_logs_group_arn", &["aws_cloudwatch_log_group"]),
        cloudwatch_logs_role_arn: to("cloud_watch_logs_role_arn", &["aws_iam_role"]),
        sns_topic: to("sns_topic_name", &["aws_sns_topic"]),
        s3_bucket_name: to("s3_bucket_name", &["aws_s3_bucket"]),
        s3_key_prefix: text("s3_key_prefix"),
        bucket: None,
        event_selectors,
        advanced_event_selectors,
        insight_selectors: insight_selectors(ctx, r),
        status: None,
    }
}

fn event_data_store(ctx: &Ctx, all: &[TfResource], r: &TfResource) -> EventDataStore {
    let h = &r.header;
    let flag = |attr: &str, default: bool| {
        ctx.field(
            r.get(attr),
            h,
            &Spec::default(Coerce::Bool, Value::Bool(default)),
        )
    };
    EventDataStore {
        id: r.address.clone(),
        resource_type: r.rtype.clone(),
        loc: h.clone(),
        name: ctx.field(r.get("name"), h, &Spec::plain(Coerce::Str)),
        arn: computed(ctx, r, "arn"),
        retention_period: ctx.field(
            r.get("retention_period"),
            h,
            &Spec::default(Coerce::Number, json!(2557)),
        ),
        termination_protection_enabled: flag("termination_protection_enabled", true),
        kms_key_id: ctx.field(r.get("kms_key_id"), h, &Spec::refs(Coerce::Str, &KEY_TYPES)),
        kms_key: key_info(ctx, all, r.get("kms_key_id")),
        multi_region_enabled: flag("multi_region_enabled", true),
        organization_enabled: flag("organization_enabled", false),
        advanced_event_selectors: advanced_selectors(ctx, r),
        status: Field::absent(h.clone()),
    }
}
