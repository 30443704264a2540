package trailguard.events.network_or_dns_logging_deleted_test

import rego.v1

import data.trailguard.events.network_or_dns_logging_deleted as rule

params := {"successful_only": false}

user := {"type": "IAMUser", "userName": "christophe", "arn": "arn:aws:iam::498376118699:user/christophe", "accountId": "498376118699"}

# Stratus aws.defense-evasion.vpc-remove-flow-logs (trimmed).
flow := {
	"eventVersion": "1.09",
	"eventSource": "ec2.amazonaws.com",
	"eventName": "DeleteFlowLogs",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.223",
	"recipientAccountId": "498376118699",
	"requestParameters": {"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-0e17aa62a21d4bbfe", "tag": 1}}},
	"responseElements": {"DeleteFlowLogsResponse": {"unsuccessful": ""}},
	"userIdentity": user,
}

# Stratus aws.defense-evasion.dns-delete-logs (trimmed).
dns := {
	"eventVersion": "1.08",
	"eventSource": "route53resolver.amazonaws.com",
	"eventName": "DeleteResolverQueryLogConfig",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "203.0.113.249",
	"recipientAccountId": "206821776919",
	"requestParameters": {"originSequenceNumber": 0, "resolverQueryLogConfigId": "rqlc-4473f20ca554c07"},
	"userIdentity": user,
}

test_flow_log_deletion_fires if {
	findings := rule.deny with input as flow with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'christophe' deleted VPC flow logs fl-0e17aa62a21d4bbfe from 203.0.113.223",
		"evidence": {"eventName": "DeleteFlowLogs", "targets": ["fl-0e17aa62a21d4bbfe"]},
	}}
}

test_several_flow_logs_fire_once if {
	rec := object.union(object.remove(flow, ["requestParameters"]), {"requestParameters": {"DeleteFlowLogsRequest": {"FlowLogId": [{"content": "fl-1", "tag": 1}, {"content": "fl-2", "tag": 2}]}}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	count(findings) == 1
	some f in findings
	f.evidence.targets == ["fl-1", "fl-2"]
}

test_dns_query_log_deletion_fires if {
	findings := rule.deny with input as dns with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' deleted Route 53 Resolver query logging configuration rqlc-4473f20ca554c07 from 203.0.113.249"
}

test_disassociation_fires if {
	rec := object.union(dns, {"eventName": "DisassociateResolverQueryLogConfig", "requestParameters": {"resourceId": "vpc-0a1b2c3d4e5f60718"}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'christophe' detached Route 53 Resolver query logging from VPC vpc-0a1b2c3d4e5f60718 (configuration rqlc-4473f20ca554c07) from 203.0.113.249"
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(flow, {"errorCode": "Client.InvalidFlowLogId.NotFound"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_creating_flow_logs_does_not_fire if {
	count(rule.deny) == 0 with input as object.union(flow, {"eventName": "CreateFlowLogs"}) with data.trailguard.params as params
}
