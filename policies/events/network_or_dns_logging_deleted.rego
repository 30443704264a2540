# METADATA
# title: VPC flow logs or DNS query logging deleted
# description: >-
#   VPC flow logs were deleted (DeleteFlowLogs), or a Route 53 Resolver query logging
#   configuration was deleted or detached from a VPC (DeleteResolverQueryLogConfig,
#   DisassociateResolverQueryLogConfig). These are the network and DNS records an investigation
#   relies on after CloudTrail; removing them is defense evasion (CloudTrail itself is TGE018).
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.vpc-remove-flow-logs/
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.dns-delete-logs/
# custom:
#   id: TGE042
#   name: network-or-dns-logging-deleted
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Recreate the flow log or query logging configuration from your infrastructure code and
#       associate it with the VPCs again, then review the actor's activity while logging was off.
#       Restrict ec2:DeleteFlowLogs and route53resolver:Delete*/Disassociate* to administrators.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.6"]
#     hipaa-security-rule: ["164.312(b)"]
#     nist-800-53-r5: ["AU-9", "SI-4"]
#     mitre-attack: ["T1562.008"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com, route53resolver.amazonaws.com]
#     eventName: [DeleteFlowLogs, DeleteResolverQueryLogConfig, DisassociateResolverQueryLogConfig]
package trailguard.events.network_or_dns_logging_deleted

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName in {"DeleteFlowLogs", "DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"}
	input.eventSource in {"ec2.amazonaws.com", "route53resolver.amazonaws.com"}
	source_matches
	actor.counted(input)
	ids := sort(targets)
	msg := sprintf("%s %s %s%s%s", [actor.who(input), verb, concat(", ", ids), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "targets": ids}
}

source_matches if {
	input.eventName == "DeleteFlowLogs"
	input.eventSource == "ec2.amazonaws.com"
}

source_matches if {
	input.eventName in {"DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"}
	input.eventSource == "route53resolver.amazonaws.com"
}

verb := "deleted VPC flow logs" if {
	input.eventName == "DeleteFlowLogs"
} else := "deleted Route 53 Resolver query logging configuration" if {
	input.eventName == "DeleteResolverQueryLogConfig"
} else := "detached Route 53 Resolver query logging from"

# DeleteFlowLogs logs the EC2 query shape: {"DeleteFlowLogsRequest": {"FlowLogId": {"content": id}}}
# with a list when several ids were given; the JSON API shape flowLogIds also appears.
targets contains item.content if {
	some item in actor.as_list(input.requestParameters.DeleteFlowLogsRequest.FlowLogId)
	is_string(item.content)
}

targets contains id if {
	some id in input.requestParameters.flowLogIds
	is_string(id)
}

targets contains input.requestParameters.resolverQueryLogConfigId if {
	input.eventName == "DeleteResolverQueryLogConfig"
	is_string(input.requestParameters.resolverQueryLogConfigId)
}

targets contains sprintf("VPC %s (configuration %s)", [input.requestParameters.resourceId, input.requestParameters.resolverQueryLogConfigId]) if {
	input.eventName == "DisassociateResolverQueryLogConfig"
	is_string(input.requestParameters.resourceId)
}

targets contains "(unrecorded id)" if {
	not any_target
}

any_target if {
	some item in actor.as_list(input.requestParameters.DeleteFlowLogsRequest.FlowLogId)
	is_string(item.content)
}

any_target if count(input.requestParameters.flowLogIds) > 0

any_target if is_string(input.requestParameters.resolverQueryLogConfigId)
