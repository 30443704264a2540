# METADATA
# title: CloudTrail logging stopped, deleted or reduced
# description: >-
#   Someone switched off or narrowed the audit trail itself: StopLogging, DeleteTrail, an
#   UpdateTrail that makes the trail single-region, drops global service events, disables log
#   file validation, removes KMS encryption or CloudWatch Logs delivery (a new destination
#   bucket alone is TGE005: consoles resend it unchanged), a PutEventSelectors after which no selector records all read and write
#   management events (includeManagementEvents false, readWriteType other than All, excluded
#   event sources, an empty list, or advanced selectors without an unrestricted Management
#   selector), a PutInsightSelectors that turns Insights off, or the deletion or stopped
#   ingestion of a CloudTrail Lake event data store. Failed attempts count unless
#   `successful_only` is true: an attacker who fails to stop logging still tried.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-event-selectors/
# custom:
#   id: TGE018
#   name: cloudtrail-logging-impaired
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Restore logging first (`aws cloudtrail start-logging`, re-apply the trail's event
#       selectors and settings from your infrastructure code), then treat the gap as an incident:
#       identify the actor's session and review everything it did, using other trails, the
#       organization trail or CloudTrail event history for the unlogged period. Restrict
#       cloudtrail:Stop*/Delete*/Put*/Update* with an SCP to a break-glass role.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.6", "10.7.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     nist-800-53-r5: ["AU-9", "AU-6", "SI-4"]
#     mitre-attack: ["T1562.008"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [cloudtrail.amazonaws.com]
#     eventName: [StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors, PutInsightSelectors, DeleteEventDataStore, StopEventDataStoreIngestion]
package trailguard.events.cloudtrail_logging_impaired

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": target, "evidence": evidence} if {
	input.eventName in {
		"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors",
		"DeleteEventDataStore", "StopEventDataStoreIngestion",
	}
	input.eventSource == "cloudtrail.amazonaws.com"
	actor.counted(input)
	count(reasons) > 0
	req := actor.request(input)
	target := object.get(req, "name", object.get(req, "trailName", object.get(req, "eventDataStore", "(unnamed)")))
	msg := sprintf("%s impaired CloudTrail logging on '%s': %s%s%s", [actor.who(input), target, concat("; ", sort(reasons)), actor.outcome(input), actor.where(input)])
	evidence := object.union({"eventName": input.eventName, "reasons": sort(reasons)}, object.filter(req, {
		"eventSelectors", "advancedEventSelectors", "insightSelectors", "s3BucketName", "isMultiRegionTrail",
		"includeGlobalServiceEvents", "enableLogFileValidation", "kmsKeyId", "cloudWatchLogsLogGroupArn",
	}))
}

reasons contains "stopped logging" if input.eventName == "StopLogging"

reasons contains "deleted the trail" if input.eventName == "DeleteTrail"

reasons contains "deleted the event data store" if input.eventName == "DeleteEventDataStore"

reasons contains "stopped event data store ingestion" if input.eventName == "StopEventDataStoreIngestion"

reasons contains "made the trail single-region" if {
	input.eventName == "UpdateTrail"
	input.requestParameters.isMultiRegionTrail == false
}

reasons contains "stopped recording global service events" if {
	input.eventName == "UpdateTrail"
	input.requestParameters.includeGlobalServiceEvents == false
}

reasons contains "disabled log file validation" if {
	input.eventName == "UpdateTrail"
	input.requestParameters.enableLogFileValidation == false
}

reasons contains "removed KMS encryption" if {
	input.eventName == "UpdateTrail"
	input.requestParameters.kmsKeyId == ""
}

reasons contains "removed CloudWatch Logs delivery" if {
	input.eventName == "UpdateTrail"
	input.requestParameters.cloudWatchLogsLogGroupArn == ""
}

reasons contains "no event selector records all read and write management events" if {
	input.eventName == "PutEventSelectors"
	sels := input.requestParameters.eventSelectors
	is_array(sels)
	not some_full_classic(sels)
}

reasons contains "no advanced event selector records all management events" if {
	input.eventName == "PutEventSelectors"
	sels := input.requestParameters.advancedEventSelectors
	is_array(sels)
	not some_full_advanced(sels)
}

reasons contains "turned CloudTrail Insights off" if {
	input.eventName == "PutInsightSelectors"
	count(input.requestParameters.insightSelectors) == 0
}

some_full_classic(sels) if {
	some sel in sels
	not sel.includeManagementEvents == false
	object.get(sel, "readWriteType", "All") == "All"
	not excludes_sources(sel)
}

excludes_sources(sel) if count(sel.excludeManagementEventSources) > 0

# An advanced selector records every management event when its only condition is
# eventCategory = Management (any readOnly or eventSource condition narrows it).
some_full_advanced(sels) if {
	some sel in sels
	some fs in sel.fieldSelectors
	fs.field == "eventCategory"
	"Management" in fs.equals
	every other in sel.fieldSelectors {
		other.field == "eventCategory"
	}
}
