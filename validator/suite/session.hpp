#pragma once
// The measuring part of `wslcuda run`: the selected workloads run R times, interleaved, in fresh
// worker executions (or in process), then the cuda_samples programs, and the confirmation reruns
// the gate asks for. CUDA-free: the context comes from the caller. Judging the rows (baselines,
// floors) is baseline/'s; the command line only wires options to this.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/result.hpp"
#include "suite/scheduler.hpp"

namespace wslcuda {

/// What a run measures beyond its workloads.
struct session_options {
  int repeat = 1;  ///< executions of every workload (`run --repeat`), interleaved
  /// Folder of the wslcuda executable, whose cuda_samples programs (found by run_samples) run
  /// after the workloads, each in its own process; "" runs none.
  std::string samples_dir;
  double samples_timeout_s = 300.0;  ///< per program
};

/// Every execution's row of a run, in the order they ran.
struct session_outcome {
  std::vector<result_row> executions;
  bool interrupted = false;  ///< stopped early (schedule.interrupt); later rounds did not run
};

/// One run's workloads on one target, with how each runs (schedule, in-process runner) and what
/// happens after each row (`on_row`: the journal, the progress line).
class measurement_session {
 public:
  measurement_session(std::vector<workload*> selected, target_info target,
                      schedule_options schedule, std::function<result_row(workload&)> in_process,
                      std::function<void(const result_row&)> on_row);

  /// Runs every selected workload once, then again, `options.repeat` times in all (interleaved:
  /// drift does not line up with one row), then the samples programs unless interrupted.
  session_outcome measure(const session_options& options);

  /// One fresh execution of each selected workload whose id is in `ids`, in selection order: the
  /// gate's confirmation round. Empty when interrupted (the gate then judges on what it has).
  std::vector<result_row> rerun(const std::vector<std::string>& ids);

 private:
  std::vector<workload*> selected_;
  target_info target_;
  schedule_options schedule_;
  std::function<result_row(workload&)> in_process_;
  std::function<void(const result_row&)> on_row_;
};

/// Runs `workloads` in order on one target, in this process. The context is created once, on the
/// first workload that can run; if creating it throws, that workload and the rest are `error`
/// with the reason. `on_result` is called after each workload.
std::vector<result_row> run_suite(const std::vector<workload*>& workloads,
                                  const target_info& target, const context_factory& make_context,
                                  const runner_options& options,
                                  const std::function<void(const result_row&)>& on_result = {});

}  // namespace wslcuda
