#!/bin/sh
# Registers Vigil's custom search attributes on a Temporal namespace.
#
# Reads search-attributes.json (a JSON list of {"name": ..., "type": ...} objects), waits for the
# Temporal frontend to report healthy, makes sure the namespace exists, then creates every
# attribute that is not registered yet. Safe to run any number of times.
#
# Needs only POSIX sh, sed, tr, date and the `temporal` CLI (all present in temporalio/admin-tools).
#
# Environment:
#   TEMPORAL_ADDRESS         frontend host:port            (default temporal:7233)
#   TEMPORAL_NAMESPACE       namespace to register on      (default default)
#   SEARCH_ATTRIBUTES_FILE   JSON list of attributes       (default: search-attributes.json next to this script)
#   WAIT_TIMEOUT_SECONDS     how long to wait for Temporal (default 180)
set -eu

TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
SEARCH_ATTRIBUTES_FILE="${SEARCH_ATTRIBUTES_FILE:-$SCRIPT_DIR/search-attributes.json}"
WAIT_TIMEOUT_SECONDS="${WAIT_TIMEOUT_SECONDS:-180}"

log() {
  printf '[search-attributes] %s\n' "$*"
}

fail() {
  printf '[search-attributes] ERROR: %s\n' "$*" >&2
  exit 1
}

deadline=$(($(date +%s) + WAIT_TIMEOUT_SECONDS))

past_deadline() {
  [ "$(date +%s)" -ge "$deadline" ]
}

# Prints "NAME TYPE" per attribute. The file is flat JSON (string values only), so splitting on
# '}' yields one object per line; field order inside an object does not matter.
parse_attributes() {
  tr -d '\r\n' <"$1" | tr '}' '\n' | while IFS= read -r object || [ -n "$object" ]; do
    name=$(printf '%s\n' "$object" | sed -n 's/.*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
    type=$(printf '%s\n' "$object" | sed -n 's/.*"type"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
    if [ -n "$name" ] || [ -n "$type" ]; then
      printf '%s %s\n' "$name" "$type"
    fi
  done
}

[ -r "$SEARCH_ATTRIBUTES_FILE" ] || fail "cannot read $SEARCH_ATTRIBUTES_FILE"
attributes=$(parse_attributes "$SEARCH_ATTRIBUTES_FILE")
[ -n "$attributes" ] || fail "no search attributes found in $SEARCH_ATTRIBUTES_FILE"

# Validate everything before touching the server.
while read -r name type; do
  [ -n "$name" ] && [ -n "$type" ] || fail "entry without name or type in $SEARCH_ATTRIBUTES_FILE"
  case "$name" in
    *[!A-Za-z0-9_]*) fail "invalid search attribute name: $name" ;;
  esac
  case "$type" in
    Text | Keyword | Int | Double | Bool | Datetime | KeywordList) ;;
    *) fail "unsupported type $type for $name" ;;
  esac
done <<EOF
$attributes
EOF

log "waiting for Temporal at $TEMPORAL_ADDRESS (timeout ${WAIT_TIMEOUT_SECONDS}s)"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  past_deadline && fail "Temporal at $TEMPORAL_ADDRESS did not become healthy in ${WAIT_TIMEOUT_SECONDS}s"
  sleep 2
done
log "Temporal is serving"

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS" \
  >/dev/null 2>&1; then
  log "namespace $TEMPORAL_NAMESPACE exists"
else
  log "creating namespace $TEMPORAL_NAMESPACE"
  if ! output=$(temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" \
    --address "$TEMPORAL_ADDRESS" 2>&1); then
    case "$output" in
      *[Aa]lready*) log "namespace $TEMPORAL_NAMESPACE already exists" ;;
      *) fail "could not create namespace $TEMPORAL_NAMESPACE: $output" ;;
    esac
  fi
fi

# Returns 0 when NAME is listed as a search attribute on the namespace.
is_registered() {
  listing=$(temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" \
    --address "$TEMPORAL_ADDRESS" </dev/null 2>/dev/null) || return 1
  printf '%s\n' "$listing" | grep -Eq "(^|[[:space:]])$1([[:space:]]|\$)"
}

# A freshly created namespace can take a few seconds to reach every frontend cache, so creation
# is retried until the deadline; "already exists" counts as success.
register() {
  name=$1
  type=$2
  while :; do
    if is_registered "$name"; then
      log "$name ($type) already registered"
      return 0
    fi
    if output=$(temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" \
      --name "$name" --type "$type" --address "$TEMPORAL_ADDRESS" </dev/null 2>&1); then
      log "registered $name ($type)"
      return 0
    fi
    case "$output" in
      *"different type"*) fail "$name exists with a type other than $type: $output" ;;
      *[Aa]lready*) log "$name ($type) already registered"; return 0 ;;
    esac
    past_deadline && fail "could not register $name ($type): $output"
    log "retrying $name ($type): $output"
    sleep 2
  done
}

while read -r name type; do
  register "$name" "$type"
done <<EOF
$attributes
EOF

# The frontend caches search attributes (refreshed about once a minute): wait until a query
# naming every one of them is accepted, so the first workflow start does not race the cache.
query=$(printf '%s\n' "$attributes" | awk 'NF { printf "%s%s IS NOT NULL", sep, $1; sep=" AND " }')
until temporal workflow count --namespace "$TEMPORAL_NAMESPACE" --address "$TEMPORAL_ADDRESS" \
  --query "$query" </dev/null >/dev/null 2>&1; do
  past_deadline && fail "search attributes are registered but not yet usable: $query"
  log "waiting for the search-attribute cache to pick up the new attributes"
  sleep 5
done

log "search attributes are registered and usable on namespace $TEMPORAL_NAMESPACE"
