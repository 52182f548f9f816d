#!/usr/bin/env bash
# Builds the `release` preset and runs `wslcuda run`: writes wslcuda-report.json in the current
# folder of the caller (or --json PATH), prints the summary table, exits with wslcuda's code
# (0 pass, 1 failure, 2 usage, 3 no usable GPU, 4 internal error, 5 an output could not be
# written). With --samples it also builds the cuda_samples programs that run --samples needs.
# Usage: ci/validate.sh [wslcuda run arguments, e.g. --quick --filter 'gemm.*']
caller_dir=$(pwd)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --preset release
# The cuda_samples programs only when they are asked for (run --samples): the rest of the time
# the binary alone is a faster build.
targets=(--target wslcuda)
for arg in "$@"; do
  [[ $arg == --samples ]] && targets=()
done
cmake --build --preset release "${targets[@]}"
cd "$caller_dir"
json=(--json wslcuda-report.json)
for arg in "$@"; do
  [[ $arg == --json || $arg == --json=* ]] && json=()
done
exec "$WSLCUDA_ROOT/build/release/bin/wslcuda" run "${json[@]}" "$@"
