#pragma once
// Runs the selected workloads one after another: requirement skips, isolation in worker
// processes (or in process), device-lost handling, interruption. CUDA-free.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/worker_protocol.hpp"
#include "suite/runner.hpp"

namespace wslcuda {

struct schedule_options {
  /// Run each workload in a worker process (`self_exe __worker`, the job on stdin). When false,
  /// `in_process` runs it here.
  bool isolation = true;
  std::string self_exe;  ///< path of the wslcuda binary (/proc/self/exe)
  worker_job
      job_template;  ///< device, seed, quick, synthetic, target, sampling; ids set per worker
  double timeout_scale = 1.0;                   ///< multiplies workload_timeout_s
  double grace_s = 3.0;                         ///< SIGTERM → SIGKILL
  std::uint64_t worker_memory_limit = 0;        ///< RLIMIT_AS of workers, 0 = none
  const std::atomic<int>* interrupt = nullptr;  ///< non-zero: stop (SIGINT/SIGTERM received)
  /// After this many consecutive device-lost errors (rows whose error names a device-losing CUDA
  /// error: is_device_lost) the remaining device workloads are skipped with "device lost".
  int device_lost_limit = 2;
};

struct schedule_outcome {
  std::vector<result_row> rows;  ///< one per workload run or skipped, in order
  bool interrupted = false;      ///< stopped early; the workload in flight is not in `rows`
};

/// Runs `workloads` on `target` in order. A workload whose requirements are unmet is skipped
/// without a process. With isolation, consecutive runnable workloads of the same non-empty
/// workload_info::group share one worker (run_group_in_worker). `in_process` is used when
/// options.isolation is false. `on_result` is called after each row (journal, progress).
schedule_outcome run_scheduled(const std::vector<workload*>& workloads, const target_info& target,
                               const schedule_options& options,
                               const std::function<result_row(workload&)>& in_process,
                               const std::function<void(const result_row&)>& on_result = {});

/// Runs `group` (≥ 1 workloads) in order in one worker process, calling `on_row(index, row)`
/// for each workload the worker answered for, in order and as soon as it answers; then, when
/// the worker ended without answering for the next one, with that workload's `error` row
/// saying how it ended (crash, timeout, "interrupted", …) — unless the worker exited cleanly
/// after some results (it stops after a device-lost error): the caller runs the workloads
/// without a row in a new worker. Each workload has its own time limit, counted from the
/// previous answer.
void run_group_in_worker(const std::vector<const workload_info*>& group,
                         const schedule_options& options,
                         const std::function<void(std::size_t, result_row)>& on_row);

/// An in-process runner for run_scheduled: the first workload that needs a device creates the
/// context with `make_context` (once; a failure errors every later device workload with the
/// reason); host workloads get a host_context.
std::function<result_row(workload&)> make_in_process_runner(const target_info& target,
                                                            context_factory make_context,
                                                            const runner_options& options);

}  // namespace wslcuda
