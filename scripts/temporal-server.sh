#!/usr/bin/env bash
# Builds the Temporal server and its SQL schema tool from the Go module proxy into
# .cache/temporal-server (server, sql, and the PostgreSQL schema), once: skipped when both binaries exist. About five
# minutes on two cores. v1.30.6 is the newest release that builds with Go 1.26.8 (v1.31 needs
# 1.26.10); GOTOOLCHAIN=local keeps Go from downloading a newer toolchain behind our back.
# Used by `bash scripts/bootstrap.sh --cluster` (npm run cluster, npm run test:scale-out).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="v1.30.6"
OUT="$PWD/.cache/temporal-server"
say() { echo "[temporal-server] $*" >&2; }

if [ -x "$OUT/server" ] && [ -x "$OUT/sql" ] && [ -d "$OUT/schema" ] && [ "$(cat "$OUT/.version" 2>/dev/null)" = "$VERSION" ]; then exit 0; fi
if ! command -v go >/dev/null; then
  say "building the Temporal server needs Go >= 1.25 (Debian: apt-get install -y golang-go, or https://go.dev/dl/)"
  exit 1
fi
say "building go.temporal.io/server $VERSION (server and sql tool) into $OUT; this takes a few minutes, once"
mkdir -p "$OUT"
start=$(date +%s)
# The caller's GOFLAGS stay (.ci/run passes -p=1 to build beside the main suite).
GOTOOLCHAIN=local GOFLAGS="-mod=mod ${GOFLAGS:-}" GOBIN="$OUT" go install \
  "go.temporal.io/server/cmd/server@$VERSION" "go.temporal.io/server/cmd/tools/sql@$VERSION"
# The schema files live in the module source, which `go clean -modcache` may delete: keep a copy.
rm -rf "$OUT/schema"
cp -r "$(go env GOMODCACHE)/go.temporal.io/server@$VERSION/schema/postgresql/v12" "$OUT/schema"
chmod -R u+w "$OUT/schema"
echo "$VERSION" > "$OUT/.version"
say "built in $(( $(date +%s) - start )) s"
