#!/bin/sh
# After the Temporal server is up: creates the namespace if it is missing and
# registers the custom search attribute MediatorRequest (Keyword) on it.
# Runs in the temporalio/admin-tools image (ships the `temporal` CLI). Safe to re-run.
# `npm run cluster` runs this same script natively with the CLI on PATH (scripts/cluster.ts).
# Layout follows temporalio/samples-server compose/scripts/create-namespace.sh.
set -eu

TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-72h}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-30}"
SLEEP_SECONDS="${SETUP_SLEEP_SECONDS:-5}"

# Retries "$@" until it succeeds or MAX_ATTEMPTS is reached.
retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "Giving up after $attempt attempts: $*" >&2
      return 1
    fi
    echo "Not ready yet (attempt $attempt/$MAX_ATTEMPTS), retrying in ${SLEEP_SECONDS}s..."
    attempt=$((attempt + 1))
    sleep "$SLEEP_SECONDS"
  done
}

ensure_namespace() {
  if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
    echo "Namespace '$NAMESPACE' already exists"
    return 0
  fi
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
}

ensure_search_attribute() {
  if temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" | grep -qw MediatorRequest; then
    echo "Search attribute MediatorRequest already registered on '$NAMESPACE'"
    return 0
  fi
  temporal operator search-attribute create --name MediatorRequest --type Keyword --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS"
}

echo "Waiting for Temporal at $TEMPORAL_ADDRESS to be healthy..."
retry temporal operator cluster health --address "$TEMPORAL_ADDRESS"

echo "Ensuring namespace '$NAMESPACE'..."
retry ensure_namespace

echo "Ensuring search attribute MediatorRequest (Keyword) on '$NAMESPACE'..."
retry ensure_search_attribute

# A new attribute is read through the namespace registry, refreshed every 10 s: until then a start
# carrying it fails ("no mapping defined for search attribute"). Wait until a query can use it.
attribute_usable() {
  temporal workflow count --query 'MediatorRequest = "setup-probe"' --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1
}
echo "Waiting until MediatorRequest is usable on '$NAMESPACE'..."
retry attribute_usable

echo 'Namespace setup complete'
