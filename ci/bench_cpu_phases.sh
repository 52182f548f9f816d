#!/usr/bin/env bash
# The CPU side of the suite (input generation, fp64 references, verification) for every shape,
# on one thread and on every core: what the references cost and what OpenMP buys (issue: suite
# speed). A benchmark, not a test: it prints numbers and judges nothing.
# Usage: ci/bench_cpu_phases.sh [build folder, default build/ci]
set -euo pipefail
build="${1:-build/ci}"
bench="$build/bin/wslcuda_cpu_phases_bench"
if [[ ! -x "$bench" ]]; then
  echo "bench_cpu_phases: $bench not built (needs libbenchmark-dev; run ci/bootstrap.sh)" >&2
  exit 2
fi
for threads in 1 "$(nproc)"; do
  echo "== OMP_NUM_THREADS=$threads"
  OMP_NUM_THREADS="$threads" "$bench" --benchmark_repetitions=1 --benchmark_min_time=0.01
done
