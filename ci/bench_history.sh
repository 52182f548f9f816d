#!/usr/bin/env bash
# The history store's speed and size (issue 23; the measured figures are in docs/history.md). A
# benchmark, not a test: it prints what it measured and never fails on speed. It builds a store
# from seeded copies of a real full report (reports/examples/h200-linux-2026-11-30-full-1.json,
# 160 rows; tests/support/seeded_reports.hpp, the generator the history tests use): RUNS copies
# written as report files and imported with `wslcuda history import` (timed: reports/s), then
# more copies recorded in-process up to TOTAL runs, on which `history list` and `history trend`
# of one row are timed (whole commands, median of 5).
# Targets (issue 23, 2-core machine): import ≥ 20 full reports/s; list of 10,000 runs < 0.5 s;
# trend of one row over 10,000 runs < 100 ms; < 200 KB of database per full run.
# Usage: ci/bench_history.sh [BUILD_DIR] [RUNS] [TOTAL]   (defaults: build/ci 1000 10000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build/ci}
runs=${2:-1000}
total=${3:-10000}
bin=$build/bin/wslcuda
seed=$build/bin/wslcuda_seed_reports
for b in "$bin" "$seed"; do
  [[ -x $b ]] || { echo "bench_history: $b not built (cmake --build --preset ci --target wslcuda wslcuda_seed_reports)" >&2; exit 2; }
done
report=reports/examples/h200-linux-2026-11-30-full-1.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/history.db
store=sqlite:$db
drivers=570.86.15,575.51.03,580.65.06,580.159.04
machines=4
batch=100

echo "bench_history: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# 1. Import RUNS full reports, BATCH files at a time (written first, untimed).
wall=0 cpu=0
for ((first = 0; first < runs; first += batch)); do
  n=$((runs - first < batch ? runs - first : batch))
  rm -rf "$work/batch"
  "$seed" --from "$report" --first "$first" --count "$n" --total "$total" --machines "$machines" \
    --drivers "$drivers" --out "$work/batch"
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$bin" history import --history "$store" "$work/batch" > "$work/import.log"
  read -r e u s < "$work/time"
  wall=$(awk -v a="$wall" -v b="$e" 'BEGIN { print a + b }')
  cpu=$(awk -v a="$cpu" -v b="$u" -v c="$s" 'BEGIN { print a + b + c }')
  grep -q "history: $n added" "$work/import.log" || { tail -3 "$work/import.log"; exit 1; }
done
rm -rf "$work/batch"
size=$(stat -c %s "$db")
results=$("$bin" history list --history "$store" --json | python3 -c 'import json,sys; print(sum(r["results"] for r in json.load(sys.stdin)))')
awk -v n="$runs" -v w="$wall" -v c="$cpu" 'BEGIN {
  printf "import: %d full reports in %.1f s wall (%.1f reports/s), %.1f s CPU (%.1f reports/s of CPU)\n", n, w, n / w, c, n / c }'
awk -v n="$runs" -v r="$results" -v s="$size" 'BEGIN {
  printf "size: %d runs, %d results, %.1f MB: %.1f KB per full run\n", n, r, s / 1e6, s / n / 1e3 }'


# 2. Up to TOTAL runs, recorded in-process (the same record_run; no report files).
if ((total > runs)); then
  /usr/bin/time -f '%e' -o "$work/time" "$seed" --from "$report" --first "$runs" \
    --count $((total - runs)) --total "$total" --machines "$machines" --drivers "$drivers" \
    --record "$store"
  awk -v n=$((total - runs)) -v t="$(cat "$work/time")" -v s="$(stat -c %s "$db")" 'BEGIN {
    printf "record: %d more runs in-process in %.1f s (%.1f runs/s); %.1f MB in all\n", n, t, n / t, s / 1e6 }'

fi

# 3. Whole commands on TOTAL runs, median of 5 (process start, open and schema check included).
median() {  # "WALL s wall, CPU s CPU": medians of 5 (wall to the ms, CPU user+sys to 10 ms)
  local walls=() cpus=() start end
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" > /dev/null
    end=$(date +%s%N)
    walls+=($(((end - start) / 1000000)))
    cpus+=("$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$work/time")")
  done
  printf '%.3f s wall, %.2f s CPU' \
    "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 3p | awk '{ print $1 / 1000 }')" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 3p | awk '{ print $1 / 1000 }')"
}
echo "history list ($total runs): $(median "$bin" history list --history "$store") (text); $(median "$bin" history list --json --history "$store") (--json)"
row=gemm.cublas.bf16.m8192n8192k8192
points=$("$bin" history trend "$row" --json --history "$store" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "history trend $row ($points points): $(median "$bin" history trend "$row" --history "$store") (text); $(median "$bin" history trend "$row" --json --history "$store") (--json)"
echo "bench_history: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
