#!/usr/bin/env bash
# The suite's budgets (compute and platform issues): `wslcuda run --quick` ≤ 15 s and the full
# run ≤ 60 s wall on an H100, peak host memory ≤ 1.5 GiB (the largest process: a worker or
# wslcuda itself, as GNU time reports it), device memory ≤ 8 GiB. A benchmark, not a test: it
# prints what it measured and never fails on speed. Needs a GPU to mean anything.
# Usage: ci/bench_suite.sh [BINARY] [OUT_DIR]
set -euo pipefail
bin=${1:-build/release/bin/wslcuda}
out=${2:-bench-suite}
mkdir -p "$out"
for mode in quick full; do
  flag=$([[ $mode == quick ]] && echo --quick || true)
  log="$out/time-$mode.txt"
  # shellcheck disable=SC2086
  /usr/bin/time -v "$bin" run $flag --no-progress --json "$out/run-$mode.json" \
    > "$out/console-$mode.txt" 2> "$log" || true
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  echo "wslcuda run ($mode): wall $wall, peak RSS $((rss / 1024)) MiB (largest process)"
  python3 - "$out/run-$mode.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by_family = {}
for row in r["results"]:
    t = row.get("timing") or {}
    by_family.setdefault(row["family"], []).append(row["status"])
for family, statuses in by_family.items():
    print(f"  {family:10s} {len(statuses):3d} workloads: " +
          ", ".join(f"{s} {statuses.count(s)}" for s in sorted(set(statuses))))
PY
done
