#!/usr/bin/env bash
# The suite's budgets (issue 16): `wslcuda run --quick` <= 15 s, the full run <= 60 s and
# `run --repeat 3` <= 180 s wall; peak host RSS <= 2.5 GiB (GNU time: the largest process, a
# worker or wslcuda itself); peak device memory <= 8 GiB (nvidia-smi sampled every 250 ms while
# each run lasts); the CPU share (setup + verification) <= 20 % of the wall time. A benchmark,
# not a test: it prints what it measured and where the time went (summary.phases_s and the rows'
# phases_s of each report) and never fails on speed. Needs a GPU to mean anything; without one
# the runs exit 3 at once and the breakdown says so.
# Usage: ci/bench_suite.sh [BINARY] [OUT_DIR]
set -uo pipefail
bin=${1:-build/release/bin/wslcuda}
out=${2:-bench-suite}
mkdir -p "$out"
for mode in quick full repeat3; do
  case $mode in
    quick) flags=(--quick) ;;
    full) flags=() ;;
    repeat3) flags=(--repeat 3) ;;
  esac
  log="$out/time-$mode.txt"
  smi_pid=
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 250 \
      > "$out/device-memory-$mode.txt" 2>/dev/null &
    smi_pid=$!
  fi
  /usr/bin/time -v "$bin" run "${flags[@]}" --no-progress --json "$out/run-$mode.json" \
    > "$out/console-$mode.txt" 2> "$log"
  code=$?
  [[ -n $smi_pid ]] && kill "$smi_pid" 2>/dev/null
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  device="not sampled (no nvidia-smi)"
  if [[ -s $out/device-memory-$mode.txt ]]; then
    device="$(sort -n "$out/device-memory-$mode.txt" | tail -n 1) MiB"
  fi
  echo "wslcuda run ${flags[*]} (exit $code): wall $wall, peak host RSS $((${rss:-0} / 1024)) MiB," \
       "peak device memory $device"
  python3 - "$out/run-$mode.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
ph = s.get("phases_s") or {}
wall = s.get("wall_s")
if wall is None:
    print("  (no phase accounting in this report)")
    sys.exit(0)
print(f"  wall {wall:.1f} s: probe {ph.get('probe', 0):.1f} s, judge {ph.get('judge', 0):.1f} s,"
      f" other {ph.get('other', 0):.1f} s")
totals = {"worker": 0.0, "setup": 0.0, "verify": 0.0, "warmup": 0.0, "samples": 0.0}
families = {}
for row in r["results"]:
    p = row.get("phases_s")
    if not p:
        continue
    f = families.setdefault(row["family"], dict.fromkeys(totals, 0.0))
    for k in totals:
        v = p.get(k) or 0.0
        f[k] += v
        totals[k] += v
for name, f in families.items():
    print(f"  {name:10s} " + ", ".join(f"{k} {v:6.2f} s" for k, v in f.items()))
cpu = totals["setup"] + totals["verify"]
print("  all        " + ", ".join(f"{k} {v:6.2f} s" for k, v in totals.items()) +
      (f"; CPU share (setup + verify) {100 * cpu / wall:.0f} % of the wall" if wall else ""))
if not families:
    print("  no workload ran (no usable GPU?): " + s.get("message", ""))
PY
done
