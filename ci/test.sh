#!/usr/bin/env bash
# Builds the `ci` preset and runs every test. GPU tests skip visibly without a device.
# Usage: ci/test.sh [extra ctest arguments, e.g. -L cpu]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci "$@"
