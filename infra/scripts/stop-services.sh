#!/usr/bin/env bash
# Stop the private services this checkout started (PostgreSQL in .run/pg, Redis in .run/redis,
# Anvil in .run/anvil): never a system-wide server or one another checkout owns.
#   --purge   also delete the private cluster when it lives outside the checkout (see ensure-services.sh)
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

purge=0
[ "${1:-}" = "--purge" ] && purge=1

# wait_gone PID SECONDS
wait_gone() {
  for _ in $(seq 1 $(($2 * 10))); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# proc_matches PID WORD: the live process PID has WORD in its command line (guards against reused pids).
proc_matches() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

stopped=0

# --- Anvil started by infra/scripts/run.sh (in its own session: pid == process group id)
pidfile="$RUN_DIR/anvil/anvil.pid"
if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && proc_matches "$pid" anvil; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 15 || kill -KILL -- "-$pid" 2>/dev/null || true
    echo "anvil:    stopped private anvil (pid $pid)"
    stopped=1
  fi
  rm -f "$pidfile"
fi

# --- Private Redis
pidfile="$RUN_DIR/redis/redis.pid"
if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && proc_matches "$pid" redis-server; then
    kill -TERM "$pid"
    wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    echo "redis:    stopped private redis (pid $pid)"
    stopped=1
  fi
  rm -f "$pidfile"
fi

# --- Private PostgreSQL cluster
if [ -e "$RUN_DIR/pg" ]; then
  pg_home="$(readlink -f "$RUN_DIR/pg")"
  data="$pg_home/data"
  if [ -f "$data/postmaster.pid" ] && [ -s "$data/PG_VERSION" ]; then
    ver="$(cat "$data/PG_VERSION")"
    pg_ctl="/usr/lib/postgresql/$ver/bin/pg_ctl"
    [ -x "$pg_ctl" ] || pg_ctl="$(command -v pg_ctl || true)"
    owner="$(stat -c %U "$data")"
    if [ -z "$pg_ctl" ]; then
      warn "pg_ctl not found: cannot stop the cluster in $data"
    else
      # pg_ctl refuses to run as root: act as the owner of the data directory.
      as_owner() {
        if ! is_root || [ "$owner" = root ]; then "$@"
        elif command -v runuser >/dev/null 2>&1; then runuser -u "$owner" -- "$@"
        else su -s /bin/sh "$owner" -c "$(printf '%q ' "$@")"; fi
      }
      if (cd / && as_owner "$pg_ctl" -D "$data" status >/dev/null 2>&1); then
        (cd / && as_owner "$pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null)
        echo "postgres: stopped private cluster $data"
        stopped=1
      fi
    fi
  fi
  if [ "$purge" = 1 ] && [ -L "$RUN_DIR/pg" ]; then
    case $pg_home in /var/tmp/tradefin-pg-*) rm -rf "$pg_home" ;; esac
  fi
fi

[ "$stopped" = 1 ] || echo "no private services were running"
