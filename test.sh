#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what is missing, starts what the tests need
# (PostgreSQL on loopback, Chromium for browser tests), runs the suites, stops everything, prints a summary.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '\n==> %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
if ! command -v initdb >/dev/null 2>&1 && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  need_apt+=(postgresql-15)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  log "Installing ${need_apt[*]} (apt-get)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PORTAL_CHROMIUM="${PORTAL_CHROMIUM:-$(command -v chromium || true)}"

pg_started=0
cleanup() {
  if [ "$pg_started" = 1 ]; then
    log "Stopping PostgreSQL"
    bash tests/scripts/postgres.sh stop || true
  fi
}
trap cleanup EXIT

if [ -f tests/scripts/postgres.sh ] && [ "${PORTAL_SKIP_POSTGRES:-0}" != 1 ]; then
  log "Starting PostgreSQL on loopback"
  eval "$(bash tests/scripts/postgres.sh start)"
  pg_started=1
fi

log "Validating docker-compose.yml (docker-compose config)"
# The file requires PORTAL_API_KEY (compose refuses to start without it); any value validates the file.
PORTAL_API_KEY=validation-only-key-0123456789abcdef docker-compose -f docker-compose.yml config --quiet

log "Restoring and building (Release)"
# Locked mode: the restore must match every project's packages.lock.json (transitive packages pinned).
dotnet restore Portal.sln --nologo -v quiet --locked-mode
dotnet build Portal.sln -c Release --no-restore --nologo -v quiet -clp:ErrorsOnly

results="$root/artifacts/test-results"
export PORTAL_ARTIFACTS="$root/artifacts"
rm -rf "$results"
mkdir -p "$results"
started=$(date +%s)
status=0
passed=0; failed=0; skipped=0
for project in tests/Portal.Tests.Unit tests/Portal.Tests.Storage tests/Portal.Tests.Functional tests/Portal.Tests.Cluster tests/Portal.Tests.Browser; do
  [ -d "$project" ] || continue
  name=$(basename "$project")
  log "Testing $name"
  set +e
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" 2>&1 | tee "$results/$name.log" \
    | { grep -E -A6 '^\s+Failed [A-Z]' | grep -vE '^\s+Stack Trace:|^\s+at ' || true; }
  rc=${PIPESTATUS[0]}
  set -e
  total=$(grep -E '^Total tests: [0-9]+' "$results/$name.log" | tail -1 | grep -oE '[0-9]+' || true)
  summary=""
  if [ -n "$total" ]; then
    count() { grep -E "^ +$1: [0-9]+\$" "$results/$name.log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
    p=$(count Passed); f=$(count Failed); s=$(count Skipped)
    summary="$name: $p passed, $f failed, $s skipped"
    echo "    $summary"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$f" = 0 ] || status=1
  fi
  if [ "$rc" != 0 ]; then
    status=1
    [ -n "$summary" ] || failed=$((failed + 1))
  fi
done

elapsed=$(( $(date +%s) - started ))
echo
echo "Test wall time: ${elapsed}s (results and logs in artifacts/test-results)"
echo "Total: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
