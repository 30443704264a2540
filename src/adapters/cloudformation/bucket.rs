//! S3 buckets (`AWS::S3::Bucket`) with their policies (`AWS::S3::BucketPolicy`), and finding the
//! bucket a trail delivers to.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::eval::{Eval, ResRef, Trace, is_unknown_marker};
use super::fields::{Cx, Json, Kind};
use super::intrinsic::render;
use super::template::Resource;
use crate::model::{Bucket, Field, Loc, Resolved};

const BUCKET: &str = "AWS::S3::Bucket";
const BUCKET_POLICY: &str = "AWS::S3::BucketPolicy";

/// The template's buckets, indexed for the joins trails and policies need (hash lookups, so
/// a template with many trails and buckets stays linear).
pub(super) struct Buckets {
    /// Every bucket, in source order, each with the policy that names it.
    pub list: Vec<Bucket>,
    by_id: HashMap<String, usize>,
    /// Logical id of the first bucket with each `BucketName` the template determines.
    by_name: HashMap<String, String>,
}

impl Buckets {
    /// The bucket a trail's `S3BucketName` designates: a direct reference to a bucket
    /// resource, or a known name equal to a bucket's `BucketName`.
    pub fn for_trail(&self, name: &Field) -> Option<Bucket> {
        let id = match &name.resolved {
            Some(r) if r.kind == "resource" && r.resource_type.as_deref() == Some(BUCKET) => &r.id,
            _ => match name.value.as_ref().filter(|_| name.is_known()) {
                Some(Value::String(wanted)) => self.by_name.get(wanted)?,
                _ => return None,
            },
        };
        self.by_id.get(id).and_then(|&i| self.list.get(i)).cloned()
    }
}

pub(super) fn buckets(cx: &mut Cx<'_, '_>) -> Buckets {
    let t = cx.t;
    let mut by_name = HashMap::new();
    for r in t.of_type(BUCKET) {
        let own = ResRef {
            id: r.id,
            resource_type: BUCKET,
            attr: None,
        };
        if let Some(Value::String(name)) = cx.ev.physical(&own, 0) {
            by_name.entry(name).or_insert_with(|| r.id.to_string());
        }
    }
    // AWS keeps one policy per bucket; the last one in the template wins.
    let mut policies: HashMap<String, Field> = HashMap::new();
    for policy in t.of_type(BUCKET_POLICY) {
        if let Some((bucket_id, field)) = policy_for(cx, policy, &by_name) {
            policies.insert(bucket_id, field);
        }
    }
    let list: Vec<Bucket> = t
        .of_type(BUCKET)
        .map(|r| {
            let policy = policies.get(r.id).cloned();
            bucket(cx, r, policy)
        })
        .collect();
    let by_id = list
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    Buckets {
        list,
        by_id,
        by_name,
    }
}

fn bucket<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>, policy: Option<Field>) -> Bucket {
    let header = cx.header(r);
    let mut acl = cx.field(r, "AccessControl", Kind::Str, None);
    if let Some(Value::String(canned)) = &acl.value {
        acl.value = Some(Value::String(canned_acl(canned)));
    }
    Bucket {
        id: r.id.to_string(),
        resource_type: BUCKET.to_string(),
        loc: header.clone(),
        name: cx.field(r, "BucketName", Kind::Str, None),
        acl,
        // CloudFormation sets ACLs only through canned `AccessControl`.
        grants: Field::absent(header.clone()),
        public_access_block: public_access_block(cx, r, &header),
        policy: policy.unwrap_or_else(|| Field::absent(header.clone())),
        logging: logging(cx, r, &header),
        versioning: versioning(cx, r, &header),
    }
}

/// CloudFormation spells canned ACLs in PascalCase; the model uses S3's names.
fn canned_acl(acl: &str) -> String {
    let s3 = match acl {
        "Private" => "private",
        "PublicRead" => "public-read",
        "PublicReadWrite" => "public-read-write",
        "AuthenticatedRead" => "authenticated-read",
        "LogDeliveryWrite" => "log-delivery-write",
        "BucketOwnerRead" => "bucket-owner-read",
        "BucketOwnerFullControl" => "bucket-owner-full-control",
        "AwsExecRead" => "aws-exec-read",
        other => other,
    };
    s3.to_string()
}

fn public_access_block<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>, header: &Loc) -> Field {
    const KEYS: [(&str, &str); 4] = [
        ("BlockPublicAcls", "block_public_acls"),
        ("IgnorePublicAcls", "ignore_public_acls"),
        ("BlockPublicPolicy", "block_public_policy"),
        ("RestrictPublicBuckets", "restrict_public_buckets"),
    ];
    let name = "PublicAccessBlockConfiguration";
    match cx.json(r, name) {
        Json::Missing | Json::NoValue => Field::absent(header.clone()),
        Json::Unknown(node) => Field::unknown(render(node), cx.loc(node)),
        Json::Known(Value::Object(config), node) => {
            let mut out = serde_json::Map::new();
            for (cfn, model) in KEYS {
                let flag = match config.get(cfn) {
                    None | Some(Value::Null) => false,
                    Some(Value::Bool(b)) => *b,
                    Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
                    Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
                    // One unknown flag and the block cannot be judged: never guess "false".
                    Some(v) if is_unknown_marker(v) => {
                        return Field::unknown(render(node), cx.loc(node));
                    }
                    Some(_) => return cx.invalid(r.id, name, node, "booleans"),
                };
                out.insert(model.to_string(), Value::Bool(flag));
            }
            Field::known(Value::Object(out), cx.loc(node))
        }
        Json::Known(_, node) => cx.invalid(r.id, name, node, "a mapping"),
    }
}

fn logging<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>, header: &Loc) -> Field {
    let name = "LoggingConfiguration";
    let (config, node) = match cx.json(r, name) {
        Json::Missing | Json::NoValue => return Field::absent(header.clone()),
        Json::Unknown(node) => return Field::unknown(render(node), cx.loc(node)),
        Json::Known(Value::Object(config), node) => (config, node),
        Json::Known(_, node) => return cx.invalid(r.id, name, node, "a mapping"),
    };
    // Read the destination from the node so a `!Ref` to a bucket shows its name or logical id.
    let target = match node.get("DestinationBucketName") {
        Some(destination) => cx.display_string(destination),
        None => config.get("DestinationBucketName").cloned(),
    };
    // Without a destination, S3 writes the access logs into the bucket itself.
    let target = target.unwrap_or_else(|| {
        let own = ResRef {
            id: r.id,
            resource_type: BUCKET,
            attr: None,
        };
        Value::String(cx.ev.display(&own))
    });
    let prefix = match config.get("LogFilePrefix") {
        None | Some(Value::Null) => json!(""),
        Some(v) => v.clone(),
    };
    Field::known(
        json!({ "target_bucket": target, "target_prefix": prefix }),
        cx.loc(node),
    )
}

/// `{"status": ...}`: MFA delete cannot be set through CloudFormation, so `mfa_delete` is left
/// out rather than guessed.
fn versioning<'a>(cx: &mut Cx<'_, 'a>, r: &Resource<'a>, header: &Loc) -> Field {
    let name = "VersioningConfiguration";
    match cx.json(r, name) {
        Json::Missing | Json::NoValue => Field::absent(header.clone()),
        Json::Unknown(node) => Field::unknown(render(node), cx.loc(node)),
        Json::Known(Value::Object(config), node) => Field::known(
            json!({ "status": config.get("Status").cloned().unwrap_or(Value::Null) }),
            cx.loc(node),
        ),
        Json::Known(_, node) => cx.invalid(r.id, name, node, "a mapping"),
    }
}

/// The bucket a policy applies to (logical id) and its policy document field.
fn policy_for<'a>(
    cx: &mut Cx<'_, 'a>,
    policy: &Resource<'a>,
    by_name: &HashMap<String, String>,
) -> Option<(String, Field)> {
    let props = policy.properties?;
    let target = props.get("Bucket")?;
    let bucket_id = match cx.ev.eval(target, &mut Trace::default()) {
        Eval::Resource(r) if r.resource_type == BUCKET && r.attr.is_none() => r.id.to_string(),
        Eval::Value(Value::String(name)) => by_name.get(&name)?.clone(),
        _ => return None,
    };
    let document = props.get("PolicyDocument")?;
    let resolved = Resolved {
        kind: "resource".to_string(),
        id: policy.id.to_string(),
        resource_type: Some(BUCKET_POLICY.to_string()),
    };
    let field = match cx.ev.lenient(document)? {
        v if is_unknown_marker(&v) => Field::unknown(render(document), cx.loc(document)),
        // A policy written as a JSON string is parsed, as IAM does.
        Value::String(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(doc)) => Field::known(with_statement_list(doc), cx.loc(document)),
            _ => cx.invalid(
                policy.id,
                "PolicyDocument",
                document,
                "a JSON policy document",
            ),
        },
        Value::Object(doc) => Field::known(with_statement_list(doc), cx.loc(document)),
        _ => cx.invalid(
            policy.id,
            "PolicyDocument",
            document,
            "a policy document mapping",
        ),
    };
    Some((bucket_id, field.with_resolved(resolved)))
}

fn with_statement_list(mut doc: serde_json::Map<String, Value>) -> Value {
    let statements = match doc.remove("Statement") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(single) => vec![single],
    };
    doc.insert("Statement".to_string(), Value::Array(statements));
    Value::Object(doc)
}
