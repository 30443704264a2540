# Helpers shared by the built-in event rules: who made a call, from where, and the small
# parsing chores that CloudTrail's request shapes need (lists that are sometimes scalars,
# policy documents that are JSON or URL-encoded JSON strings).
#
# Only functions live here: a helper *rule* in another package would be re-evaluated for every
# record (regorus caches nothing between evaluations), while a function costs nothing until a
# rule body that already matched calls it to build its message.
package trailguard.events.lib.actor

import rego.v1

# who(rec) describes the principal behind a record in words an on-call engineer recognises.
# The typed branches exclude one another, so their order is free: role sessions, the most
# common callers, come first (each failed branch costs the VM about 0.5 µs per finding).
who(rec) := sprintf("SSO user '%s' (permission set '%s')", [session_name(rec), permission_set(rec)]) if {
	rec.userIdentity.type == "AssumedRole"
	startswith(rec.userIdentity.sessionContext.sessionIssuer.userName, "AWSReservedSSO_")
} else := sprintf("role '%s' (session '%s')", [rec.userIdentity.sessionContext.sessionIssuer.userName, session_name(rec)]) if {
	rec.userIdentity.type == "AssumedRole"
	rec.userIdentity.sessionContext.sessionIssuer.userName
} else := sprintf("root user of account %s", [account(rec)]) if {
	rec.userIdentity.type == "Root"
} else := sprintf("IAM user '%s'", [rec.userIdentity.userName]) if {
	rec.userIdentity.type == "IAMUser"
	rec.userIdentity.userName
} else := sprintf("federated user '%s'", [federated_name(rec)]) if {
	rec.userIdentity.type == "FederatedUser"
} else := sprintf("AWS service %s", [rec.userIdentity.invokedBy]) if {
	rec.userIdentity.type == "AWSService"
	rec.userIdentity.invokedBy
} else := sprintf("account %s", [rec.userIdentity.accountId]) if {
	rec.userIdentity.type == "AWSAccount"
	rec.userIdentity.accountId
} else := sprintf("%s user '%s'", [rec.userIdentity.type, rec.userIdentity.userName]) if {
	rec.userIdentity.userName
} else := sprintf("principal %s", [rec.userIdentity.arn]) if {
	rec.userIdentity.arn
} else := sprintf("principal %s", [rec.userIdentity.principalId]) if {
	rec.userIdentity.principalId
} else := "an unidentified principal"

# where(rec) is " from <ip>" or " via <service>" (empty when CloudTrail recorded neither).
where(rec) := sprintf(" via %s", [rec.userIdentity.invokedBy]) if {
	rec.userIdentity.invokedBy
} else := sprintf(" via %s", [rec.sourceIPAddress]) if {
	endswith(rec.sourceIPAddress, ".amazonaws.com")
} else := sprintf(" from %s", [rec.sourceIPAddress]) if {
	is_string(rec.sourceIPAddress)
	rec.sourceIPAddress != ""
} else := ""

# outcome(rec) is "" for a successful call and " (failed: <errorCode>)" for an attempt.
outcome(rec) := sprintf(" (failed: %s)", [rec.errorCode]) if {
	rec.errorCode
} else := ""

# counted(rec) holds when the record counts under the `successful_only` parameter: attempts
# count like the CIS metric filters unless the user asked for successful calls only.
counted(rec) if not data.trailguard.params.successful_only

counted(rec) if not rec.errorCode

# succeeded(rec): CloudTrail omits errorCode on success.
succeeded(rec) if not rec.errorCode

# account(rec): the account the call was recorded in.
account(rec) := rec.recipientAccountId if {
	rec.recipientAccountId
} else := rec.userIdentity.accountId if {
	rec.userIdentity.accountId
} else := "unknown"

# caller_arns(rec): the ARNs a principal allow-list may name for this caller: the identity ARN
# and, for role sessions, the role ARN (session ARNs change with every session name).
caller_arns(rec) := {a | a := rec.userIdentity.arn} | {a | a := rec.userIdentity.sessionContext.sessionIssuer.arn}

session_name(rec) := name if {
	parts := split(rec.userIdentity.principalId, ":")
	count(parts) > 1
	name := parts[count(parts) - 1]
} else := "unknown"

permission_set(rec) := name if {
	parts := split(rec.userIdentity.sessionContext.sessionIssuer.userName, "_")
	count(parts) > 2
	name := concat("_", array.slice(parts, 1, count(parts) - 1))
} else := rec.userIdentity.sessionContext.sessionIssuer.userName

federated_name(rec) := name if {
	parts := split(rec.userIdentity.arn, "federated-user/")
	count(parts) == 2
	name := parts[1]
} else := rec.userIdentity.principalId

# as_list(x): CloudTrail logs single-element lists as scalars in some APIs.
as_list(x) := x if {
	is_array(x)
} else := [x]

# items(x): the EC2 query-API list shape `{"items": [...]}` (absent or empty object -> []).
items(x) := x.items if {
	is_array(x.items)
} else := []

# policy_doc(s): an IAM policy document from a request parameter that is an object, a JSON
# string, or a URL-encoded JSON string (IAM echoes documents URL-encoded in some records).
policy_doc(s) := s if {
	is_object(s)
} else := json.unmarshal(urlquery.decode(s)) if {
	is_string(s)
	startswith(s, "%7B")
} else := json.unmarshal(s) if {
	is_string(s)
}

# statements(doc): `Statement` is an object or a list of objects.
statements(doc) := as_list(doc.Statement)

# principal_values(p, kind): the values of a policy `Principal` for one kind ("AWS",
# "Service"...); a bare "*" principal means every AWS principal.
principal_values(p, kind) := ["*"] if {
	p == "*"
} else := as_list(p[kind]) if {
	is_object(p)
	p[kind]
} else := []

# principal_account(v): the account id named by an AWS principal value ("*" stays "*").
principal_account(v) := "*" if {
	v == "*"
} else := v if {
	count(v) == 12
	not contains(v, ":")
} else := parts[4] if {
	startswith(v, "arn:")
	parts := split(v, ":")
	count(parts) > 5
} else := v

# action(rec): "service:EventName", e.g. "ec2:GetPasswordData".
action(rec) := sprintf("%s:%s", [split(rec.eventSource, ".")[0], rec.eventName]) if {
	is_string(rec.eventSource)
} else := sprintf("%v", [object.get(rec, "eventName", "(unknown call)")])

# read_only(rec): CloudTrail writes a boolean; some exports carry the string.
read_only(rec) if rec.readOnly == true

read_only(rec) if rec.readOnly == "true"

# untrusted_account(v, rec): an AWS principal value names "*" (whatever `trusted_accounts` says)
# or an account that is neither the recording account nor listed in `trusted_accounts`.
untrusted_account(v, rec) if principal_account(v) == "*"

untrusted_account(v, rec) if {
	acct := principal_account(v)
	acct != "*"
	acct != account(rec)
	not acct in {sprintf("%v", [a]) | some a in data.trailguard.params.trusted_accounts}
}

# request(rec): requestParameters as an object; CloudTrail writes null when there are none.
request(rec) := rec.requestParameters if {
	is_object(rec.requestParameters)
} else := {}

# extra(rec): additionalEventData as an object ({} when absent or null).
extra(rec) := rec.additionalEventData if {
	is_object(rec.additionalEventData)
} else := {}

# response(rec): responseElements as an object ({} when absent or null, as on failures).
response(rec) := rec.responseElements if {
	is_object(rec.responseElements)
} else := {}
