#!/usr/bin/env bash
# `make run`: the whole platform on this machine, in the foreground; Ctrl-C stops it.
#   1. migrate the database (and collect static files),
#   2. start Anvil in the background (or reuse one answering on ANVIL_PORT),
#   3. deploy the contracts (manage.py chain_deploy) and seed the demo data (manage.py seed_demo),
#   4. run web, worker and beat under honcho (infra/Procfile.app),
#   5. on exit, stop the Anvil started in step 2 (its state stays in .run/anvil/state.json).
# A second run reuses the database, the chain state and the deployed contracts.
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -f "$RUN_DIR/services.env" ] || "$ROOT/infra/scripts/ensure-services.sh"
load_env
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] && [ -x "$ROOT/.venv/bin/honcho" ] || die "the virtualenv is missing: run 'make venv'"
manage() { "$PY" "$ROOT/backend/manage.py" "$@"; }

ANVIL_DIR="$RUN_DIR/anvil"
ANVIL_PIDFILE="$ANVIL_DIR/anvil.pid"
ANVIL_LOG="$ANVIL_DIR/anvil.log"
ANVIL_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$ANVIL_PID" ] && kill -0 "$ANVIL_PID" 2>/dev/null; then
    info "stopping anvil (pid $ANVIL_PID); chain state kept in .run/anvil/state.json"
    # Anvil runs in its own session: signal its whole group; it dumps its state on the way out.
    kill -TERM -- "-$ANVIL_PID" 2>/dev/null || kill -TERM "$ANVIL_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$ANVIL_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$ANVIL_PID" 2>/dev/null || true
    rm -f "$ANVIL_PIDFILE"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. database
info "migrating the database"
manage migrate --noinput
manage collectstatic --noinput -v 0

# --- 2. anvil
mkdir -p "$ANVIL_DIR"
if chain="$(json_rpc_ok "$CHAIN_RPC_URL")"; then
  note=""
  pid="$(cat "$ANVIL_PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && note=" (started by an earlier run; 'make stop-services' stops it)"
  info "reusing the chain answering on $CHAIN_RPC_URL (chain id $chain)$note"
  [ "$chain" = "$CHAIN_ID" ] || warn "that chain's id is $chain, not CHAIN_ID=$CHAIN_ID"
else
  if tcp_open 127.0.0.1 "$ANVIL_PORT"; then
    die "port $ANVIL_PORT is taken by something that is not an Ethereum node; choose another, e.g. ANVIL_PORT=8546 make run"
  fi
  info "starting anvil on $CHAIN_RPC_URL (log: .run/anvil/anvil.log)"
  # In its own session, so that Ctrl-C reaches honcho only and this script stops Anvil last.
  launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  "${launcher[@]}" "$ROOT/infra/scripts/anvil.sh" >>"$ANVIL_LOG" 2>&1 </dev/null &
  ANVIL_PID=$!
  echo "$ANVIL_PID" >"$ANVIL_PIDFILE"
  for _ in $(seq 1 300); do
    json_rpc_ok "$CHAIN_RPC_URL" >/dev/null && break
    if ! kill -0 "$ANVIL_PID" 2>/dev/null; then
      tail -n 20 "$ANVIL_LOG" >&2 || true
      ANVIL_PID=""
      rm -f "$ANVIL_PIDFILE"
      die "anvil exited at start (log above). If .run/anvil/state.json is damaged, delete it (the chain then restarts empty)."
    fi
    sleep 0.2
  done
  json_rpc_ok "$CHAIN_RPC_URL" >/dev/null || die "anvil does not answer on $CHAIN_RPC_URL after 60 s (log: $ANVIL_LOG)"
fi

# --- 3. contracts and demo data
info "deploying the contracts"
manage chain_deploy
info "seeding the demo data"
manage seed_demo

# --- 4. the application
base="http://127.0.0.1:$WEB_PORT"
cat <<EOF

  Trade-finance platform (DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE)
    web        $base/
    API docs   $base/api/docs/
    health     $base/api/health/
    anvil RPC  $CHAIN_RPC_URL (chain id $CHAIN_ID)
  Demo logins (password demo-pass-2026): operator, exporter, exporter2, bank, bank2, regulator
  Ctrl-C stops everything.

EOF
"$ROOT/.venv/bin/honcho" -f infra/Procfile.app start
