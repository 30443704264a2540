package trailguard.events.cloudtrail_config_changed_test

import rego.v1

import data.trailguard.events.cloudtrail_config_changed as rule

params := {"successful_only": false}

# Stratus aws.defense-evasion.cloudtrail-stop (trimmed).
stop := {
	"eventVersion": "1.10",
	"eventSource": "cloudtrail.amazonaws.com",
	"eventName": "StopLogging",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.234",
	"recipientAccountId": "143434273843",
	"requestParameters": {"name": "main-trail"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::143434273843:user/christophe", "accountId": "143434273843"},
}

test_stop_logging_fires if {
	findings := rule.deny with input as stop with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' stopped logging on trail 'main-trail' from 203.0.113.234",
		"resource": "main-trail",
		"evidence": {"eventName": "StopLogging", "errorCode": null, "name": "main-trail"},
	}}
}

test_create_trail_fires if {
	rec := object.union(stop, {"eventName": "CreateTrail", "requestParameters": {"s3BucketName": "org-trail-logs", "isMultiRegionTrail": true}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' created trail 'main-trail' from 203.0.113.234"
	f.evidence.s3BucketName == "org-trail-logs"
}

test_failed_delete_counts_unless_successful_only if {
	rec := object.union(stop, {"eventName": "DeleteTrail", "errorCode": "TrailNotFoundException"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' deleted trail 'main-trail' (failed: TrailNotFoundException) from 203.0.113.234"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_reads_and_other_sources_do_not_fire if {
	read := object.union(stop, {"eventName": "GetTrailStatus", "readOnly": true})
	count(rule.deny) == 0 with input as read with data.trailguard.params as params
	other := object.union(stop, {"eventSource": "example.amazonaws.com"})
	count(rule.deny) == 0 with input as other with data.trailguard.params as params
}
