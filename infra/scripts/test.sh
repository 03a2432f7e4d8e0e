#!/usr/bin/env bash
# `make test`: every check, in order, stopping at the first failure.
#   1. contracts   forge test (in contracts/)
#   2. backend     makemigrations --check, OpenAPI schema validation (config.settings.test)
#   3. pytest      .venv/bin/pytest from the repository root (its fixtures start their own Anvil)
#   4. frontend    npm test, once frontend/package.json exists
# Environment passes through: PYTEST_ADDOPTS, FOUNDRY_PROFILE (see 'make test-long'), DATABASE_URL, ...
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -f "$RUN_DIR/services.env" ] || "$ROOT/infra/scripts/ensure-services.sh"
export DJANGO_SETTINGS_MODULE=config.settings.test
load_env
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || die "the virtualenv is missing: run 'make venv'"
if [ -z "${CHROMIUM_PATH:-}" ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -x "$c" ] && { export CHROMIUM_PATH="$c"; break; }
  done
fi

t0=$SECONDS
passed=()
skipped=()

summary() {
  local status=$1 extra=${2:-}
  local msg="test.sh: $status in $((SECONDS - t0))s"
  [ ${#passed[@]} -eq 0 ] || msg+=" | passed: ${passed[*]}"
  [ ${#skipped[@]} -eq 0 ] || msg+=" | skipped: ${skipped[*]}"
  [ -z "$extra" ] || msg+=" | $extra"
  echo
  echo "$msg"
}

# stage NAME CMD...: run one check; stop everything at the first failure.
stage() {
  local name=$1 rc=0 t=$SECONDS
  shift
  info "[$name] $*"
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    summary "FAILED" "failed: $name (exit $rc)"
    exit "$rc"
  fi
  passed+=("$name($((SECONDS - t))s)")
}

contract_tests() {
  (cd contracts && "$FORGE" test)
}

# (set -e does not apply inside `stage`'s `||`: chain with &&.)
backend_checks() {
  "$PY" backend/manage.py makemigrations --check --dry-run \
    && "$PY" backend/manage.py spectacular --validate --fail-on-warn --format openapi-json \
         --file "$( [ -f frontend/package.json ] && echo frontend/openapi.json || echo /dev/null )"
}

frontend_tests() {
  (cd frontend && CI="${CI:-1}" npm test)
}

stage contracts contract_tests
stage backend backend_checks
stage pytest "$ROOT/.venv/bin/pytest"
if [ -f frontend/package.json ]; then
  stage frontend frontend_tests
else
  skipped+=("frontend(no frontend/package.json)")
fi
summary "ALL PASSED"
