//! The call catalog of the synthetic archive: user agents, read-only calls, writes and the
//! attacker-looking calls, with request and response bodies as CloudTrail logs them.

pub(super) const AGENTS: [&str; 6] = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-cloud-amd64 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.1",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 aws-sdk-go-v2/1.26.0",
    "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.218-186.862.amzn2int.x86_64 java/1.8.0_412]",
    "aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
];

/// Read-only management calls: (service, eventName, requestParameters).
pub(super) const READS: [(&str, &str, &str); 24] = [
    (
        "ec2",
        "DescribeInstances",
        r#"{"instancesSet":{},"filterSet":{"items":[{"name":"tag:Environment","valueSet":{"items":[{"value":"prod"}]}}]}}"#,
    ),
    (
        "ec2",
        "DescribeSecurityGroups",
        r#"{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{}}"#,
    ),
    (
        "ec2",
        "DescribeVolumes",
        r#"{"volumeSet":{},"filterSet":{},"maxResults":500}"#,
    ),
    (
        "ec2",
        "DescribeSubnets",
        r#"{"subnetSet":{},"filterSet":{}}"#,
    ),
    (
        "ec2",
        "DescribeNetworkInterfaces",
        r#"{"networkInterfaceIdSet":{},"filterSet":{}}"#,
    ),
    ("iam", "GetRole", r#"{"roleName":"app-backend-prod"}"#),
    (
        "iam",
        "ListAttachedRolePolicies",
        r#"{"roleName":"lambda-order-processor"}"#,
    ),
    ("iam", "ListRoles", "null"),
    ("sts", "GetCallerIdentity", "null"),
    ("s3", "ListBuckets", r#"{"Host":"s3.amazonaws.com"}"#),
    (
        "s3",
        "GetBucketAcl",
        r#"{"bucketName":"app-assets","Host":"app-assets.s3.amazonaws.com","acl":""}"#,
    ),
    (
        "s3",
        "GetBucketPolicy",
        r#"{"bucketName":"backups","Host":"backups.s3.amazonaws.com","policy":""}"#,
    ),
    ("kms", "DescribeKey", r#"{"keyId":"alias/aws/s3"}"#),
    ("kms", "ListAliases", "null"),
    ("lambda", "ListFunctions20150331", "null"),
    (
        "lambda",
        "GetFunction20150331v2",
        r#"{"functionName":"order-processor"}"#,
    ),
    (
        "cloudtrail",
        "DescribeTrails",
        r#"{"trailNameList":[],"includeShadowTrails":true}"#,
    ),
    (
        "cloudtrail",
        "GetTrailStatus",
        r#"{"name":"organization-trail"}"#,
    ),
    ("ssm", "DescribeInstanceInformation", r#"{"maxResults":50}"#),
    (
        "ssm",
        "GetParameter",
        r#"{"name":"/app/prod/db-host","withDecryption":false}"#,
    ),
    ("logs", "DescribeLogGroups", r#"{"limit":50}"#),
    ("secretsmanager", "ListSecrets", r#"{"maxResults":100}"#),
    ("dynamodb", "DescribeTable", r#"{"tableName":"orders"}"#),
    ("monitoring", "DescribeAlarms", r#"{"maxRecords":100}"#),
];

/// Writes: (service, eventName, requestParameters, responseElements).
pub(super) const WRITES: [(&str, &str, &str, &str); 6] = [
    (
        "ec2",
        "CreateTags",
        r#"{"resourcesSet":{"items":[{"resourceId":"i-0a1b2c3d4e5f60718"}]},"tagSet":{"items":[{"key":"Owner","value":"team-orders"}]}}"#,
        r#"{"requestId":"5c1c1f4e-8a0b-4f8e-9a52-2f3d1e0b7c11","_return":true}"#,
    ),
    (
        "logs",
        "CreateLogStream",
        r#"{"logGroupName":"/aws/lambda/order-processor","logStreamName":"2024/07/01/[$LATEST]4f1e0c2b9a8d7e6f5a4b3c2d1e0f9a8b"}"#,
        "null",
    ),
    (
        "lambda",
        "UpdateFunctionConfiguration20150331v2",
        r#"{"functionName":"order-processor","timeout":30,"memorySize":512}"#,
        r#"{"functionName":"order-processor","runtime":"python3.12","state":"Active","lastUpdateStatus":"InProgress"}"#,
    ),
    (
        "ssm",
        "UpdateInstanceInformation",
        r#"{"instanceId":"i-0a1b2c3d4e5f60718","agentVersion":"3.3.131.0","platformType":"Linux"}"#,
        "null",
    ),
    (
        "dynamodb",
        "UpdateTimeToLive",
        r#"{"tableName":"orders","timeToLiveSpecification":{"enabled":true,"attributeName":"expiresAt"}}"#,
        r#"{"timeToLiveSpecification":{"enabled":true,"attributeName":"expiresAt"}}"#,
    ),
    (
        "s3",
        "PutBucketTagging",
        r#"{"bucketName":"app-assets","Host":"app-assets.s3.amazonaws.com","tagging":""}"#,
        "null",
    ),
];

/// The attacker-looking events detection rules look for: (service, eventName, request).
pub(super) const ATTACKS: [(&str, &str, &str); 6] = [
    (
        "cloudtrail",
        "StopLogging",
        r#"{"name":"organization-trail"}"#,
    ),
    (
        "cloudtrail",
        "DeleteTrail",
        r#"{"name":"organization-trail"}"#,
    ),
    ("iam", "CreateAccessKey", r#"{"userName":"bob"}"#),
    (
        "iam",
        "AttachUserPolicy",
        r#"{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#,
    ),
    (
        "kms",
        "ScheduleKeyDeletion",
        r#"{"keyId":"alias/app","pendingWindowInDays":7}"#,
    ),
    (
        "ec2",
        "AuthorizeSecurityGroupIngress",
        r#"{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}"#,
    ),
];
