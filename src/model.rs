//! The normalized trail model: what every adapter produces and every config policy reads.
//!
//! One policy covers CloudFormation, Terraform (plan and HCL) and live exports because all of
//! them are adapted into this shape. The JSON form is the policy author's API and is documented
//! in `docs/model.md`; keep the two in step.
//!
//! Every attribute is a [`Field`]: three-state (known / absent / unknown) and carrying the
//! source location of the attribute, or of the resource header when the attribute is missing.

use serde::Serialize;
use serde_json::Value;

/// A source location inside a document, 1-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Loc {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Loc {
    pub fn new(path: &str, span: crate::syntax::Span) -> Loc {
        Loc {
            path: path.to_string(),
            line: span.line.max(1),
            column: span.column.max(1),
            end_line: span.end_line.max(span.line).max(1),
            end_column: span.end_column.max(1),
        }
    }

    /// Line 1, column 1 of a file: used when nothing narrower is known.
    pub fn file(path: &str) -> Loc {
        Loc {
            path: path.to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// The value is in the source (or resolved from it).
    Known,
    /// The attribute is not set. `value` then holds the documented default, if there is one.
    Absent,
    /// The attribute is set but its value cannot be known statically (an unresolvable intrinsic,
    /// a Terraform value known only after apply, a variable without default...).
    Unknown,
}

/// What a reference (`!Ref`, `!GetAtt`, `aws_s3_bucket.logs.id`) resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// `resource` (a resource in the same document) or `parameter` (a parameter's default).
    pub kind: String,
    /// Logical id, Terraform address, or parameter name.
    pub id: String,
    /// Resource type (`AWS::KMS::Key`, `aws_kms_key`), when `kind` is `resource`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

/// One attribute of a resource, three-state, with its location.
///
/// Policies test `f.value` (undefined when unknown, so an unknown value never fails a check) and
/// `f.state == "absent"` for missing attributes. `f.loc` always points somewhere useful.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub state: State,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// True when `value` is the documented default for an absent attribute.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub defaulted: bool,
    pub loc: Loc,
    /// Source text of an expression (intrinsic, reference) that produced or hid the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Resolved>,
    /// Human note for evidence, e.g. "resolved from parameter KmsKey's Default".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Field {
    pub fn known(value: Value, loc: Loc) -> Field {
        Field {
            state: State::Known,
            value: Some(value),
            defaulted: false,
            loc,
            expr: None,
            resolved: None,
            note: None,
        }
    }

    /// Missing attribute without a default; `loc` should be the resource header.
    pub fn absent(loc: Loc) -> Field {
        Field {
            state: State::Absent,
            value: None,
            defaulted: false,
            loc,
            expr: None,
            resolved: None,
            note: None,
        }
    }

    /// Missing attribute whose documented default applies.
    pub fn defaulted(value: Value, loc: Loc) -> Field {
        Field {
            state: State::Absent,
            value: Some(value),
            defaulted: true,
            loc,
            expr: None,
            resolved: None,
            note: None,
        }
    }

    pub fn unknown(expr: impl Into<String>, loc: Loc) -> Field {
        Field {
            state: State::Unknown,
            value: None,
            defaulted: false,
            loc,
            expr: Some(expr.into()),
            resolved: None,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Field {
        self.note = Some(note.into());
        self
    }

    pub fn with_expr(mut self, expr: impl Into<String>) -> Field {
        self.expr = Some(expr.into());
        self
    }

    pub fn with_resolved(mut self, resolved: Resolved) -> Field {
        self.resolved = Some(resolved);
        self
    }

    pub fn is_known(&self) -> bool {
        self.state == State::Known
    }
}

/// Input format of a document, as policies see it in `input.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Format {
    #[serde(rename = "cloudformation")]
    CloudFormation,
    #[serde(rename = "terraform-plan")]
    TerraformPlan,
    #[serde(rename = "terraform-hcl")]
    TerraformHcl,
    #[serde(rename = "live-export")]
    LiveExport,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::TerraformPlan => "terraform-plan",
            Format::TerraformHcl => "terraform-hcl",
            Format::LiveExport => "live-export",
        }
    }

    /// The remediation key used in policy METADATA for this format.
    pub fn remediation_key(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::TerraformPlan | Format::TerraformHcl => "terraform",
            Format::LiveExport => "live",
        }
    }
}

/// An S3 bucket that a trail delivers to, resolved within the same document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// Logical id / Terraform address / bucket name (live).
    pub id: String,
    pub resource_type: String,
    pub loc: Loc,
    pub name: Field,
    /// Canned ACL string (`private`, `public-read`, `public-read-write`, `authenticated-read`,
    /// `log-delivery-write`, ...). Live exports: derived from grants (see docs/model.md).
    pub acl: Field,
    /// ACL grants, each `{"grantee": "AllUsers"|"AuthenticatedUsers"|<id>, "permission": ...}`.
    pub grants: Field,
    /// `{"block_public_acls", "ignore_public_acls", "block_public_policy",
    /// "restrict_public_buckets"}` booleans (missing keys are false, as in AWS).
    pub public_access_block: Field,
    /// The bucket policy document (`{"Statement": [...]}`), statements always a list.
    pub policy: Field,
    /// `{"target_bucket", "target_prefix"}` when server access logging is configured.
    pub logging: Field,
    /// `{"status": "Enabled"|"Suspended", "mfa_delete": "Enabled"|"Disabled"}`.
    pub versioning: Field,
}

/// Live delivery status from `get-trail-status` (absent in IaC documents).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrailStatus {
    pub loc: Loc,
    pub latest_delivery_error: Field,
    pub latest_notification_error: Field,
    pub latest_cloudwatch_logs_delivery_error: Field,
    pub latest_digest_delivery_error: Field,
    pub latest_delivery_time: Field,
    pub latest_cloudwatch_logs_delivery_time: Field,
    pub latest_digest_delivery_time: Field,
    pub start_logging_time: Field,
    pub stop_logging_time: Field,
}

/// A KMS key referenced by a trail or event data store, resolved when possible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyInfo {
    /// `customer` (a CMK: a key resource, key id/ARN, or a non-`aws/` alias), `aws` (an
    /// AWS-managed `alias/aws/...` key), or `unknown`.
    pub managed_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// Key rotation, when the key resource is in the document.
    pub rotation_enabled: Field,
}

/// One CloudTrail trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trail {
    /// Identity used in findings and fingerprints: logical id, Terraform address, or trail ARN.
    pub id: String,
    /// `AWS::CloudTrail::Trail`, `aws_cloudtrail`, or `live`.
    pub resource_type: String,
    /// The resource header (logical id line / `resource` block / describe-trails entry).
    pub loc: Loc,
    pub name: Field,
    pub arn: Field,
    pub home_region: Field,
    pub is_logging: Field,
    pub is_multi_region: Field,
    pub is_organization_trail: Field,
    /// Live only: the trail belongs to another account (an organization trail seen from a
    /// member account). Always known in live exports, `false` elsewhere.
    pub is_shadow: bool,
    pub include_global_service_events: Field,
    pub log_file_validation: Field,
    pub kms_key_id: Field,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<KeyInfo>,
    pub cloudwatch_logs_group_arn: Field,
    pub cloudwatch_logs_role_arn: Field,
    pub sns_topic: Field,
    pub s3_bucket_name: Field,
    pub s3_key_prefix: Field,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<Bucket>,
    /// Classic selectors, normalized (see docs/model.md); defaulted to the AWS default
    /// (`[{read_write_type: All, include_management_events: true}]`) when absent.
    pub event_selectors: Field,
    pub advanced_event_selectors: Field,
    /// List of insight type strings (`ApiCallRateInsight`, `ApiErrorRateInsight`).
    pub insight_selectors: Field,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TrailStatus>,
}

/// A CloudTrail Lake event data store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDataStore {
    pub id: String,
    pub resource_type: String,
    pub loc: Loc,
    pub name: Field,
    pub arn: Field,
    /// Days.
    pub retention_period: Field,
    pub termination_protection_enabled: Field,
    pub kms_key_id: Field,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<KeyInfo>,
    pub multi_region_enabled: Field,
    pub organization_enabled: Field,
    pub advanced_event_selectors: Field,
    pub status: Field,
}

/// One input document after adaptation: the `input` of every config policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub format: Format,
    /// Path as given on the command line (relative paths stay relative).
    pub path: String,
    /// Live exports: the audited account, when it can be determined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    pub trails: Vec<Trail>,
    pub event_data_stores: Vec<EventDataStore>,
    /// Every S3 bucket in the document (also reachable from trails through `bucket`).
    pub buckets: Vec<Bucket>,
    /// Inline suppressions written in the source (`Metadata: trailguard: ignore`,
    /// `# trailguard:ignore`). Not part of the policy input: policies judge the configuration,
    /// the scanner applies exceptions afterwards (docs/suppressions.md).
    #[serde(skip)]
    pub suppressions: Vec<crate::suppress::InlineSuppression>,
}

impl Document {
    pub fn new(format: Format, path: &str) -> Document {
        Document {
            format,
            path: path.to_string(),
            account_id: None,
            trails: Vec::new(),
            event_data_stores: Vec::new(),
            buckets: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

/// Classify a KMS key reference string (`alias/aws/cloudtrail`, an ARN, a key id).
pub fn key_managed_by(key: &str) -> &'static str {
    let alias = key
        .rsplit_once(":alias/")
        .map(|(_, a)| a)
        .or_else(|| key.strip_prefix("alias/"));
    match alias {
        Some(a) if a.starts_with("aws/") => "aws",
        Some(_) => "customer",
        None if key.is_empty() => "unknown",
        None => "customer",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_kms_keys() {
        assert_eq!(key_managed_by("alias/aws/cloudtrail"), "aws");
        assert_eq!(
            key_managed_by("arn:aws:kms:us-east-1:111122223333:alias/aws/cloudtrail"),
            "aws"
        );
        assert_eq!(key_managed_by("alias/trail-key"), "customer");
        assert_eq!(
            key_managed_by("arn:aws:kms:us-east-1:111122223333:key/1234abcd"),
            "customer"
        );
        assert_eq!(
            key_managed_by("1234abcd-12ab-34cd-56ef-1234567890ab"),
            "customer"
        );
    }

    #[test]
    fn unknown_fields_have_no_value() {
        let f = Field::unknown("!ImportValue Key", Loc::file("t.yaml"));
        let v = serde_json::to_value(&f).unwrap();
        assert!(v.get("value").is_none());
        assert_eq!(v["state"], "unknown");
    }
}
