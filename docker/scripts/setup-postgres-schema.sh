#!/bin/sh
# Creates and migrates the Temporal persistence (`temporal`) and visibility
# (`temporal_visibility`) databases on PostgreSQL with temporal-sql-tool.
# Runs in the temporalio/admin-tools image, which ships the versioned schema
# directories under /etc/temporal/schema. Safe to re-run: an existing database
# is kept, and setup-schema/update-schema only apply what is missing.
# Layout follows temporalio/samples-server compose/scripts/setup-postgres.sh.
#
# `npm run cluster` runs this same script natively (scripts/cluster.ts): it puts
# temporal-sql-tool on PATH and sets TEMPORAL_SCHEMA_ROOT to the schema directory
# of the server module; without `nc` the reachability check uses pg_isready.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${POSTGRES_PWD:?POSTGRES_PWD is required}"
DB_PORT="${DB_PORT:-5432}"

# temporal-sql-tool reads the password from SQL_PASSWORD (keeps it off the command line).
SQL_PASSWORD="$POSTGRES_PWD"
export SQL_PASSWORD

SCHEMA_DIR="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema}/postgresql/v12"

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}..."
attempt=1
reachable() {
  if command -v nc >/dev/null 2>&1; then
    nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"
  else
    pg_isready -q -h "$POSTGRES_SEEDS" -p "$DB_PORT"
  fi
}
until reachable; do
  if [ "$attempt" -ge 30 ]; then
    echo "PostgreSQL did not become reachable after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

# Runs a `temporal-sql-tool ... create` command, tolerating "already exists".
create_database() {
  if output=$("$@" 2>&1); then
    echo "$output"
  elif echo "$output" | grep -qi 'already exists'; then
    echo "Database already exists, keeping it"
  else
    echo "$output" >&2
    exit 1
  fi
}

echo 'Setting up the temporal database...'
create_database temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" --database temporal create
temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" --database temporal setup-schema --version 0.0
temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" --database temporal update-schema --schema-dir "$SCHEMA_DIR/temporal/versioned"

echo 'Setting up the temporal_visibility database...'
create_database temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" --database temporal_visibility create
temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" --database temporal_visibility setup-schema --version 0.0
temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" --database temporal_visibility update-schema --schema-dir "$SCHEMA_DIR/visibility/versioned"

echo 'PostgreSQL schema setup complete'
