#!/usr/bin/env bash
# Times `wslcuda doctor` (issue: under 2 s without a GPU). A benchmark, not a test: it prints
# the median and the maximum of N runs and never fails on speed.
# Usage: ci/bench_doctor.sh [BINARY] [N]
set -euo pipefail
bin=${1:-build/release/bin/wslcuda}
n=${2:-11}
times=()
for ((i = 0; i < n; ++i)); do
  start=$(date +%s%N)
  "$bin" doctor > /dev/null || true
  end=$(date +%s%N)
  times+=($(((end - start) / 1000000)))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "wslcuda doctor: median ${sorted[$((n / 2))]} ms, max ${sorted[$((n - 1))]} ms over $n runs"
