package trailguard.events.secret_value_retrieved_test

import rego.v1

import data.trailguard.events.secret_value_retrieved as rule

params := {"successful_only": false}

user := {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::903144391865:user/christophe", "accountId": "903144391865"}

# Stratus aws.credential-access.secretsmanager-retrieve-secrets (trimmed).
get_secret := {
	"eventVersion": "1.09",
	"eventSource": "secretsmanager.amazonaws.com",
	"eventName": "GetSecretValue",
	"eventType": "AwsApiCall",
	"readOnly": true,
	"sourceIPAddress": "203.0.113.120",
	"recipientAccountId": "903144391865",
	"requestParameters": {"secretId": "arn:aws:secretsmanager:us-east-1:903144391865:secret:prod-db-4Rzn83"},
	"responseElements": null,
	"userIdentity": user,
}

# Stratus aws.credential-access.ssm-retrieve-securestring-parameters (trimmed).
get_parameters := object.union(object.remove(get_secret, ["requestParameters"]), {
	"eventSource": "ssm.amazonaws.com",
	"eventName": "GetParameters",
	"requestParameters": {"names": ["/credentials/a", "/credentials/b", "/credentials/c", "/credentials/d", "/credentials/e"], "withDecryption": true},
})

test_get_secret_value_fires if {
	findings := rule.deny with input as get_secret with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' read arn:aws:secretsmanager:us-east-1:903144391865:secret:prod-db-4Rzn83 from 203.0.113.120",
		"evidence": {"eventName": "GetSecretValue", "targets": ["arn:aws:secretsmanager:us-east-1:903144391865:secret:prod-db-4Rzn83"]},
	}}
}

test_decrypted_parameters_fire if {
	findings := rule.deny with input as get_parameters with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' read 5 secrets/parameters (/credentials/a, /credentials/b, /credentials/c, ...) from 203.0.113.120"
}

test_batch_by_filter_fires if {
	rec := object.union(object.remove(get_secret, ["requestParameters"]), {"eventName": "BatchGetSecretValue", "requestParameters": {"filters": [{"key": "tag-key", "values": ["StratusRedTeam"]}]}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.targets == [`secrets matching filters [{"key":"tag-key","values":["StratusRedTeam"]}]`]
}

test_parameters_without_decryption_do_not_fire if {
	rec := object.union(get_parameters, {"requestParameters": {"withDecryption": false}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_service_invoked_reads_do_not_fire if {
	cfn := object.union(get_secret, {"userIdentity": {"invokedBy": "cloudformation.amazonaws.com"}, "sourceIPAddress": "cloudformation.amazonaws.com"})
	count(rule.deny) == 0 with input as cfn with data.trailguard.params as params
	ecs := object.union(get_secret, {"sourceIPAddress": "ecs-tasks.amazonaws.com"})
	count(rule.deny) == 0 with input as ecs with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(get_secret, {"errorCode": "AccessDeniedException"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}
