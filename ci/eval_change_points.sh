#!/usr/bin/env bash
# Detection quality of the change-point detector (validator/history) on seeded series shaped like
# the history's: n = 10 to 200 runs, run-to-run noise 0.5 % and 2 %, 3 % of runs throttled (5 to
# 25 % slower), no step or steps of 2, 5 and 10 % at driver boundaries
# (tests/history/synthetic_series.hpp). Prints the Markdown table of docs/change-points.md:
# false alarms per series on series without a change, and F1 (precision / recall) per step size.
# An evaluation, not a test: it prints numbers and judges nothing (the unit tests
# ChangePointQuality.* assert issue 24's targets on a smaller, fixed sample).
# Usage: ci/eval_change_points.sh [build folder, default build/ci] [series per cell, default 1000]
set -euo pipefail
build="${1:-build/ci}"
count="${2:-1000}"
tool="$build/bin/wslcuda_change_points_tool"
if [[ ! -x "$tool" ]]; then
  echo "eval_change_points: $tool not built (cmake --build --preset ci --target wslcuda_change_points_tool)" >&2
  exit 2
fi
echo "$count series per cell, seed 1; min magnitude max(1 %, noise); other parameters wslcuda's defaults"
"$tool" quality --count "$count" --seed 1
