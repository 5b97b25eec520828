#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the storage tests, idempotently.
#
#   export LLUMI_TEST_POSTGRES_URL="$(.ci/postgres.sh)"   # install if missing, start, create role+db
#   eval "$(.ci/postgres.sh --export)"                     # the same, as an export line
#   .venv/bin/pytest tests/integration/test_storage.py     # now also runs the [postgres] cases
#   .ci/postgres.sh stop                                   # stop it (the data directory stays)
#
# Only the URL (or the export line) goes to stdout; progress goes to stderr. Settings (env):
#   LLUMI_PG_PORT (5432), LLUMI_PG_DIR (/tmp/llumi-pg), LLUMI_PG_USER/PASSWORD/DB (llumi/llumi/llumi_test)
set -euo pipefail

PORT="${LLUMI_PG_PORT:-5432}"
DIR="${LLUMI_PG_DIR:-/tmp/llumi-pg}"
ROLE="${LLUMI_PG_USER:-llumi}"
PASSWORD="${LLUMI_PG_PASSWORD:-llumi}"
DB="${LLUMI_PG_DB:-llumi_test}"
DATA="$DIR/data"
SOCK="$DIR/run"

say() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
  say "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bindir)"
fi

# initdb and postgres refuse to run as root: use the postgres system user then.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" --shell /usr/sbin/nologin postgres
  as_pg() { runuser -u postgres -- "$@"; }
  PG_OWNER=postgres
else
  as_pg() { "$@"; }
  PG_OWNER="$(id -un)"
fi

case "${1:-}" in
  ""|--export|stop) ;;
  *) say "usage: $0 [--export|stop]"; exit 2 ;;
esac

if [ "${1:-}" = stop ]; then
  if [ -f "$DATA/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2; fi
  exit 0
fi

mkdir -p "$DIR" "$SOCK"
chown "$PG_OWNER" "$DIR" "$SOCK"
if [ ! -f "$DATA/PG_VERSION" ]; then
  say "initdb in $DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale >/dev/null
fi

if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  PORT="$(sed -n 4p "$DATA/postmaster.pid")"  # already running: use the port it listens on
  say "already running on 127.0.0.1:$PORT"
else
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
    say "another server already listens on 127.0.0.1:$PORT; set LLUMI_PG_PORT to a free port"
    exit 1
  fi
  say "starting on 127.0.0.1:$PORT"
  # Loopback only; fsync off: a test database, speed over durability.
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2
fi

psql_su() { as_pg "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  say "creating role $ROLE"
  psql_su -c "CREATE ROLE \"$ROLE\" LOGIN PASSWORD '$PASSWORD'"
else
  psql_su -c "ALTER ROLE \"$ROLE\" LOGIN PASSWORD '$PASSWORD'"
fi
if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  say "creating database $DB"
  psql_su -c "CREATE DATABASE \"$DB\" OWNER \"$ROLE\""
fi

URL="postgresql+asyncpg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
if [ "${1:-}" = --export ]; then echo "export LLUMI_TEST_POSTGRES_URL=$URL"; else echo "$URL"; fi
