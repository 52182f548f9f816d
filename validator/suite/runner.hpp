#pragma once
// Runs workloads: requirement checks, verification, adaptive timing, throughput. CUDA-free:
// the execution context comes from a factory (GPU in wslcuda, scripted in the tests).

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "measure/sampler.hpp"
#include "model/result.hpp"
#include "model/target.hpp"
#include "suite/workload.hpp"

namespace wslcuda {

/// The clocks block of a row from its readings: median SM and memory clocks, the largest
/// maximum, the fraction of readings under 75 % of it (nvbench's --throttle-threshold default;
/// a reading taken while the GPU was idle, or whose reasons NVML could not give, never counts
/// as throttled: a low clock is then not known to be a slowdown) and every reason seen.
/// nullopt for no readings.
std::optional<clock_block> summarize_clocks(const std::vector<clock_reading>& readings);

struct runner_options {
  sampling_policy sampling = default_sampling_policy();
  /// Target duration of one sample: back-to-back runs are batched until a sample lasts about
  /// this long, so per-launch submission cost stays out of compute throughput (launch cost is
  /// measured by the latency workloads). Capped at `max_batch` runs.
  double min_sample_s = 1e-3;
  int max_batch = 1000;
  std::function<double()> wall_clock = steady_seconds;
  /// Reads the device's clocks (NVML in the worker; scripted in tests); empty: no readings. It
  /// is called once before sampling (its first call starts NVML; that reading is dropped), then
  /// at most once per `clock_interval_s` of wall time: while a replayed batch runs on the
  /// device (between its launch and the wait, outside the timed interval's host path), else
  /// right after a sample.
  std::function<std::optional<clock_reading>()> read_clocks;
  double clock_interval_s = 0.01;
};

/// Runs one workload on `ctx` (which may be null only when the target is unusable):
///  - skip with the reason when a requirement is unmet (unmet_requirement);
///  - prepare, verify (poisoned output, reference, bound): a failed check is `fail` and is not
///    timed; a check that could not compare anything is `error`;
///  - warm up; then, outside the sampling window, start the clock reader and size the batch;
///    a batch of runs shorter than min_sample_s is captured as one graph when the context can
///    (prepare_batch), replayed once, and dropped for plain back-to-back runs when its time per
///    run is implausible (replay_is_plausible), with the reason in timing.mode;
///  - sample adaptively, batching runs per sample (see runner_options);
///  - bound: measured_bound from the timing kind, batch, replay and median, and the workload's
///    declared bound (workload_info::bound);
///  - throughput = flops (or bytes) / median time, with fraction_of_peak when the peak is known;
///    a fraction above 1 is `error` (the accounting or the timing is wrong);
///  - any exception becomes `error` with its message and error_of(exception); a failed
///    verification that compared nothing and a throughput above the peak are `error` of kind
///    invalid_result. release() is always called.
result_row run_workload(workload& w, execution_context* ctx, const target_info& target,
                        const runner_options& options);

/// The row error for an exception: kind cuda with the error's name for a CUDA error (a
/// named_error of library "cuda", such as cuda_error), else kind exception.
error_block error_of(const std::exception& e);

/// The peak bytes/s a bandwidth result of `bytes` per run is divided by: the DRAM peak for
/// automatic and dram (none when 2 × L2 would hold the working set: it may be cache-resident),
/// one or both directions of the host link; nullopt when unknown.
std::optional<double> bandwidth_peak(peak_reference reference, double bytes,
                                     const target_info& target);

/// A row carrying only the identity of `info` (id, family, implementation, precision, shape)
/// on `device`; status skip, no message.
result_row identity_row(const workload_info& info, int device);

/// A `skip` row for `w` on `device` with the reason.
result_row skipped_row(const workload& w, int device, const std::string& why);

using context_factory = std::function<std::unique_ptr<execution_context>()>;

}  // namespace wslcuda
