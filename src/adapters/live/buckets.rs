//! S3 bucket exports (get-bucket-acl, get-public-access-block, get-bucket-policy,
//! get-bucket-logging, get-bucket-versioning) -> [`Bucket`].
//!
//! A setting whose command was not exported is `unknown` (we cannot tell); a command that ran
//! and reported nothing configured (`{}` or an empty file) is `absent`.

use super::read::{Src, type_name};
use crate::adapters::InputError;
use crate::model::{Bucket, Field, Loc};
use serde_json::{Map, Value, json};

/// The exported outputs for one bucket; `None` = that command was not exported.
#[derive(Default, Clone, Copy)]
pub(super) struct BucketSrc<'a> {
    pub acl: Option<Src<'a>>,
    pub public_access_block: Option<Src<'a>>,
    pub policy: Option<Src<'a>>,
    pub logging: Option<Src<'a>>,
    pub versioning: Option<Src<'a>>,
}

impl<'a> BucketSrc<'a> {
    /// The first exported output: it stands for the bucket's header location.
    fn first(&self) -> Option<Src<'a>> {
        self.acl
            .or(self.public_access_block)
            .or(self.policy)
            .or(self.logging)
            .or(self.versioning)
    }
}

const GROUPS: [(&str, &str); 3] = [
    (
        "http://acs.amazonaws.com/groups/global/AllUsers",
        "AllUsers",
    ),
    (
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
        "AuthenticatedUsers",
    ),
    (
        "http://acs.amazonaws.com/groups/s3/LogDelivery",
        "LogDelivery",
    ),
];

/// Build a bucket. `header` locates the bucket (its key in a bundle); without it, the first
/// exported file stands in.
pub(super) fn bucket(
    name: &str,
    src: &BucketSrc,
    header: Option<Loc>,
    errors: &mut Vec<InputError>,
) -> Bucket {
    let header = header
        .or_else(|| src.first().map(|s| s.loc()))
        .unwrap_or_default();
    let not_exported = |cmd: &str| Field::unknown(format!("{cmd} not exported"), header.clone());
    let (acl, grants) = match src.acl {
        Some(s) => acl_fields(s, errors),
        None => (
            not_exported("get-bucket-acl"),
            not_exported("get-bucket-acl"),
        ),
    };
    Bucket {
        id: name.to_string(),
        resource_type: "AWS::S3::Bucket".to_string(),
        loc: header.clone(),
        name: Field::known(Value::String(name.to_string()), header.clone()),
        acl,
        grants,
        public_access_block: src.public_access_block.map_or_else(
            || not_exported("get-public-access-block"),
            |s| public_access_block(s, errors),
        ),
        policy: src
            .policy
            .map_or_else(|| not_exported("get-bucket-policy"), |s| policy(s, errors)),
        logging: src.logging.map_or_else(
            || not_exported("get-bucket-logging"),
            |s| logging(s, errors),
        ),
        versioning: src.versioning.map_or_else(
            || not_exported("get-bucket-versioning"),
            |s| versioning(s, errors),
        ),
    }
}

fn damaged(src: Src, message: String, errors: &mut Vec<InputError>) -> Field {
    errors.push(src.error(message.clone()));
    Field::unknown(src.text(), src.loc()).with_note(message)
}

/// `Grants` -> model grants, and the canned ACL they amount to when that is unambiguous.
fn acl_fields(src: Src, errors: &mut Vec<InputError>) -> (Field, Field) {
    let Some(list) = src.get("Grants").filter(|g| g.node.is_seq()) else {
        let f = damaged(
            src,
            "get-bucket-acl output without a Grants list".into(),
            errors,
        );
        return (f.clone(), f);
    };
    let owner = src
        .get("Owner")
        .and_then(|o| o.get("ID"))
        .and_then(|i| i.as_str());
    let mut grants = Vec::new();
    for g in list.items() {
        let grantee = g.get("Grantee");
        let who = grantee.and_then(|ge| {
            let uri = ge.get("URI").and_then(|u| u.as_str());
            match uri {
                Some(uri) => Some(
                    GROUPS
                        .iter()
                        .find(|(u, _)| *u == uri)
                        .map_or(uri, |(_, short)| *short),
                ),
                None => ge
                    .get("ID")
                    .or_else(|| ge.get("EmailAddress"))
                    .and_then(|i| i.as_str()),
            }
        });
        let permission = g.get("Permission").and_then(|p| p.as_str());
        let (Some(who), Some(permission)) = (who, permission) else {
            let f = damaged(
                g,
                "a grant needs a Grantee (URI, ID or EmailAddress) and a Permission".into(),
                errors,
            );
            return (f.clone(), f);
        };
        grants.push(json!({"grantee": who, "permission": permission}));
    }
    let loc = list.loc();
    let acl = match canned(&grants, owner) {
        Some(c) => Field::known(Value::String(c.into()), loc.clone())
            .with_note("derived from the get-bucket-acl grants"),
        None => Field::absent(loc.clone())
            .with_note("the grants match no canned ACL (or the owner is not exported)"),
    };
    (acl, Field::known(Value::Array(grants), loc))
}

/// The canned ACL whose grant set equals `grants` exactly (owner FULL_CONTROL plus the
/// canned extras), or `None` when none does.
fn canned(grants: &[Value], owner: Option<&str>) -> Option<&'static str> {
    let owner = owner?;
    let mut have: Vec<(String, String)> = grants
        .iter()
        .map(|g| {
            let s = |k: &str| g.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (s("grantee"), s("permission"))
        })
        .collect();
    have.sort();
    have.dedup();
    let table: [(&str, &[(&str, &str)]); 5] = [
        ("private", &[]),
        ("public-read", &[("AllUsers", "READ")]),
        (
            "public-read-write",
            &[("AllUsers", "READ"), ("AllUsers", "WRITE")],
        ),
        ("authenticated-read", &[("AuthenticatedUsers", "READ")]),
        (
            "log-delivery-write",
            &[("LogDelivery", "READ_ACP"), ("LogDelivery", "WRITE")],
        ),
    ];
    table.into_iter().find_map(|(name, extra)| {
        let mut want: Vec<(String, String)> = extra
            .iter()
            .map(|(g, p)| (g.to_string(), p.to_string()))
            .chain([(owner.to_string(), "FULL_CONTROL".to_string())])
            .collect();
        want.sort();
        (want == have).then_some(name)
    })
}

fn public_access_block(src: Src, errors: &mut Vec<InputError>) -> Field {
    let Some(conf) = src.get("PublicAccessBlockConfiguration") else {
        return Field::absent(src.loc()).with_note("no public access block configured");
    };
    let keys = [
        ("BlockPublicAcls", "block_public_acls"),
        ("IgnorePublicAcls", "ignore_public_acls"),
        ("BlockPublicPolicy", "block_public_policy"),
        ("RestrictPublicBuckets", "restrict_public_buckets"),
    ];
    let mut m = Map::new();
    for (aws, model) in keys {
        let b = match conf.get(aws) {
            None => false,
            Some(v) => match v.node.as_bool() {
                Some(b) => b,
                None => {
                    let msg = format!("{aws} should be a boolean, found {}", type_name(v.node));
                    return damaged(v, msg, errors);
                }
            },
        };
        m.insert(model.into(), Value::Bool(b));
    }
    Field::known(Value::Object(m), conf.loc())
}

/// The policy document, parsed from the JSON string the API returns, `Statement` a list.
fn policy(src: Src, errors: &mut Vec<InputError>) -> Field {
    let Some(p) = src.get("Policy") else {
        return Field::absent(src.loc()).with_note("no bucket policy");
    };
    let doc = match p.as_str() {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            Err(e) => return damaged(p, format!("Policy is not valid JSON: {e}"), errors),
        },
        // A hand-made export may hold the document itself rather than its string form.
        None if p.node.is_map() => p.node.to_json(),
        None => {
            let msg = format!(
                "Policy should be a JSON string, found {}",
                type_name(p.node)
            );
            return damaged(p, msg, errors);
        }
    };
    let Value::Object(mut doc) = doc else {
        return damaged(p, "Policy is not a JSON object".into(), errors);
    };
    if let Some(st) = doc.get_mut("Statement")
        && !st.is_array()
    {
        *st = Value::Array(vec![st.take()]);
    }
    Field::known(Value::Object(doc), p.loc())
}

fn logging(src: Src, errors: &mut Vec<InputError>) -> Field {
    let Some(le) = src.get("LoggingEnabled") else {
        return Field::absent(src.loc()).with_note("server access logging not enabled");
    };
    let bucket = le.get("TargetBucket").and_then(|b| b.as_str());
    let prefix = match le.get("TargetPrefix") {
        None => Some(""),
        Some(p) => p.as_str(),
    };
    match (bucket, prefix) {
        (Some(b), Some(p)) => {
            Field::known(json!({"target_bucket": b, "target_prefix": p}), le.loc())
        }
        _ => damaged(
            le,
            "LoggingEnabled needs a TargetBucket string (and TargetPrefix a string)".into(),
            errors,
        ),
    }
}

fn versioning(src: Src, errors: &mut Vec<InputError>) -> Field {
    // A bucket that never had versioning reports no Status; MFA delete then cannot be on.
    let Some(status) = src.get("Status") else {
        return Field::absent(src.loc()).with_note("versioning never enabled");
    };
    let mfa = match src.get("MFADelete") {
        None => Some("Disabled"),
        Some(m) => m.as_str().filter(|m| matches!(*m, "Enabled" | "Disabled")),
    };
    match (
        status
            .as_str()
            .filter(|s| matches!(*s, "Enabled" | "Suspended")),
        mfa,
    ) {
        (Some(s), Some(m)) => Field::known(json!({"status": s, "mfa_delete": m}), status.loc()),
        _ => damaged(
            src,
            "versioning Status should be Enabled or Suspended and MFADelete Enabled or Disabled"
                .into(),
            errors,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(who: &str, p: &str) -> Value {
        json!({"grantee": who, "permission": p})
    }

    #[test]
    fn derives_canned_acls_only_when_exact() {
        let o = Some("abc");
        assert_eq!(canned(&[g("abc", "FULL_CONTROL")], o), Some("private"));
        assert_eq!(
            canned(&[g("abc", "FULL_CONTROL"), g("AllUsers", "READ")], o),
            Some("public-read")
        );
        assert_eq!(
            canned(
                &[
                    g("LogDelivery", "WRITE"),
                    g("abc", "FULL_CONTROL"),
                    g("LogDelivery", "READ_ACP")
                ],
                o
            ),
            Some("log-delivery-write")
        );
        // An extra grant to another account is no canned ACL.
        assert_eq!(
            canned(&[g("abc", "FULL_CONTROL"), g("def", "READ")], o),
            None
        );
        assert_eq!(canned(&[g("abc", "FULL_CONTROL")], None), None);
    }
}
