#!/bin/sh
# export-live.sh: save the CloudTrail configuration of one AWS account and region as the raw
# JSON outputs of the aws CLI, in the directory layout `trailguard scan DIR` reads
# (docs/live-export.md). Read-only calls only: the AWS managed policy SecurityAudit covers them.
#
# Usage: export-live.sh [--region REGION] [--no-buckets] OUTPUT_DIR
#
# Credentials, profile and default region come from the usual aws CLI settings (AWS_PROFILE,
# AWS_REGION, ~/.aws/config). POSIX sh and the aws CLI (v1 or v2) only: no jq, so the few values
# the script itself needs come from `--query ... --output text` or from the CLI's one-key-per-line
# JSON layout.
#
# Exit status: 0 when describe-trails was exported (other outputs that could not be exported are
# listed on stderr; trailguard reports those settings as unknown), 1 on a usage error or when
# describe-trails itself failed.

set -u

usage() {
    echo "usage: export-live.sh [--region REGION] [--no-buckets] OUTPUT_DIR" >&2
    exit "${1:-1}"
}

region=""
buckets=1
while [ $# -gt 0 ]; do
    case $1 in
        -r | --region)
            [ $# -ge 2 ] || usage
            region=$2
            shift 2
            ;;
        --no-buckets)
            buckets=0
            shift
            ;;
        -h | --help) usage 0 ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -eq 1 ] || usage
out=$1

command -v aws >/dev/null 2>&1 || {
    echo "export-live: the aws CLI is not on PATH" >&2
    exit 1
}
mkdir -p "$out" || exit 1
err="$out/.export-live.err"
failures=0

# aws with the chosen region, if any.
awsr() {
    if [ -n "$region" ]; then
        aws --region "$region" "$@" </dev/null
    else
        aws "$@" </dev/null
    fi
}

# The file-name form of a trail ARN or store name (trailguard matches it back, see the docs).
sanitize() {
    printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'
}

# save NAME ARGS...: run `aws ARGS --output json` and keep the output as OUT/NAME.
# An answer meaning "nothing configured" is saved as {}: trailguard then reports the setting as
# absent; any other failure leaves no file, so the setting is reported as unknown.
save() {
    name=$1
    shift
    tmp="$out/.$name.tmp"
    if awsr "$@" --output json >"$tmp" 2>"$err"; then
        # The CLI prints nothing for an empty response (get-bucket-logging without logging,
        # get-bucket-versioning of a never-versioned bucket).
        [ -s "$tmp" ] || printf '{}\n' >"$tmp"
        mv "$tmp" "$out/$name"
        return 0
    fi
    rm -f "$tmp"
    if grep -q -e '(NoSuchPublicAccessBlockConfiguration)' -e '(NoSuchBucketPolicy)' "$err"; then
        printf '{}\n' >"$out/$name"
        return 0
    fi
    # A trail without insights answers get-insight-selectors with this error; describe-trails'
    # HasInsightSelectors already says so.
    if grep -q '(InsightNotEnabledException)' "$err"; then
        return 0
    fi
    printf 'export-live: %s not exported: %s\n' "$name" "$(tr '\n' ' ' <"$err")" >&2
    failures=$((failures + 1))
    return 1
}

save get-caller-identity.json sts get-caller-identity

# With shadow trails: multi-region trails homed elsewhere and organization trails of the
# management account are listed too.
save describe-trails.json cloudtrail describe-trails --include-shadow-trails || {
    rm -f "$err"
    exit 1
}
trails="$out/.trails.tsv"
if ! awsr cloudtrail describe-trails --include-shadow-trails \
    --query 'trailList[].[TrailARN, S3BucketName]' --output text >"$trails" 2>"$err"; then
    printf 'export-live: cannot list trail ARNs: %s\n' "$(tr '\n' ' ' <"$err")" >&2
    rm -f "$trails" "$err"
    exit 1
fi

# Per trail, by ARN: shadow and organization trails answer only to their ARN.
seen_buckets=" "
tab=$(printf '\t')
while IFS=$tab read -r arn bucket; do
    [ -n "$arn" ] || continue
    key=$(sanitize "$arn")
    save "get-trail-status.$key.json" cloudtrail get-trail-status --name "$arn"
    save "get-event-selectors.$key.json" cloudtrail get-event-selectors --trail-name "$arn"
    save "get-insight-selectors.$key.json" cloudtrail get-insight-selectors --trail-name "$arn"
    case $bucket in
        "" | None) continue ;;
    esac
    [ "$buckets" -eq 1 ] || continue
    case $seen_buckets in
        *" $bucket "*) continue ;;
    esac
    seen_buckets="$seen_buckets$bucket "
    save "get-bucket-acl.$bucket.json" s3api get-bucket-acl --bucket "$bucket"
    save "get-public-access-block.$bucket.json" s3api get-public-access-block --bucket "$bucket"
    save "get-bucket-policy.$bucket.json" s3api get-bucket-policy --bucket "$bucket"
    save "get-bucket-logging.$bucket.json" s3api get-bucket-logging --bucket "$bucket"
    save "get-bucket-versioning.$bucket.json" s3api get-bucket-versioning --bucket "$bucket"
done <"$trails"
rm -f "$trails"

# CloudTrail Lake event data stores. ListEventDataStores has no CLI paginator: follow
# NextToken by hand, one file per page.
token=""
page=1
while :; do
    list=list-event-data-stores.json
    [ "$page" -eq 1 ] || list="list-event-data-stores.$page.json"
    if [ -n "$token" ]; then
        save "$list" cloudtrail list-event-data-stores --next-token "$token" || break
    else
        save "$list" cloudtrail list-event-data-stores || break
    fi
    # ARNs hold no spaces or quotes, so word splitting of this list is safe.
    for eds in $(sed -n 's/^ *"EventDataStoreArn": "\([^"]*\)".*/\1/p' "$out/$list"); do
        tmpname="get-event-data-store.$(sanitize "$eds").json"
        save "$tmpname" cloudtrail get-event-data-store --event-data-store "$eds" || continue
        # The store's own Name is the only key indented by four spaces.
        name=$(sed -n 's/^    "Name": "\([^"]*\)".*/\1/p' "$out/$tmpname")
        if [ -n "$name" ]; then
            mv "$out/$tmpname" "$out/get-event-data-store.$(sanitize "$name").json"
        fi
    done
    token=$(sed -n 's/^ *"NextToken": "\([^"]*\)".*/\1/p' "$out/$list")
    [ -n "$token" ] || break
    page=$((page + 1))
done

rm -f "$err"
if [ "$failures" -gt 0 ]; then
    echo "export-live: wrote $out; $failures output(s) could not be exported (listed above)" >&2
else
    echo "export-live: wrote $out" >&2
fi
exit 0
