#!/bin/sh
# Creates the namespace and registers mlgate's Keyword search attributes on the compose cluster.
# Idempotent: a namespace or attribute that already exists is left alone, so `docker compose up`
# can run this on every start.
# Runs in the temporalio/admin-tools image (busybox sh, temporal CLI on PATH).
set -eu

: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS, e.g. temporal:7233}"
: "${KEYWORD_SEARCH_ATTRIBUTES:?set KEYWORD_SEARCH_ATTRIBUTES to a space-separated list of names}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"

# The server may report healthy before it accepts namespace calls: retry the create until the
# namespace can be described (SQL visibility shows a new namespace after a cache refresh).
attempt=1
until temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; do
  temporal operator namespace create --namespace "$NAMESPACE" --retention 7d >/dev/null 2>&1 || true
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "namespace $NAMESPACE did not appear on $TEMPORAL_ADDRESS after $MAX_ATTEMPTS attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

existing="$(temporal operator search-attribute list --namespace "$NAMESPACE")"
for name in $KEYWORD_SEARCH_ATTRIBUTES; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name already registered"
    continue
  fi
  # A second setup container may win the race between list and create: "already exists" is fine.
  if out="$(temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword 2>&1)"; then
    echo "search attribute $name registered (Keyword)"
  elif printf '%s\n' "$out" | grep -qi 'already exists'; then
    echo "search attribute $name already registered"
  else
    printf '%s\n' "$out" >&2
    exit 1
  fi
done
