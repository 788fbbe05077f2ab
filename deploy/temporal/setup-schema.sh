#!/bin/sh
# Sets up Temporal's schema on PostgreSQL with the sql tool (docker-compose.yml, service
# temporal-schema): the same steps src/cluster/temporal-server.ts runs for the local cluster.
# Idempotent: an existing database is kept, and update-schema only applies newer versions.
# Runs in the temporalio/admin-tools image (SQL_* variables select plugin, host and credentials).
set -eu

SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$SCHEMA_DIR/temporal/versioned" ;;
    *) dir="$SCHEMA_DIR/visibility/versioned" ;;
  esac
  temporal-sql-tool --database "$db" create-database || echo "database $db exists"
  # setup-schema -v 0.0 only creates the version table; it fails harmlessly when it exists.
  temporal-sql-tool --database "$db" setup-schema -v 0.0 || echo "schema of $db already set up"
  temporal-sql-tool --database "$db" update-schema -d "$dir"
done
