#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server:
#   bash scripts/with-postgres.sh <command> [args...]
# Installs Debian's `postgresql` with apt-get when no server binaries are found under
# /usr/lib/postgresql/*/bin (as root, or with sudo), initdb's a temporary data directory,
# starts postgres on 127.0.0.1 on a free port (its socket in that directory), runs the
# command with DATABASE_URL=postgresql://flexplat@127.0.0.1:<port>/postgres (trust
# authentication, local only) and stops and removes the server on exit, whatever happens.
# The integration tests' harness (lib/server/test-harness.ts) creates one database per
# test file on that server. Durability is off (fsync, synchronous_commit): test data only.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/with-postgres.sh <command> [args...]" >&2
  exit 2
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PG_BIN="${PG_BIN:-$(find_bin)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  echo "with-postgres: no PostgreSQL server found; installing Debian's postgresql with apt-get" >&2
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql
  PG_BIN="$(find_bin)"
fi
[ -x "$PG_BIN/postgres" ] || { echo "with-postgres: no postgres binary under /usr/lib/postgresql/*/bin" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/flexplat-pg.XXXXXX")"
# PostgreSQL refuses to run as root: run the server as the `postgres` account then (the
# Debian package creates it).
AS=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$TMP"
  AS=(runuser -u postgres --)
fi

cleanup() {
  local rc=$?
  if [ -f "$TMP/data/postmaster.pid" ]; then
    "${AS[@]}" "$PG_BIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="${PG_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
t0=$(date +%s%N)
"${AS[@]}" "$PG_BIN/initdb" -D "$TMP/data" -U flexplat --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 ||
  { cat "$TMP/initdb.log" >&2; exit 1; }
"${AS[@]}" "$PG_BIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -t 60 start \
  -o "-h 127.0.0.1 -p $PORT -k $TMP -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB -c default_toast_compression=lz4" >/dev/null ||
  { cat "$TMP/server.log" >&2; exit 1; }
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($TMP), ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2

export DATABASE_URL="postgresql://flexplat@127.0.0.1:$PORT/postgres"
export FLEXPLAT_PG_LOG="$TMP/server.log"
"$@"
