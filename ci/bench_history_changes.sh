#!/usr/bin/env bash
# `wslcuda history changes` on a seeded store (issue 24; the measured figures are in
# docs/change-points.md, "Speed of `history changes`"). A benchmark, not a test: it prints what it
# measured and never fails on speed. RUNS seeded copies of the full H200 report
# (reports/examples/h200-linux-2026-11-30-full-1.json, 160 rows; tests/support/seeded_reports.hpp)
# are recorded in-process on MACHINES machines over eight drivers, untimed; then the whole command
# is timed: the first `history changes` analyses every series and stores the change points, the
# next ones analyse again and write nothing (median of 3).
# Usage: ci/bench_history_changes.sh [BUILD_DIR] [RUNS] [MACHINES]   (defaults: build/ci 1000 4)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/ci}
runs=${2:-1000}
machines=${3:-4}
bin=$build/bin/wslcuda
seed=$build/bin/wslcuda_seed_reports
for b in "$bin" "$seed"; do
  [[ -x $b ]] || { echo "bench_history_changes: $b not built (cmake --build --preset ci --target wslcuda wslcuda_seed_reports)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store=sqlite:$work/history.db
drivers=570.86.15,570.124.06,575.51.03,575.57.08,580.65.06,580.82.07,580.95.05,580.159.04

echo "bench_history_changes: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
"$seed" --from reports/examples/h200-linux-2026-11-30-full-1.json --count "$runs" \
  --machines "$machines" --drivers "$drivers" --record "$store" > /dev/null
results=$("$bin" history list --history "$store" --json | python3 -c 'import json,sys; print(sum(r["results"] for r in json.load(sys.stdin)))')
echo "store: $runs runs, $results results, $machines machines, 8 drivers"

timed() {  # prints "wall cpu" of one `history changes`
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$bin" history changes --history "$store" \
    --json "$work/changes.json" > "$work/out.log"
  read -r e u s < "$work/time"
  awk -v e="$e" -v u="$u" -v s="$s" 'BEGIN { printf "%.2f %.2f\n", e, u + s }'
}
read -r w c < <(timed)
echo "first history changes (analyse, store): ${w} s wall, ${c} s CPU"
head -1 "$work/out.log"
for i in 1 2 3; do timed; done | sort -n | sed -n 2p | {
  read -r w c
  echo "history changes again (analyse, nothing to write), median of 3: ${w} s wall, ${c} s CPU"
}
