#!/usr/bin/env bash
# GPU acceptance: every piece of GPU evidence wslcuda needs, gathered in one go on a machine with
# an NVIDIA GPU (a maintainer's, driver QA's, or a lent H200 with 15 minutes of device time).
#
# Usage: ci/gpu_acceptance.sh OUT_DIR [BIN_DIR]
#   BIN_DIR  prebuilt binaries (ci/gpu_bundle.sh DIR makes one: wslcuda, wslcuda_gpu_tests, the
#            samples, lib/ with the shared libraries a bare CUDA image may lack, baselines/);
#            without it the script builds them first (build/acceptance; minutes, outside the
#            budget below).
# Environment: WSLCUDA_ACCEPTANCE_BUDGET_S  wall-time budget of the steps (default 540 s): each
#            step's timeout is its own cap or what is left of the budget, whichever is less, and a
#            step with under 5 s left is skipped saying so.
#            WSLCUDA_ACCEPTANCE_NVIDIA_SMI  the nvidia-smi to use (default: from PATH); a path
#            that does not exist means "no GPU" (the CPU test uses it).
#
# The steps, in order of value, so that a run cut off at any point holds the most important
# evidence. Expected times are for one H200 with prebuilt binaries: from the 2026-11-30 H200
# run (../shared/h200-2026-11-30/: quick suite 45 s, full 127 s, GPU tests 54 s, sanitizer 17 s
# per execution before the speed-ups of issue 16) and issue 16's budgets (quick <= 15 s, full
# <= 60 s, --repeat 3 <= 180 s); none is measured yet with this script.
#   01 environment  nvidia-smi -q, ldd of every binary, wslcuda doctor     ~10 s   (cap 60 s)
#   02 quick-a      wslcuda run --quick --repeat 3 --baseline none         ~45 s   (cap 150 s)
#   03 quick-b      the same again, for an A/A comparison                  ~45 s   (cap 150 s)
#   04 compare      wslcuda compare quick-a quick-b                        ~2 s    (cap 30 s)
#   05 gpu-tests    wslcuda_gpu_tests (every quick workload, edge shapes)  ~60 s   (cap 150 s)
#   06 gate-bundled wslcuda gate quick-a against the bundled baseline      ~3 s    (cap 30 s)
#   07 gate-none    wslcuda gate quick-a --baseline none (health floors)   ~3 s    (cap 30 s)
#   08 full         wslcuda run --repeat 3 --baseline none                 ~180 s  (cap 240 s)
#   09 sanitizer    compute-sanitizer memcheck on our kernels (--quick)    ~20 s   (cap 90 s)
#   10 samples      every cuda_samples program                             ~20 s   (cap 60 s)
#   11 bench-suite  ci/bench_suite.sh, only with 300 s of budget left      ~300 s  (cap: the rest)
# Expected total without step 11: about 7 minutes.
#
# Per step: its exit code, wall time, peak host RSS (GNU time -v; Python's rusage when GNU time
# is missing), peak device memory (nvidia-smi memory.used every 250 ms, stopped on every path)
# and the figures that matter (acceptance_figures.py). After every step OUT_DIR/summary.txt is
# rewritten and OUT_DIR/gpu-acceptance.tar.gz re-made with everything, so even a run killed
# mid-step leaves both. Without a GPU every GPU step is recorded as skipped with the reason, and
# the script ends in seconds with exit 0. Exit 2: bad usage; 0 otherwise (the verdicts are in
# summary.txt: the evidence is the product, not the exit code).
set -uo pipefail

if [[ $# -lt 1 || $# -gt 2 || $1 == -h || $1 == --help ]]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$1" || exit 2
out=$(cd "$1" && pwd)
steps_dir="$out/steps"
mkdir -p "$steps_dir"
budget=${WSLCUDA_ACCEPTANCE_BUDGET_S:-540}
smi=${WSLCUDA_ACCEPTANCE_NVIDIA_SMI:-$(command -v nvidia-smi || echo nvidia-smi)}
figures=("$(command -v python3 || echo python3)" "$repo/ci/acceptance_figures.py")
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- Binaries -------------------------------------------------------------------------------
bin_note=
if [[ $# -eq 2 ]]; then
  [[ -d $2 ]] || { echo "gpu_acceptance: BIN_DIR $2 is not a folder" >&2; exit 2; }
  bin=$(cd "$2" && pwd)
  bin_note="prebuilt ($bin)"
else
  bin="$repo/build/acceptance/bin"
  arch=90
  if [[ -x $smi ]] && cap=$("$smi" --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1); then
    [[ $cap =~ ^([0-9]+)\.([0-9])$ ]] && arch="${BASH_REMATCH[1]}${BASH_REMATCH[2]}"
  fi
  echo "gpu_acceptance: building for sm_$arch into build/acceptance (log: $steps_dir/00-build.log)"
  (cd "$repo" && cmake -S . -B build/acceptance -G Ninja -DCMAKE_BUILD_TYPE=Release \
     -DCMAKE_CUDA_ARCHITECTURES="$arch" -DWSLCUDA_ENABLE_TESTS=ON -DWSLCUDA_BUILD_SAMPLES=ON &&
   cmake --build build/acceptance) > "$steps_dir/00-build.log" 2>&1
  bin_note="built here for sm_$arch (exit $?; build/acceptance/bin)"
fi
[[ -d $bin/lib ]] && export LD_LIBRARY_PATH="$bin/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [[ -z ${WSLCUDA_BASELINE_DIR:-} ]]; then
  if [[ -d $bin/baselines ]]; then
    export WSLCUDA_BASELINE_DIR="$bin/baselines"
  else
    export WSLCUDA_BASELINE_DIR="$repo/reports/baselines"
  fi
fi
wslcuda="$bin/wslcuda"

# --- Is there a GPU? -------------------------------------------------------------------------
gpu_reason=
if [[ ! -x $smi ]] && ! command -v "$smi" >/dev/null 2>&1; then
  gpu_reason="no GPU: nvidia-smi not found ($smi)"
elif ! "$smi" -L > "$steps_dir/nvidia-smi-L.txt" 2>&1; then
  gpu_reason="no GPU: nvidia-smi -L failed: $(head -c 200 "$steps_dir/nvidia-smi-L.txt" | tr '\n' ' ')"
elif ! grep -q '^GPU ' "$steps_dir/nvidia-smi-L.txt"; then
  gpu_reason="no GPU: nvidia-smi -L lists none"
fi
[[ -x $wslcuda ]] || gpu_reason="${gpu_reason:+$gpu_reason; }no wslcuda binary at $wslcuda"
gpu_name=$([[ -z $gpu_reason ]] && sed -n '1s/^GPU 0: \(.*\) (UUID.*/\1/p' "$steps_dir/nvidia-smi-L.txt")

# --- Bookkeeping -----------------------------------------------------------------------------
clock_start=$(date +%s.%N)
elapsed() { awk -v a="$clock_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }'; }
: > "$out/steps.tsv"
smi_pid=
stop_sampler() {
  if [[ -n $smi_pid ]]; then
    kill "$smi_pid" 2>/dev/null
    wait "$smi_pid" 2>/dev/null
    smi_pid=
  fi
}
trap 'stop_sampler' EXIT
trap 'stop_sampler; write_summary "interrupted"; exit 130' INT TERM

# One line of steps.tsv: index, name, status, exit, wall_s, rss_mib, gpu_mib, figures.
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$out/steps.tsv"; }

write_summary() {
  local state=${1:-running}
  {
    echo "wslcuda GPU acceptance: $state"
    echo "started: $started_at; steps took $(elapsed) s of a $budget s budget"
    echo "repository: $repo ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
    echo "binaries: $bin_note"
    echo "gpu: ${gpu_name:-none} ${gpu_reason:+($gpu_reason)}"
    echo
    echo "step | status | exit | wall s | RSS MiB | GPU MiB | figures"
    while IFS=$'\t' read -r idx name status code wall rss mem figs; do
      echo "$idx $name | $status | $code | $wall | $rss | $mem | $figs"
    done < "$out/steps.tsv"
  } > "$out/summary.txt.tmp" && mv "$out/summary.txt.tmp" "$out/summary.txt"
  # Exit 1 is "a file changed while read" (a sampler's file): the archive is still whole.
  tar czf "$out/gpu-acceptance.tar.gz.tmp" -C "$out" --exclude=./gpu-acceptance.tar.gz \
    --exclude=./gpu-acceptance.tar.gz.tmp --warning=no-file-changed . 2>/dev/null
  (($? <= 1)) && mv "$out/gpu-acceptance.tar.gz.tmp" "$out/gpu-acceptance.tar.gz"
}

# step INDEX NAME CAP_S NEEDS_GPU FIGURES_FUNCTION -- COMMAND...
# Runs COMMAND (a bash string) under `timeout`, with GNU time and the device-memory sampler,
# and records the outcome; or records why it was skipped.
step() {
  local idx=$1 name=$2 cap=$3 needs_gpu=$4 figs_fn=$5
  shift 6
  local cmd=$*
  local log="$steps_dir/$idx-$name.log" tfile="$steps_dir/$idx-$name.time"
  local gfile="$steps_dir/$idx-$name.gpumem"
  local left=$((budget - $(elapsed)))
  if [[ $needs_gpu == gpu && -n $gpu_reason ]]; then
    record "$idx" "$name" skipped - - - - "$gpu_reason"
    write_summary
    return
  fi
  if ((left < 5)); then
    record "$idx" "$name" skipped - - - - "out of time: ${left} s of the $budget s budget left"
    write_summary
    return
  fi
  local limit=$((cap < left ? cap : left))
  if [[ -z $gpu_reason ]]; then
    "$smi" --query-gpu=memory.used --format=csv,noheader,nounits -lms 250 > "$gfile" 2>/dev/null &
    smi_pid=$!
  fi
  local t0 code
  t0=$(date +%s.%N)
  echo "$cmd" > "$log"
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -v -o "$tfile" timeout -k 10 "$limit" bash -c "$cmd" >> "$log" 2>&1
    code=$?
  else
    "${figures[0]}" -c 'import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write("maxrss_kb %d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code if code >= 0 else 128 - code)' "$tfile" timeout -k 10 "$limit" bash -c "$cmd" >> "$log" 2>&1
    code=$?
  fi
  stop_sampler
  local wall status=ran
  wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  ((code == 124 || code == 137)) && status="timed out after $limit s"
  local rss mem=- figs
  rss=$("${figures[@]}" rss "$tfile")
  [[ -s $gfile ]] && mem=$("${figures[@]}" gpumem "$gfile")
  figs=$($figs_fn 2>&1 | tr '\t\n' '  ' | sed 's/ *$//')
  record "$idx" "$name" "$status" "$code" "$wall" "$rss" "$mem" "${figs:--}"
  write_summary
}

# --- Figures per step ------------------------------------------------------------------------
figs_env() {
  local missing
  missing=$(grep -c 'not found' "$out/env/ldd.txt" 2>/dev/null)
  echo "ldd: ${missing:-0} missing libraries; doctor: $("${figures[@]}" doctor "$out/env/doctor.json")"
}
figs_quick_a() { "${figures[@]}" report "$out/quick-a.json"; }
figs_quick_b() { "${figures[@]}" report "$out/quick-b.json"; }
figs_compare() { "${figures[@]}" compare "$out/compare-quick-a-vs-b.json"; }
figs_gtest() { "${figures[@]}" gtest "$out/gpu-tests.json"; }
figs_gate_bundled() { "${figures[@]}" report "$out/gate-bundled.json"; }
figs_gate_none() { "${figures[@]}" report "$out/gate-none.json"; }
figs_full() { "${figures[@]}" report "$out/full.json"; }
figs_sanitizer() {
  echo "$(grep -h 'ERROR SUMMARY' "$steps_dir/09-sanitizer.log" | tail -n 1); $("${figures[@]}" report "$out/sanitizer.json")"
}
figs_samples() { "${figures[@]}" samples "$out"/samples/*.log; }
figs_bench() { grep -h '^wslcuda run' "$steps_dir/11-bench-suite.log" | tr '\n' ';'; }

# --- The steps -------------------------------------------------------------------------------
mkdir -p "$out/env" "$out/samples"
# Every run is recorded in a store inside OUT_DIR (it travels in the tarball; `wslcuda history
# import` or `history push` takes it further), never in the machine's own history.
export WSLCUDA_HISTORY="sqlite:$out/history.db"
env_cmd="{ '$smi' -q > '$out/env/nvidia-smi-q.txt' 2>&1 || echo 'nvidia-smi -q: exit '\$? >> '$out/env/nvidia-smi-q.txt'; }
for f in '$bin'/* '$bin'/lib/*; do [[ -f \$f && -x \$f || \$f == *.so* ]] || continue; echo \"== \$f\"; ldd \"\$f\" 2>&1; done > '$out/env/ldd.txt'
uname -a > '$out/env/uname.txt'; cat /etc/os-release >> '$out/env/uname.txt' 2>/dev/null
'$wslcuda' doctor --json '$out/env/doctor.json' --junit '$out/env/doctor.xml' > '$out/env/doctor.txt' 2>&1"
step 01 environment 60 any figs_env -- "$env_cmd"

run_flags="--no-progress --baseline none"
step 02 quick-a 150 gpu figs_quick_a -- \
  "'$wslcuda' run --quick --repeat 3 $run_flags --json '$out/quick-a.json' --junit '$out/quick-a.xml' --html '$out/quick-a.html'"
step 03 quick-b 150 gpu figs_quick_b -- \
  "'$wslcuda' run --quick --repeat 3 $run_flags --json '$out/quick-b.json'"
if [[ -s $out/quick-a.json && -s $out/quick-b.json ]]; then
  step 04 compare 30 any figs_compare -- \
    "'$wslcuda' compare '$out/quick-a.json' '$out/quick-b.json' --json '$out/compare-quick-a-vs-b.json' --markdown '$out/compare-quick-a-vs-b.md'"
else
  record 04 compare skipped - - - - "no two quick reports to compare (${gpu_reason:-a quick run wrote none})"
  write_summary
fi
step 05 gpu-tests 150 gpu figs_gtest -- \
  "'$bin/wslcuda_gpu_tests' --gtest_output=json:'$out/gpu-tests.json'"
if [[ -s $out/quick-a.json ]]; then
  step 06 gate-bundled 30 any figs_gate_bundled -- \
    "'$wslcuda' gate '$out/quick-a.json' --baseline auto --json '$out/gate-bundled.json' --markdown '$out/gate-bundled.md'"
  step 07 gate-none 30 any figs_gate_none -- \
    "'$wslcuda' gate '$out/quick-a.json' --baseline none --json '$out/gate-none.json'"
else
  for s in "06 gate-bundled" "07 gate-none"; do
    record ${s% *} ${s#* } skipped - - - - "no quick report to gate (${gpu_reason:-quick-a wrote none})"
  done
  write_summary
fi
step 08 full 240 gpu figs_full -- \
  "'$wslcuda' run --repeat 3 $run_flags --json '$out/full.json' --html '$out/full.html'"
if command -v compute-sanitizer >/dev/null 2>&1 || [[ -n $gpu_reason ]]; then
  step 09 sanitizer 90 gpu figs_sanitizer -- \
    "compute-sanitizer --tool memcheck --error-exitcode 1 '$wslcuda' run --quick --no-isolation --no-progress --baseline none --filter 'gemm.own.*,conv.own.*,reduce.own.*,transfer.sm.*' --json '$out/sanitizer.json'"
else
  record 09 sanitizer skipped - - - - "compute-sanitizer not on PATH"
  write_summary
fi
samples_cmd="status=0; for s in device_query bandwidth_test vector_add matrix_mul black_scholes nbody graph_launch cudnn_conv nccl_all_reduce; do
  if [[ -x '$bin'/\$s ]]; then timeout 20 '$bin'/\$s > '$out/samples/'\$s.log 2>&1 || status=1; else echo \"\$s: not in $bin\"; status=1; fi
done; exit \$status"
step 10 samples 60 gpu figs_samples -- "$samples_cmd"
if [[ -z $gpu_reason ]] && ((budget - $(elapsed) < 300)); then
  record 11 bench-suite skipped - - - - "needs 300 s of the budget, $((budget - $(elapsed))) s left"
  write_summary
else
  step 11 bench-suite 600 gpu figs_bench -- "bash '$repo/ci/bench_suite.sh' '$wslcuda' '$out/bench-suite'"
fi

write_summary "finished"
echo "gpu_acceptance: $out/summary.txt, $out/gpu-acceptance.tar.gz"
cat "$out/summary.txt"
exit 0
