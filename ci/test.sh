#!/usr/bin/env bash
# Builds the `ci` preset and runs every test (GPU tests skip visibly without a device; the
# libFuzzer targets run 20 s each), then builds the `asan` preset (AddressSanitizer +
# UndefinedBehaviorSanitizer on the host code) and runs the CPU tests under it.
# Usage: ci/test.sh [extra ctest arguments, e.g. -L cpu]. WSLCUDA_SKIP_ASAN=1 skips the second step.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
jobs=$(nproc)
cmake --preset ci
cmake --build --preset ci
ctest --preset ci -j "$jobs" "$@"
if [[ ${WSLCUDA_SKIP_ASAN:-0} != 1 ]]; then
  cmake --preset asan
  cmake --build --preset asan
  ctest --preset asan -j "$jobs"
fi
