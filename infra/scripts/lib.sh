# Shared helpers for the infra/scripts/*.sh entry points. Source it, don't run it.
# shellcheck shell=bash

# Repository root (absolute), whatever the caller's working directory.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
RUN_DIR="$ROOT/.run"

_c() { [ -t 1 ] && [ -z "${NO_COLOR:-}" ] && printf '\033[%sm' "$1" || true; }
info() { printf '%s==>%s %s\n' "$(_c '1;34')" "$(_c 0)" "$*"; }
warn() { printf '%swarning:%s %s\n' "$(_c '1;33')" "$(_c 0)" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$(_c '1;31')" "$(_c 0)" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt_install PKG...: only as root on a Debian-like machine; returns 1 otherwise.
apt_install() {
  is_root && command -v apt-get >/dev/null 2>&1 || return 1
  info "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 && return 0
  apt-get update >/dev/null && apt-get install -y --no-install-recommends "$@"
}

# tcp_open HOST PORT: something accepts TCP connections there.
tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1
}

# redis_ping HOST PORT: a Redis answers PING with PONG (no password needed).
redis_ping() {
  local host=$1 port=$2 reply=""
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 3 reply <&3 || exit 1
    [[ $reply == +PONG* ]]
  ) >/dev/null 2>&1
}

# json_rpc_ok URL: an Ethereum JSON-RPC endpoint answers eth_chainId; prints the chain id (decimal).
json_rpc_ok() {
  local py
  py="$(python_bin)"
  "$py" - "$1" <<'PY' 2>/dev/null
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=json.dumps(
    {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode(),
    headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=2) as r:
        print(int(json.load(r)["result"], 16))
except Exception:
    sys.exit(1)
PY
}

# Some python: the project's venv if present, otherwise the system one.
python_bin() {
  if [ -x "$ROOT/.venv/bin/python" ]; then echo "$ROOT/.venv/bin/python"; else command -v python3; fi
}

# Directory holding PostgreSQL *server* binaries (initdb, pg_ctl), newest version first; empty if none.
pg_server_bindir() {
  local d
  for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k5 -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

# pg_tool NAME: path of a PostgreSQL client tool (psql, pg_isready, createdb), on PATH or in the server dirs.
pg_tool() {
  local d
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return 0; fi
  for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k5 -V -r); do
    [ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
  done
  return 1
}

# Load the service env written by ensure-services.sh plus the defaults every process gets.
load_env() {
  if [ -f "$RUN_DIR/services.env" ]; then
    # What the caller set wins over what 'make services' found (e.g. a separate database per run).
    local database_url="${DATABASE_URL:-}" redis_url="${REDIS_URL:-}"
    # shellcheck disable=SC1091
    . "$RUN_DIR/services.env"
    [ -z "$database_url" ] || export DATABASE_URL="$database_url"
    [ -z "$redis_url" ] || export REDIS_URL="$redis_url"
  fi
  export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
  case ":${PYTHONPATH:-}:" in
    *":$ROOT/backend:$ROOT:"*) ;;
    *) export PYTHONPATH="$ROOT/backend:$ROOT${PYTHONPATH:+:$PYTHONPATH}" ;;
  esac
  export ANVIL_PORT="${ANVIL_PORT:-8545}"
  export CHAIN_ID="${CHAIN_ID:-31337}"
  export CHAIN_RPC_URL="${CHAIN_RPC_URL:-http://127.0.0.1:$ANVIL_PORT}"
  export WEB_PORT="${WEB_PORT:-${PORT:-8000}}"
  # Absolute tool paths, so they work from any directory (the Makefile passes relative ones).
  local anvil="${ANVIL:-contracts/node_modules/.bin/anvil}" forge="${FORGE:-contracts/node_modules/.bin/forge}"
  case $anvil in /*) ;; */*) anvil="$ROOT/$anvil" ;; esac
  case $forge in /*) ;; */*) forge="$ROOT/$forge" ;; esac
  export ANVIL="$anvil" FORGE="$forge"
}
