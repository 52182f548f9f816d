#pragma once
// Process isolation (DCGM-style): a workload runs in a child process of wslcuda (hidden worker
// mode) with a hard timeout, SIGTERM then SIGKILL; a crash, hang or garbage output loses only
// that workload. CUDA-free: tested on the CPU with synthetic workloads and helper programs.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/result.hpp"
#include "model/worker_protocol.hpp"
#include "suite/workload.hpp"

namespace wslcuda {

/// What to run and under which limits.
struct child_request {
  std::vector<std::string> argv;  ///< argv[0] is the executable path
  std::string stdin_data;         ///< written to the child's stdin, which is then closed
  double timeout_s = 60.0;        ///< wall-clock limit, then SIGTERM to the child's process group
  double grace_s = 3.0;           ///< after SIGTERM, SIGKILL when still alive
  std::uint64_t address_space_limit = 0;  ///< RLIMIT_AS for the child in bytes; 0 = none (CUDA
                                          ///< reserves large address ranges: GPU workers need none)
  std::size_t max_output_bytes = 16u
                                 << 20;  ///< stdout kept at most (garbage cannot exhaust memory)
  /// Staged limits for a child that does several things in turn (a worker running a group):
  /// when not empty, stage k must end within stage_timeouts_s[k] of the end of stage k − 1 (the
  /// last limit repeats), and a stage ends when the child writes a line starting with
  /// `stage_marker` on stdout. timeout_s is then unused. A hang costs one workload's limit, not
  /// the group's.
  std::vector<double> stage_timeouts_s;
  std::string stage_marker;
  /// Called with each stage line (without its newline) as soon as it is complete, while the
  /// child runs: results reach the journal and the progress output one by one.
  std::function<void(const std::string&)> on_stage_line;
};

/// How the child ended.
struct child_result {
  bool started = false;
  std::string start_error;  ///< why it could not be started (fork/exec)
  bool exited = false;      ///< normal exit; exit_code valid
  int exit_code = 0;
  bool signaled = false;  ///< killed by a signal; signal valid
  int signal = 0;
  bool timed_out = false;        ///< we stopped it at the time limit
  double expired_limit_s = 0.0;  ///< the limit that expired (timeout_s or one stage's), seconds
  std::size_t stages_done = 0;   ///< stage_marker lines seen
  bool killed = false;           ///< it ignored SIGTERM and needed SIGKILL
  bool interrupted = false;      ///< we stopped it because the parent was interrupted
  std::string stdout_data;       ///< everything it wrote on stdout (capped)
  std::string stderr_tail;       ///< the last 4 KiB of stderr
  double wall_s = 0.0;
};

/// Runs the child in its own process group and waits for it, honouring the time limit; when
/// `interrupt` becomes non-zero (the parent got SIGINT/SIGTERM), stops the child the same way.
/// Never throws; a failure to start is `started == false` with the reason.
child_result run_child(const child_request& request, const std::atomic<int>* interrupt = nullptr);

/// The result row for `info` from how its worker ended: the worker's own result line when there
/// is a well-formed one; else `error` saying what happened: "timed out after 12 s", "worker
/// killed by SIGSEGV (Segmentation fault)", "worker exited with code 3", "garbage on the worker
/// pipe: …", each with the last line the worker wrote on stderr, and row.error's kind: timeout,
/// crash (signal or non-zero exit), interrupted, or worker (no usable result).
result_row result_from_child(const workload_info& info, int device, const child_result& child,
                             double timeout_s);

/// "SIGSEGV (Segmentation fault)" for a signal number.
std::string signal_description(int signal);

/// Time limit of one workload: `scale` × clamp(20 s + 2 × (sampling cap + warm-up) + 2 × the
/// workload's setup estimate, 20 s, 600 s). Generous on purpose: a timeout means a hang, not
/// a slow machine; `--timeout-scale` adjusts it.
double workload_timeout_s(double sampling_cap_s, double warmup_s, double setup_estimate_s,
                          double scale);

/// The time limit of `info` under `sampling`: `scale` × its own workload_info::time_limit_s
/// when it sets one, else workload_timeout_s(max_time_s, warmup_time_s, setup_estimate_s, scale).
double workload_timeout_s(const workload_info& info, const sampling_policy& sampling, double scale);

/// Number of equal launches a kernel of `estimated_s` seconds is split into so each stays under
/// `limit_s` when the device has a run-time watchdog (Windows TDR: 2 s; wslcuda aims at 0.5 s);
/// 1 without a watchdog. Estimates ≤ 0 or non-finite give 1.
int tdr_chunks(double estimated_s, bool watchdog, double limit_s = 0.5);

}  // namespace wslcuda
