#!/usr/bin/env bash
# Static analysis of contracts/src: Slither and forge lint. `make slither` runs it; so does
# tests/security/test_contracts_static_analysis.py, which judges the findings against the triage table
# in docs/security.md.
#
# Slither needs a solc; solc-select cannot download one here, so Slither drives the project's own forge
# (crytic-compile's foundry platform), which compiles with contracts/bin/solc, the offline solc-js
# wrapper. Slither lives in its own virtualenv under .run/ (its pins are not the backend's), and forge
# builds into .run/contracts-analysis/, never into contracts/out or contracts/cache.
#
# Output: .run/contracts-analysis/slither.json and forge-lint.txt. Exit status: 0 when both tools ran,
# whatever they found; non-zero when one could not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SLITHER_VERSION=0.11.6
CRYTIC_COMPILE_VERSION=0.4.2
VENV="$ROOT/.run/slither-venv"
OUT="$ROOT/.run/contracts-analysis"
PYTHON="${PYTHON:-python3}"

if ! "$VENV/bin/slither" --version 2>/dev/null | grep -qx "$SLITHER_VERSION"; then
  echo "contracts-analysis: installing slither-analyzer $SLITHER_VERSION into $VENV" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
    "slither-analyzer==$SLITHER_VERSION" "crytic-compile==$CRYTIC_COMPILE_VERSION"
fi

mkdir -p "$OUT"
rm -f "$OUT/slither.json"
cd "$ROOT/contracts"
export PATH="$ROOT/contracts/node_modules/.bin:$PATH"
export FOUNDRY_OUT="$OUT/out" FOUNDRY_CACHE_PATH="$OUT/cache"

# --fail-none: findings are judged by the triage, not by the exit status.
"$VENV/bin/slither" . \
  --compile-force-framework foundry \
  --filter-paths 'node_modules|test/|script/' \
  --exclude-dependencies \
  --fail-none \
  --disable-color \
  --json "$OUT/slither.json" 2> "$OUT/slither.txt" || {
    cat "$OUT/slither.txt" >&2
    echo "contracts-analysis: slither did not run" >&2
    exit 2
  }
grep -v -e '^INFO:CryticCompile' -e "^'forge" "$OUT/slither.txt" || true

forge lint > "$OUT/forge-lint.txt" 2>&1 || { cat "$OUT/forge-lint.txt" >&2; echo "contracts-analysis: forge lint failed" >&2; exit 3; }
cat "$OUT/forge-lint.txt"
