package trailguard.events.glue_job_or_dev_endpoint_changed_test

import rego.v1

import data.trailguard.events.glue_job_or_dev_endpoint_changed as rule

params := {"successful_only": false}

update_endpoint := {
	"eventVersion": "1.08",
	"eventSource": "glue.amazonaws.com",
	"eventName": "UpdateDevEndpoint",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"endpointName": "etl-dev", "addPublicKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtAlK45MAEWZ7MUY2QEmi3M6W attacker"]},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

update_job := object.union(object.remove(update_endpoint, ["requestParameters"]), {
	"eventName": "UpdateJob",
	"requestParameters": {"jobName": "nightly-etl", "jobUpdate": {"role": "arn:aws:iam::111122223333:role/glue-etl", "command": {"name": "glueetl", "scriptLocation": "s3://etl-scripts/nightly.py"}}},
})

test_public_key_added_fires if {
	findings := rule.deny with input as update_endpoint with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' updated Glue development endpoint 'etl-dev' (request sets addPublicKeys) from 198.51.100.9",
		"resource": "etl-dev",
		"evidence": {"eventName": "UpdateDevEndpoint", "name": "etl-dev", "addPublicKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtAlK45MAEWZ7MUY2QEmi3M6W attacker"]},
	}}
}

test_update_job_fires if {
	findings := rule.deny with input as update_job with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' updated Glue job 'nightly-etl' from 198.51.100.9"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(update_job, {"errorCode": "EntityNotFoundException"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_job_runs_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(update_job, {"eventName": "StartJobRun"}) with data.trailguard.params as params
}
