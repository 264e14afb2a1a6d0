#!/usr/bin/env bash
# Measures signing under load, the way docs/performance.md reports it: for each run a fresh embedded portal (Release,
# its own data directory), then the load generator's accepts mode (100 projects, 1,000 pages, 50 accepts/s for 20 s),
# printing the load average before and after and the figures. Build first: dotnet build Portal.sln -c Release.
#   tools/Portal.LoadGen/measure-accepts.sh [runs=3] [extra load-generator options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
shift || true
key=loadgen-key-0123456789-abcdefghijk
out=${PORTAL_MEASURE_OUT:-/tmp/portal-measure}
mkdir -p "$out"
for n in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/portal-lg-XXXXXX)
  dotnet run --project web -c Release --no-build -- --urls http://127.0.0.1:5080 --Portal:DataDirectory="$dir" \
    --Portal:Bootstrap:ApiKey=$key --Portal:Bootstrap:Demo=false --Portal:RateLimits:Enabled=false > "$out/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5080/health/ready >/dev/null && break; sleep 1; done
  echo "run $n start: $(uptime)"
  dotnet run --project tools/Portal.LoadGen -c Release --no-build -- --api-key $key --projects 100 --connections 1000 \
    --rate 50 --duration 20 --transitions accepts --out "$out/run-$n.json" "$@" > "$out/loadgen-$n.log" 2>&1 || true
  echo "run $n end:   $(uptime)"
  kill "$server"; wait "$server" 2>/dev/null || true
  rm -rf "$dir"
  grep -E "API call|One accept|Ratio accept|one durable write" "$out/loadgen-$n.log" || tail -5 "$out/loadgen-$n.log"
done
