#!/usr/bin/env bash
# Local dev chain. State persists in .run/anvil/state.json (loaded at start, dumped every 5 s and on exit).
#   ANVIL_PORT (8545), CHAIN_ID (31337), ANVIL (contracts/node_modules/.bin/anvil); extra args pass through.
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_env
cd "$ROOT"
if [ ! -x "$ANVIL" ] && ! command -v "$ANVIL" >/dev/null 2>&1; then
  die "anvil not found at $ANVIL: run 'make contracts' (or set ANVIL=/path/to/anvil)"
fi
mkdir -p "$RUN_DIR/anvil"
# Automine plus a block every second: in automine alone Anvil can leave transactions that arrived out of
# nonce order in its pool for good (foundry-rs/foundry#10122; tests/support/processes.py does the same).
exec "$ANVIL" --host 127.0.0.1 --port "$ANVIL_PORT" --chain-id "$CHAIN_ID" --mixed-mining --block-time 1 \
  --state "$RUN_DIR/anvil/state.json" --state-interval 5 "$@"
