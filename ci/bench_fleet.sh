#!/usr/bin/env bash
# Ingest into a fleet's PostgreSQL store (docs/fleet.md, "Scale"): N full reports (seeded copies
# of reports/examples/h200-linux-2026-11-30-full-1.json, 50 machines, two drivers) recorded by P
# processes at once into a throwaway local PostgreSQL 15 (tests/pg/pg_server.sh, fsync on, as a
# real server), then the same N runs pushed from a local SQLite store by one push. A benchmark,
# not a test: it prints figures and judges nothing.
# Usage: ci/bench_fleet.sh [N, default 1000] [P, default 4] [build folder, default build/cpu-only]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-1000}
processes=${2:-4}
build=${3:-$root/build/cpu-only}
cmake --build "$build" --target wslcuda_fleet_bench >/dev/null
state=$(mktemp -d)
trap '"$root/tests/pg/pg_server.sh" stop "$state" >/dev/null; rm -rf "$state"' EXIT
WSLCUDA_PG_DURABLE=1 WSLCUDA_PG_OWNER_PID=$$ "$root/tests/pg/pg_server.sh" start "$state"
# shellcheck disable=SC1091
source "$state/server.env"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
"$build/bin/wslcuda_fleet_bench" "$WSLCUDA_TEST_POSTGRES" \
  "$root/reports/examples/h200-linux-2026-11-30-full-1.json" "$n" "$processes" "$state/scratch"
