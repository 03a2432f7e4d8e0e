#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer, then write their URLs to .run/services.env.
#
#   PostgreSQL: $DATABASE_URL if set; else a server on $PG_PROBE_HOST:$PG_PROBE_PORT (127.0.0.1:5432)
#               where user "postgres" logs in without a password; else a private cluster in .run/pg
#               on 127.0.0.1:$PG_PORT (55432), created with initdb (apt-get installs PostgreSQL if
#               we are root and it is missing). The database $PG_DB (tradefin) is created if absent.
#   Redis:      $REDIS_URL if set; else a Redis on $REDIS_PROBE_HOST:$REDIS_PROBE_PORT (127.0.0.1:6379);
#               else a private redis-server in .run/redis on 127.0.0.1:$REDIS_PORT (56379).
#
# Idempotent: a second run reuses whatever the first one found or started.
# infra/scripts/stop-services.sh stops the private ones (and only those).
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
mkdir -p "$RUN_DIR"

# Two concurrent runs (make -j, two terminals) must not both initdb. The daemons started below
# must not inherit fd 9 (9>&-), or they would hold the lock for ever.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$RUN_DIR/.services.lock"
  flock -w 300 9 || die "another ensure-services.sh holds $RUN_DIR/.services.lock"
fi

PG_DB="${PG_DB:-tradefin}"
PG_PROBE_HOST="${PG_PROBE_HOST:-127.0.0.1}"
PG_PROBE_PORT="${PG_PROBE_PORT:-5432}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PROBE_HOST="${REDIS_PROBE_HOST:-127.0.0.1}"
REDIS_PROBE_PORT="${REDIS_PROBE_PORT:-6379}"
REDIS_PORT="${REDIS_PORT:-56379}"

# --------------------------------------------------------------------------- PostgreSQL helpers

# url_with_db URL DB: the same URL pointing at another database.
url_with_db() {
  python3 - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
u = urlsplit(sys.argv[1])
print(urlunsplit((u.scheme, u.netloc, "/" + sys.argv[2], u.query, u.fragment)))
PY
}

# url_db URL: the database name in a URL.
url_db() {
  python3 -c 'import sys; from urllib.parse import urlsplit, unquote; print(unquote(urlsplit(sys.argv[1]).path.lstrip("/")))' "$1"
}

# pg_sql URL SQL: run one statement, print the tuples unaligned. Returns 2 when no client is available.
pg_sql() {
  local psql py
  if psql="$(pg_tool psql)"; then
    PGCONNECT_TIMEOUT=3 "$psql" -X -w -q -v ON_ERROR_STOP=1 -tA -d "$1" -c "$2"
    return
  fi
  py="$ROOT/.venv/bin/python"
  if [ -x "$py" ] && "$py" -c 'import psycopg' 2>/dev/null; then
    "$py" - "$1" "$2" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=3) as c:
    cur = c.execute(sys.argv[2])
    if cur.description:
        for row in cur.fetchall():
            print("|".join("" if v is None else str(v) for v in row))
PY
    return
  fi
  return 2
}

have_pg_client() {
  pg_tool psql >/dev/null 2>&1 && return 0
  [ -x "$ROOT/.venv/bin/python" ] && "$ROOT/.venv/bin/python" -c 'import psycopg' 2>/dev/null
}

# pg_answers HOST PORT: a PostgreSQL accepts connections there.
pg_answers() {
  local isready
  if isready="$(pg_tool pg_isready)"; then
    "$isready" -q -h "$1" -p "$2" -t 3 >/dev/null 2>&1
  else
    tcp_open "$1" "$2"
  fi
}

# ensure_database URL: create the URL's database when absent (connecting to the "postgres" database).
ensure_database() {
  local url=$1 db maint exists
  db="$(url_db "$url")"
  [ -n "$db" ] || return 0
  maint="$(url_with_db "$url" postgres)"
  exists="$(pg_sql "$maint" "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'")" || return 1
  if [ "$exists" != 1 ]; then
    pg_sql "$maint" "CREATE DATABASE \"${db//\"/\"\"}\"" >/dev/null 2>&1 \
      || [ "$(pg_sql "$maint" "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'")" = 1 ] \
      || return 1
    PG_NOTE=" (created database $db)"
  fi
}

# as_pg CMD...: run a PostgreSQL server command as the cluster owner (initdb/pg_ctl refuse root).
as_pg() {
  if [ -z "${PG_OS_USER:-}" ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    su -s /bin/sh "$PG_OS_USER" -c "$(printf '%q ' "$@")"
  fi
}

# Choose the directory of the private cluster; as root it must be usable by the "postgres" user.
prepare_pg_home() {
  PG_OS_USER=""
  local link="$RUN_DIR/pg"
  if ! is_root; then
    mkdir -p "$link"
    PG_HOME="$(cd "$link" && pwd -P)"
    return
  fi
  PG_OS_USER=postgres
  if ! id -u postgres >/dev/null 2>&1; then
    info "creating system user postgres (initdb will not run as root)"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /bin/bash postgres
  fi
  if [ ! -L "$link" ]; then
    mkdir -p "$link"
    chown postgres: "$link"
    if as_pg test -w "$link/." -a -x "$link/."; then
      PG_HOME="$(cd "$link" && pwd -P)"
      return
    fi
    # A parent directory (e.g. /root) is closed to "postgres": keep the cluster outside the checkout.
    rmdir "$link" 2>/dev/null || die "$link exists but the postgres user cannot use it; run 'make clean'"
    local alt
    alt="/var/tmp/tradefin-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    mkdir -p "$alt"
    chown postgres: "$alt"
    chmod 700 "$alt"
    ln -s "$alt" "$link"
    warn "the postgres user cannot reach $ROOT; the private cluster lives in $alt (linked from .run/pg)"
  fi
  PG_HOME="$(readlink -f "$link")"
  mkdir -p "$PG_HOME"
  chown postgres: "$PG_HOME"
}

start_private_pg() {
  local bindir data log sock port ver
  if ! bindir="$(pg_server_bindir)"; then
    if apt_install postgresql; then
      # Debian's package may have started its own cluster on 5432: take it when it answers.
      if pg_answers "$PG_PROBE_HOST" "$PG_PROBE_PORT" \
        && ensure_database "postgres://postgres@$PG_PROBE_HOST:$PG_PROBE_PORT/$PG_DB" 2>/dev/null; then
        PG_URL="postgres://postgres@$PG_PROBE_HOST:$PG_PROBE_PORT/$PG_DB"
        PG_WHAT="freshly installed server at $PG_PROBE_HOST:$PG_PROBE_PORT"
        return
      fi
      bindir="$(pg_server_bindir)" || die "apt-get installed postgresql but no initdb/pg_ctl was found"
    else
      die "PostgreSQL is not running on $PG_PROBE_HOST:$PG_PROBE_PORT and its server binaries are missing.
  Install them (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@15),
  or point DATABASE_URL at a server, e.g. export DATABASE_URL=postgres://user:pass@host:5432/$PG_DB"
    fi
  fi

  prepare_pg_home
  data="$PG_HOME/data"
  log="$PG_HOME/postgres.log"
  sock="$PG_HOME/sock"

  # A cluster made by another major version needs that version's binaries.
  if [ -s "$data/PG_VERSION" ]; then
    ver="$(cat "$data/PG_VERSION")"
    if [ "$("$bindir/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')" != "$ver" ]; then
      if [ -x "/usr/lib/postgresql/$ver/bin/pg_ctl" ]; then
        bindir="/usr/lib/postgresql/$ver/bin"
      else
        die "$data was created by PostgreSQL $ver, whose binaries are gone; run 'make clean' to start afresh"
      fi
    fi
  fi

  if [ ! -s "$data/PG_VERSION" ]; then
    rm -rf "$data"
    as_pg mkdir -p "$data"
    info "initialising a private PostgreSQL cluster in $data"
    as_pg "$bindir/initdb" -D "$data" --auth=trust -U postgres -E UTF8 --no-locale >"$PG_HOME/initdb.log" 2>&1 \
      || { cat "$PG_HOME/initdb.log" >&2; die "initdb failed (log above)"; }
    printf "\ninclude_if_exists = 'tradefin.conf'\n" | as_pg tee -a "$data/postgresql.conf" >/dev/null
  fi

  if as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)"
    port="${port:-$PG_PORT}"
    [ "$port" = "$PG_PORT" ] || warn "the private cluster already runs on port $port (PG_PORT=$PG_PORT is ignored until 'make stop-services')"
    PG_WHAT="private cluster .run/pg (already running) on 127.0.0.1:$port"
  else
    port="$PG_PORT"
    if tcp_open 127.0.0.1 "$port"; then
      die "port $port is taken by something else; choose another one, e.g. PG_PORT=55433 make ..."
    fi
    as_pg mkdir -p "$sock"
    # Unix socket paths are limited to ~107 bytes; fall back to TCP only when the checkout is deep.
    if [ $((${#sock} + 16)) -gt 100 ]; then sock=""; fi
    as_pg tee "$data/tradefin.conf" >/dev/null <<EOF
# Written by infra/scripts/ensure-services.sh on every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    as_pg touch "$log"
    (cd / && as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 9>&-) \
      || { tail -n 20 "$log" >&2 || true; die "could not start the private PostgreSQL (log: $log)"; }
    PG_WHAT="private cluster .run/pg started on 127.0.0.1:$port"
  fi
  PG_URL="postgres://postgres@127.0.0.1:$port/$PG_DB"
  ensure_database "$PG_URL" || die "could not create database $PG_DB in the private cluster (log: $log)"
}

ensure_postgres() {
  PG_NOTE=""
  if [ -n "${DATABASE_URL:-}" ]; then
    PG_URL="$DATABASE_URL"
    PG_WHAT="DATABASE_URL from the environment"
    if have_pg_client; then
      ensure_database "$PG_URL" || warn "DATABASE_URL=$PG_URL does not answer (or the database cannot be created); using it anyway"
    fi
    return
  fi

  local url="postgres://postgres@$PG_PROBE_HOST:$PG_PROBE_PORT/$PG_DB"
  if pg_answers "$PG_PROBE_HOST" "$PG_PROBE_PORT"; then
    if ! have_pg_client; then
      apt_install postgresql-client >/dev/null 2>&1 || true
    fi
    if ! have_pg_client; then
      PG_URL="$url"
      PG_WHAT="running server at $PG_PROBE_HOST:$PG_PROBE_PORT (no psql: cannot check that database $PG_DB exists)"
      return
    fi
    if ensure_database "$url" 2>/dev/null; then
      PG_URL="$url"
      PG_WHAT="running server at $PG_PROBE_HOST:$PG_PROBE_PORT"
      return
    fi
    warn "PostgreSQL on $PG_PROBE_HOST:$PG_PROBE_PORT answers but user postgres cannot log in without a password; using a private cluster"
  fi
  start_private_pg
}

# --------------------------------------------------------------------------- Redis

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then
    R_URL="$REDIS_URL"
    R_WHAT="REDIS_URL from the environment"
    return
  fi
  if redis_ping "$REDIS_PROBE_HOST" "$REDIS_PROBE_PORT"; then
    R_URL="redis://$REDIS_PROBE_HOST:$REDIS_PROBE_PORT/0"
    R_WHAT="running server at $REDIS_PROBE_HOST:$REDIS_PROBE_PORT"
    return
  fi

  local dir="$RUN_DIR/redis" server pid
  R_URL="redis://127.0.0.1:$REDIS_PORT/0"
  if redis_ping 127.0.0.1 "$REDIS_PORT"; then
    pid="$(cat "$dir/redis.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      R_WHAT="private redis .run/redis (already running) on 127.0.0.1:$REDIS_PORT"
    else
      R_WHAT="a Redis already answering on 127.0.0.1:$REDIS_PORT (not started by this checkout)"
    fi
    return
  fi

  server="$(command -v redis-server 2>/dev/null || true)"
  if [ -z "$server" ] && [ -x /usr/bin/redis-server ]; then server=/usr/bin/redis-server; fi
  if [ -z "$server" ]; then
    if apt_install redis-server; then
      if redis_ping "$REDIS_PROBE_HOST" "$REDIS_PROBE_PORT"; then
        R_URL="redis://$REDIS_PROBE_HOST:$REDIS_PROBE_PORT/0"
        R_WHAT="freshly installed server at $REDIS_PROBE_HOST:$REDIS_PROBE_PORT"
        return
      fi
      server="$(command -v redis-server || echo /usr/bin/redis-server)"
    else
      die "Redis is not running on $REDIS_PROBE_HOST:$REDIS_PROBE_PORT and redis-server is missing.
  Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis),
  or point REDIS_URL at a server, e.g. export REDIS_URL=redis://host:6379/0"
    fi
  fi
  if tcp_open 127.0.0.1 "$REDIS_PORT"; then
    die "port $REDIS_PORT is taken by something that is not a password-less Redis; choose another, e.g. REDIS_PORT=56380 make ..."
  fi

  mkdir -p "$dir"
  rm -f "$dir/redis.pid"
  "$server" --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --save "" --appendonly no --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null 9>&- \
    || die "redis-server failed to start (log: $dir/redis.log)"

  for _ in $(seq 1 50); do
    redis_ping 127.0.0.1 "$REDIS_PORT" && break
    sleep 0.2
  done
  redis_ping 127.0.0.1 "$REDIS_PORT" || { tail -n 20 "$dir/redis.log" >&2 || true; die "the private Redis does not answer (log: $dir/redis.log)"; }
  R_WHAT="private redis .run/redis started on 127.0.0.1:$REDIS_PORT"
}

# --------------------------------------------------------------------------- main

ensure_postgres
ensure_redis

tmp="$RUN_DIR/services.env.tmp.$$"
{
  echo "# Written by infra/scripts/ensure-services.sh ('make services'); do not edit, set DATABASE_URL/REDIS_URL instead."
  printf 'export DATABASE_URL=%q\n' "$PG_URL"
  printf 'export REDIS_URL=%q\n' "$R_URL"
} >"$tmp"
mv -f "$tmp" "$RUN_DIR/services.env"

# Never print passwords.
redact() { sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#'; }
echo "postgres: $PG_WHAT$PG_NOTE -> $(redact <<<"$PG_URL")"
echo "redis:    $R_WHAT -> $(redact <<<"$R_URL")"
