//! The records of the synthetic archive: principals, call mix and field contents, written as
//! compact JSON in CloudTrail's S3 field order. All values are generated from safe characters,
//! so no JSON escaping is needed.

use super::catalog::{AGENTS, ATTACKS, READS, WRITES};
use std::fmt::Write;

/// SplitMix64: tiny, fast, and good enough for test data; seeded runs are reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Upper-case letters and digits, like S3 object suffixes and key ids.
    pub fn token(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz";
        (0..len).map(|_| char::from(*self.pick(CHARS))).collect()
    }

    pub fn upper(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        (0..len).map(|_| char::from(*self.pick(CHARS))).collect()
    }

    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// A principal of the simulated account and how it appears in `userIdentity`.
struct Principal {
    identity: String,
    ip: String,
    agent: &'static str,
    /// Relative frequency.
    weight: u64,
}

pub struct Context {
    account: &'static str,
    region: &'static str,
    principals: Vec<Principal>,
    total_weight: u64,
    buckets: Vec<String>,
    keys: Vec<String>,
}

impl Context {
    pub fn new(account: &'static str, region: &'static str, rng: &mut Rng) -> Context {
        let roles = [
            ("app-backend-prod", "i-0a1b2c3d4e5f60718", 30),
            ("lambda-order-processor", "order-processor", 20),
            (
                "AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b",
                "alice@example.com",
                6,
            ),
            ("DatadogIntegrationRole", "DatadogAWSIntegration", 18),
            ("terraform-ci", "gha-4711-deploy", 8),
            ("OrganizationAccountAccessRole", "audit-session", 3),
        ];
        let mut principals: Vec<Principal> = roles
            .iter()
            .map(|(role, session, weight)| {
                let role_id = format!("AROA{}", rng.upper(17));
                let identity = format!(
                    r#"{{"type":"AssumedRole","principalId":"{role_id}:{session}","arn":"arn:aws:sts::{account}:assumed-role/{role}/{session}","accountId":"{account}","accessKeyId":"ASIA{key}","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"{role_id}","arn":"arn:aws:iam::{account}:role/{role}","accountId":"{account}","userName":"{role}"}},"attributes":{{"creationDate":"2024-06-30T23:10:42Z","mfaAuthenticated":"false"}}}}}}"#,
                    key = rng.upper(16),
                );
                let agent = *rng.pick(&AGENTS);
                Principal {
                    identity,
                    ip: ip(rng),
                    agent,
                    weight: *weight,
                }
            })
            .collect();
        for (user, weight) in [("deploy-bot", 25), ("bob", 5)] {
            let identity = format!(
                r#"{{"type":"IAMUser","principalId":"AIDA{}","arn":"arn:aws:iam::{account}:user/{user}","accountId":"{account}","accessKeyId":"AKIA{}","userName":"{user}"}}"#,
                rng.upper(17),
                rng.upper(16)
            );
            principals.push(Principal {
                identity,
                ip: ip(rng),
                agent: AGENTS[0],
                weight,
            });
        }
        let buckets = ["data-lake-raw", "app-assets", "backups", "athena-results"]
            .iter()
            .map(|b| format!("{b}-{account}-{region}"))
            .collect();
        let keys = (0..3)
            .map(|_| format!("arn:aws:kms:{region}:{account}:key/{}", rng.uuid()))
            .collect();
        Context {
            account,
            region,
            total_weight: principals.iter().map(|p| p.weight).sum(),
            principals,
            buckets,
            keys,
        }
    }

    fn principal(&self, rng: &mut Rng) -> &Principal {
        let mut roll = rng.below(self.total_weight);
        for p in &self.principals {
            if roll < p.weight {
                return p;
            }
            roll -= p.weight;
        }
        &self.principals[0]
    }
}

fn ip(rng: &mut Rng) -> String {
    let octet = |rng: &mut Rng| rng.below(254) + 1;
    format!(
        "{}.{}.{}.{}",
        octet(rng) % 200 + 3,
        octet(rng),
        octet(rng),
        octet(rng)
    )
}

/// Fields one record is made of, before writing.
struct Call<'a> {
    source: &'a str,
    name: &'a str,
    identity: &'a str,
    ip: &'a str,
    agent: &'a str,
    request: &'a str,
    response: &'a str,
    error: Option<(&'a str, String)>,
    additional: Option<String>,
    resources: Option<String>,
    read_only: bool,
    data: bool,
    sign_in: bool,
}

/// Append one record, at `time` (epoch seconds), to `out`.
pub fn write_record(out: &mut String, ctx: &Context, rng: &mut Rng, time: i64) {
    let p = ctx.principal(rng);
    let mut call = Call {
        source: "ec2",
        name: "DescribeInstances",
        identity: &p.identity,
        ip: &p.ip,
        agent: p.agent,
        request: "null",
        response: "null",
        error: None,
        additional: None,
        resources: None,
        read_only: true,
        data: false,
        sign_in: false,
    };
    let roll = rng.below(1000);
    let (object_resources, key_resources, request_text, root);
    match roll {
        0..=1 => {
            let (source, name, request) = *rng.pick(&ATTACKS);
            (call.source, call.name, call.request, call.read_only) = (source, name, request, false);
            if rng.below(2) == 0 {
                call.source = "signin";
                call.name = "ConsoleLogin";
                call.request = "null";
                call.response = r#"{"ConsoleLogin":"Success"}"#;
                call.sign_in = true;
                call.additional = Some(r#"{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"}"#.into());
            } else if call.name == "AttachUserPolicy" {
                root = format!(
                    r#"{{"type":"Root","principalId":"{a}","arn":"arn:aws:iam::{a}:root","accountId":"{a}","accessKeyId":"ASIA{k}"}}"#,
                    a = ctx.account,
                    k = rng.upper(16)
                );
                call.identity = &root;
            }
        }
        2..=31 => {
            let (source, name, request) = *rng.pick(&READS);
            (call.source, call.name, call.request) = (source, name, request);
            let code = if source == "ec2" {
                "Client.UnauthorizedOperation"
            } else {
                "AccessDenied"
            };
            let message = format!(
                "You are not authorized to perform: {source}:{name} because no identity-based policy allows the {source}:{name} action"
            );
            call.error = Some((code, message));
        }
        32..=81 => {
            let (source, name, request, response) = *rng.pick(&WRITES);
            (call.source, call.name, call.request, call.response) =
                (source, name, request, response);
            call.read_only = false;
        }
        82..=281 => {
            let bucket = rng.pick(&ctx.buckets);
            let (name, read_only) = *rng.pick(&[
                ("GetObject", true),
                ("GetObject", true),
                ("GetObject", true),
                ("GetObject", true),
                ("HeadObject", true),
                ("PutObject", false),
                ("ListObjects", true),
            ]);
            let key = format!(
                "orders/2024/07/{:02}/{}.parquet",
                rng.below(28) + 1,
                rng.token(12)
            );
            request_text = format!(
                r#"{{"bucketName":"{bucket}","Host":"{bucket}.s3.{}.amazonaws.com","key":"{key}"}}"#,
                ctx.region
            );
            object_resources = format!(
                r#"[{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::{bucket}/{key}"}},{{"accountId":"{}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::{bucket}"}}]"#,
                ctx.account
            );
            (
                call.source,
                call.name,
                call.request,
                call.read_only,
                call.data,
            ) = ("s3", name, &request_text, read_only, true);
            call.resources = Some(object_resources);
            call.additional = Some(format!(
                r#"{{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"{}","bytesTransferredOut":{}}}"#,
                rng.token(40),
                rng.below(5_000_000)
            ));
        }
        282..=451 => {
            let key = rng.pick(&ctx.keys);
            let name = *rng.pick(&["Decrypt", "Decrypt", "GenerateDataKey", "Encrypt"]);
            request_text = format!(
                r#"{{"encryptionContext":{{"aws:s3:arn":"arn:aws:s3:::{}/orders/{}"}},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}}"#,
                rng.pick(&ctx.buckets),
                rng.token(24)
            );
            key_resources = format!(
                r#"[{{"accountId":"{}","type":"AWS::KMS::Key","ARN":"{key}"}}]"#,
                ctx.account
            );
            (call.source, call.name, call.request) = ("kms", name, &request_text);
            call.resources = Some(key_resources);
            if rng.below(10) < 6 {
                call.identity = r#"{"type":"AWSService","invokedBy":"s3.amazonaws.com"}"#;
                (call.ip, call.agent) = ("s3.amazonaws.com", "s3.amazonaws.com");
            }
        }
        _ => {
            let (source, name, request) = *rng.pick(&READS);
            (call.source, call.name, call.request) = (source, name, request);
        }
    }
    emit(out, ctx, rng, time, &call);
}

fn emit(out: &mut String, ctx: &Context, rng: &mut Rng, time: i64, c: &Call<'_>) {
    let (y, m, d, hh, mm, ss) = civil(time);
    let host = if c.source == "s3" {
        format!("s3.{}.amazonaws.com", ctx.region)
    } else {
        format!("{}.{}.amazonaws.com", c.source, ctx.region)
    };
    let _ = write!(
        out,
        r#"{{"eventVersion":"1.09","userIdentity":{},"eventTime":"{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z","eventSource":"{}.amazonaws.com","eventName":"{}","awsRegion":"{}","sourceIPAddress":"{}","userAgent":"{}","#,
        c.identity, c.source, c.name, ctx.region, c.ip, c.agent
    );
    if let Some((code, message)) = &c.error {
        let _ = write!(out, r#""errorCode":"{code}","errorMessage":"{message}","#);
    }
    let _ = write!(
        out,
        r#""requestParameters":{},"responseElements":{},"#,
        c.request, c.response
    );
    if let Some(extra) = &c.additional {
        let _ = write!(out, r#""additionalEventData":{extra},"#);
    }
    let _ = write!(
        out,
        r#""requestID":"{}","eventID":"{}","readOnly":{},"#,
        rng.uuid(),
        rng.uuid(),
        c.read_only
    );
    if let Some(resources) = &c.resources {
        let _ = write!(out, r#""resources":{resources},"#);
    }
    let _ = write!(
        out,
        r#""eventType":"{}","managementEvent":{},"recipientAccountId":"{}","eventCategory":"{}","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"{host}"}}}}"#,
        if c.sign_in {
            "AwsConsoleSignIn"
        } else {
            "AwsApiCall"
        },
        !c.data,
        ctx.account,
        if c.data { "Data" } else { "Management" },
    );
}

/// Epoch seconds to UTC (year, month, day, hour, minute, second); H. Hinnant's
/// `civil_from_days`.
pub fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let r = rem as u32;
    (y, m, d, r / 3600, r / 60 % 60, r % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_with_the_window_parser() {
        for secs in [0, 951_782_400, 1_719_792_000, 1_722_431_184, 4_102_444_799] {
            let (y, m, d, hh, mm, ss) = civil(secs);
            let text = format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z");
            let parsed = crate::events::Timestamp::parse_rfc3339(&text).unwrap();
            assert_eq!(parsed.secs, secs, "{text}");
        }
        assert_eq!(civil(1_722_431_184), (2024, 7, 31, 13, 6, 24));
    }

    #[test]
    fn uuids_have_the_uuid_shape() {
        let mut rng = Rng::new(1);
        let u = rng.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(u.matches('-').count(), 4);
    }
}
