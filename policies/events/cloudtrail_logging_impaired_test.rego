package trailguard.events.cloudtrail_logging_impaired_test

import rego.v1

import data.trailguard.events.cloudtrail_logging_impaired as rule

params := {"successful_only": false}

user := {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::958312252124:user/christophe", "accountId": "958312252124"}

# Stratus aws.defense-evasion.cloudtrail-event-selectors (trimmed).
selectors := {
	"eventVersion": "1.10",
	"eventSource": "cloudtrail.amazonaws.com",
	"eventName": "PutEventSelectors",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.250",
	"recipientAccountId": "958312252124",
	"requestParameters": {
		"eventSelectors": [{
			"dataResources": [{"type": "AWS::S3::Object", "values": []}, {"type": "AWS::Lambda::Function", "values": []}],
			"excludeManagementEventSources": [],
			"includeManagementEvents": false,
			"readWriteType": "ReadOnly",
		}],
		"trailName": "org-trail",
	},
	"userIdentity": user,
}

stop := {
	"eventVersion": "1.10",
	"eventSource": "cloudtrail.amazonaws.com",
	"eventName": "StopLogging",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.250",
	"recipientAccountId": "958312252124",
	"requestParameters": {"name": "org-trail"},
	"responseElements": null,
	"userIdentity": user,
}

with_classic(sels) := object.union(object.remove(selectors, ["requestParameters"]), {"requestParameters": {"trailName": "org-trail", "eventSelectors": sels}})

with_advanced(sels) := object.union(object.remove(selectors, ["requestParameters"]), {"requestParameters": {"trailName": "org-trail", "advancedEventSelectors": sels}})

test_selectors_dropping_management_events_fire if {
	findings := rule.deny with input as selectors with data.trailguard.params as params
	count(findings) == 1
	some f in findings
	f.msg == "IAM user 'christophe' impaired CloudTrail logging on 'org-trail': no event selector records all read and write management events from 203.0.113.250"
	f.resource == "org-trail"
	f.evidence.reasons == ["no event selector records all read and write management events"]
}

test_stop_logging_fires if {
	findings := rule.deny with input as stop with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' impaired CloudTrail logging on 'org-trail': stopped logging from 203.0.113.250",
		"resource": "org-trail",
		"evidence": {"eventName": "StopLogging", "reasons": ["stopped logging"]},
	}}
}

test_failed_stop_counts_unless_successful_only if {
	rec := object.union(stop, {"errorCode": "TrailNotFoundException"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' impaired CloudTrail logging on 'org-trail': stopped logging (failed: TrailNotFoundException) from 203.0.113.250"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_full_management_selector_plus_data_selector_does_not_fire if {
	rec := with_classic([
		{"includeManagementEvents": true, "readWriteType": "All", "excludeManagementEventSources": [], "dataResources": []},
		{"includeManagementEvents": false, "readWriteType": "All", "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]},
	])
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_write_only_or_excluded_sources_fire if {
	write_only := with_classic([{"includeManagementEvents": true, "readWriteType": "WriteOnly"}])
	count(rule.deny) == 1 with input as write_only with data.trailguard.params as params
	no_kms := with_classic([{"includeManagementEvents": true, "readWriteType": "All", "excludeManagementEventSources": ["kms.amazonaws.com"]}])
	count(rule.deny) == 1 with input as no_kms with data.trailguard.params as params
	none := with_classic([])
	count(rule.deny) == 1 with input as none with data.trailguard.params as params
}

test_advanced_selectors if {
	full := with_advanced([{"name": "Management events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}])
	count(rule.deny) == 0 with input as full with data.trailguard.params as params
	writes_only := with_advanced([{"name": "Management writes", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}, {"field": "readOnly", "equals": ["false"]}]}])
	findings := rule.deny with input as writes_only with data.trailguard.params as params
	some f in findings
	f.evidence.reasons == ["no advanced event selector records all management events"]
	data_only := with_advanced([{"name": "S3", "fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}])
	count(rule.deny) == 1 with input as data_only with data.trailguard.params as params
}

test_update_trail_reductions if {
	rec := object.union(stop, {"eventName": "UpdateTrail", "requestParameters": {"isMultiRegionTrail": false, "enableLogFileValidation": false}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.evidence.reasons == ["disabled log file validation", "made the trail single-region"]
}

test_update_trail_improvements_do_not_fire if {
	rec := object.union(stop, {"eventName": "UpdateTrail", "requestParameters": {"isMultiRegionTrail": true, "enableLogFileValidation": true, "s3BucketName": "new-log-bucket"}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_insights_off_and_event_data_store_deletion if {
	insights := object.union(stop, {"eventName": "PutInsightSelectors", "requestParameters": {"trailName": "org-trail", "insightSelectors": []}})
	count(rule.deny) == 1 with input as insights with data.trailguard.params as params
	eds := object.union(object.remove(stop, ["requestParameters"]), {"eventName": "DeleteEventDataStore", "requestParameters": {"eventDataStore": "arn:aws:cloudtrail:us-east-1:958312252124:eventdatastore/0123abcd"}})
	findings := rule.deny with input as eds with data.trailguard.params as params
	some f in findings
	f.resource == "arn:aws:cloudtrail:us-east-1:958312252124:eventdatastore/0123abcd"
}

test_start_logging_does_not_fire if {
	rec := object.union(stop, {"eventName": "StartLogging"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
