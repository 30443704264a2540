package trailguard.events.lib.actor_test

import rego.v1

import data.trailguard.events.lib.actor

test_who_names_each_identity_type if {
	actor.who({"userIdentity": {"type": "Root", "accountId": "111122223333"}, "recipientAccountId": "111122223333"}) == "root user of account 111122223333"
	actor.who({"userIdentity": {"type": "IAMUser", "userName": "alice"}}) == "IAM user 'alice'"
	actor.who({"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAEXAMPLE:bob@example.com",
		"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSReservedSSO_PlatformAdmin_0123456789abcdef"}},
	}}) == "SSO user 'bob@example.com' (permission set 'PlatformAdmin')"
	actor.who({"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAEXAMPLE:i-0123456789abcdef0",
		"sessionContext": {"sessionIssuer": {"type": "Role", "userName": "web-server"}},
	}}) == "role 'web-server' (session 'i-0123456789abcdef0')"
	actor.who({"userIdentity": {"type": "FederatedUser", "arn": "arn:aws:sts::111122223333:federated-user/broker", "principalId": "111122223333:broker"}}) == "federated user 'broker'"
	actor.who({"userIdentity": {"type": "AWSService", "invokedBy": "cloudtrail.amazonaws.com"}}) == "AWS service cloudtrail.amazonaws.com"
	actor.who({"userIdentity": {"type": "AWSAccount", "accountId": "444455556666", "principalId": "AIDAEXAMPLE"}}) == "account 444455556666"
	actor.who({"userIdentity": {"type": "IdentityCenterUser", "principalId": "9067d9c5-e0c1-70d4-2b18-2c8c4a1b7f3e"}}) == "principal 9067d9c5-e0c1-70d4-2b18-2c8c4a1b7f3e"
	actor.who({}) == "an unidentified principal"
}

test_permission_set_names_with_underscores if {
	actor.who({"userIdentity": {
		"type": "AssumedRole",
		"principalId": "AROAEXAMPLE:jane",
		"sessionContext": {"sessionIssuer": {"userName": "AWSReservedSSO_data_team_admin_0123456789abcdef"}},
	}}) == "SSO user 'jane' (permission set 'data_team_admin')"
}

test_where if {
	actor.where({"sourceIPAddress": "203.0.113.7"}) == " from 203.0.113.7"
	actor.where({"sourceIPAddress": "cloudformation.amazonaws.com", "userIdentity": {"invokedBy": "cloudformation.amazonaws.com"}}) == " via cloudformation.amazonaws.com"
	actor.where({"sourceIPAddress": "ecs-tasks.amazonaws.com"}) == " via ecs-tasks.amazonaws.com"
	actor.where({"sourceIPAddress": "AWS Internal"}) == " from AWS Internal"
	actor.where({}) == ""
}

test_outcome_and_counted if {
	actor.outcome({"errorCode": "AccessDenied"}) == " (failed: AccessDenied)"
	actor.outcome({}) == ""
	actor.counted({"errorCode": "AccessDenied"}) with data.trailguard.params as {"successful_only": false}
	not actor.counted({"errorCode": "AccessDenied"}) with data.trailguard.params as {"successful_only": true}
	actor.counted({}) with data.trailguard.params as {"successful_only": true}
}

test_request_and_response_tolerate_null if {
	actor.request({"requestParameters": null}) == {}
	actor.request({}) == {}
	actor.request({"requestParameters": {"a": 1}}) == {"a": 1}
	actor.response({"responseElements": null}) == {}
	actor.extra({"additionalEventData": {"MFAUsed": "No"}}) == {"MFAUsed": "No"}
}

test_action if {
	actor.action({"eventSource": "ec2.amazonaws.com", "eventName": "RunInstances"}) == "ec2:RunInstances"
	actor.action({"eventName": "RunInstances"}) == "RunInstances"
}

test_policy_doc_reads_objects_json_and_urlencoded_json if {
	doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
	actor.policy_doc(doc) == doc
	actor.policy_doc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`) == doc
	actor.policy_doc("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D") == doc
	not actor.policy_doc("{not json")
}

test_statements_and_principals if {
	actor.statements({"Statement": {"Effect": "Deny"}}) == [{"Effect": "Deny"}]
	actor.principal_values("*", "AWS") == ["*"]
	actor.principal_values({"AWS": "arn:aws:iam::444455556666:root"}, "AWS") == ["arn:aws:iam::444455556666:root"]
	actor.principal_values({"Service": "ec2.amazonaws.com"}, "AWS") == []
	actor.principal_account("arn:aws:iam::444455556666:role/x") == "444455556666"
	actor.principal_account("444455556666") == "444455556666"
	actor.principal_account("*") == "*"
}

test_untrusted_account if {
	rec := {"recipientAccountId": "111122223333"}
	actor.untrusted_account("arn:aws:iam::444455556666:root", rec) with data.trailguard.params as {"trusted_accounts": []}
	not actor.untrusted_account("arn:aws:iam::444455556666:root", rec) with data.trailguard.params as {"trusted_accounts": ["444455556666"]}
	not actor.untrusted_account("111122223333", rec) with data.trailguard.params as {"trusted_accounts": []}
	actor.untrusted_account("*", rec) with data.trailguard.params as {"trusted_accounts": ["*"]}
}

test_items_and_as_list if {
	actor.items({"items": [1, 2]}) == [1, 2]
	actor.items({}) == []
	actor.as_list("x") == ["x"]
	actor.as_list(["x"]) == ["x"]
}

test_caller_arns_for_role_sessions if {
	actor.caller_arns({"userIdentity": {
		"arn": "arn:aws:sts::111122223333:assumed-role/BreakGlass/jane",
		"sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::111122223333:role/BreakGlass"}},
	}}) == {"arn:aws:sts::111122223333:assumed-role/BreakGlass/jane", "arn:aws:iam::111122223333:role/BreakGlass"}
	actor.caller_arns({"userIdentity": {"arn": "arn:aws:iam::111122223333:user/alice"}}) == {"arn:aws:iam::111122223333:user/alice"}
}
