#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for the storage contract tests.
#
#   eval "$(tests/scripts/postgres.sh start)"   # prints: export PORTAL_TEST_PG="Host=127.0.0.1;Port=…;…"
#   tests/scripts/postgres.sh stop              # stops the server and removes its directory
#
# The server runs with timezone 'Europe/Helsinki' on purpose: a non-UTC server catches timestamp mistakes.
# The state directory is remembered in $PORTAL_PG_STATE_FILE (default: /tmp/portal-test-postgres-<checkout hash>.state,
# one per checkout, so test runs in two checkouts never share or stop each other's server).
set -euo pipefail

checkout_hash="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd | sha256sum | cut -c1-12)"
STATE_FILE="${PORTAL_PG_STATE_FILE:-/tmp/portal-test-postgres-${checkout_hash}.state}"
DATABASE="portal_test"

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
  local name="$1" candidate
  for candidate in "$(command -v "$name" 2>/dev/null || true)" "/usr/local/bin/$name" /usr/lib/postgresql/15/bin/"$name" /usr/lib/postgresql/*/bin/"$name"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then echo "$candidate"; return 0; fi
  done
  die "cannot find '$name' (install PostgreSQL 15, e.g. apt-get install postgresql-15)"
}

# PostgreSQL refuses to run as root, so as root every server command runs as the 'postgres' user.
as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || die "python3 is needed to find a free port"
}

connection_string() {
  echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=$DATABASE"
}

start() {
  if [[ -f "$STATE_FILE" ]]; then
    local dir port
    dir="$(sed -n 1p "$STATE_FILE")"; port="$(sed -n 2p "$STATE_FILE")"
    if [[ -d "$dir" ]] && as_owner "$PG_CTL" -D "$dir/data" status >/dev/null 2>&1; then
      echo "postgres.sh: already running from $dir" >&2
      echo "export PORTAL_TEST_PG=\"$(connection_string "$port")\""
      return 0
    fi
    echo "postgres.sh: removing stale state $STATE_FILE" >&2
    rm -f "$STATE_FILE"
  fi

  if [[ "$(id -u)" == "0" ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres || die "cannot create user 'postgres'"
  fi

  local dir port
  dir="$(mktemp -d /tmp/portal-pg.XXXXXX)"
  port="$(free_port)"
  mkdir -p "$dir/data" "$dir/socket"
  if [[ "$(id -u)" == "0" ]]; then chown -R postgres "$dir"; fi

  as_owner "$INITDB" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed (log above)"; }

  as_owner "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket -c timezone=Europe/Helsinki -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log" >&2; die "server did not start (log above)"; }

  printf '%s\n%s\n' "$dir" "$port" >"$STATE_FILE"
  as_owner "$CREATEDB" -h 127.0.0.1 -p "$port" -U postgres "$DATABASE" || die "createdb $DATABASE failed"
  echo "export PORTAL_TEST_PG=\"$(connection_string "$port")\""
}

stop() {
  [[ -f "$STATE_FILE" ]] || { echo "postgres.sh: nothing to stop ($STATE_FILE not found)" >&2; return 0; }
  local dir
  dir="$(sed -n 1p "$STATE_FILE")"
  if [[ -d "$dir/data" ]]; then
    as_owner "$PG_CTL" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || echo "postgres.sh: server in $dir was not running" >&2
  fi
  case "$dir" in
    /tmp/portal-pg.*) rm -rf "$dir" ;;
    *) echo "postgres.sh: not removing unexpected directory '$dir'" >&2 ;;
  esac
  rm -f "$STATE_FILE"
}

INITDB="$(find_bin initdb)"
PG_CTL="$(find_bin pg_ctl)"
CREATEDB="$(find_bin createdb)"

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
