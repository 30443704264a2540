# METADATA
# title: AWS Config recording or delivery changed
# description: >-
#   The AWS Config configuration recorder was stopped or replaced, or its delivery channel was
#   deleted or replaced (CIS 4.9). Stopping the recorder or deleting the channel blinds
#   configuration history and Config rules, which is why this is medium severity although
#   most Put* calls are routine set-up. Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
# custom:
#   id: TGE009
#   name: config-service-changed
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check `aws configservice describe-configuration-recorder-status` in the region of the
#       event; restart a stopped recorder (`start-configuration-recorder`) and restore the
#       delivery channel if the change was not planned. Review what else the actor changed
#       while recording was off.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.9"]
#     pci-dss-v4.0: ["10.2.1.2", "10.7.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-3", "AU-6"]
#     mitre-attack: ["T1562.001"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [config.amazonaws.com]
#     eventName: [StopConfigurationRecorder, DeleteDeliveryChannel, PutDeliveryChannel, PutConfigurationRecorder]
package trailguard.events.config_service_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": name, "evidence": evidence} if {
	input.eventName in {"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"}
	input.eventSource == "config.amazonaws.com"
	actor.counted(input)
	msg := sprintf("%s called config:%s on '%s' in %s%s%s", [actor.who(input), input.eventName, name, object.get(input, "awsRegion", "an unknown region"), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "name": name, "awsRegion": object.get(input, "awsRegion", null)}
}

name := input.requestParameters.configurationRecorderName if {
	input.requestParameters.configurationRecorderName
} else := input.requestParameters.deliveryChannelName if {
	input.requestParameters.deliveryChannelName
} else := input.requestParameters.configurationRecorder.name if {
	input.requestParameters.configurationRecorder.name
} else := input.requestParameters.deliveryChannel.name if {
	input.requestParameters.deliveryChannel.name
} else := "(unnamed)"
