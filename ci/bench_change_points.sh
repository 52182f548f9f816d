#!/usr/bin/env bash
# Speed of change-point detection (validator/history): 5,000 series x 200 points = 1,000,000
# stored results, analysed on one core (issue 24: under 10 s). Times analyse_series (ordering,
# the Otava detector, the driver rules) and the detector alone, as this thread's CPU time, best
# and median of 5 repetitions; the series are generated before the clock starts. A benchmark,
# not a test: it prints numbers and judges nothing.
# Usage: ci/bench_change_points.sh [build folder, default build/ci]
set -euo pipefail
build="${1:-build/ci}"
tool="$build/bin/wslcuda_change_points_tool"
if [[ ! -x "$tool" ]]; then
  echo "bench_change_points: $tool not built (cmake --build --preset ci --target wslcuda_change_points_tool)" >&2
  exit 2
fi
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, pinned: ${pin[*]:-no}"
"${pin[@]}" "$tool" speed --series 5000 --points 200 --repeat 5
