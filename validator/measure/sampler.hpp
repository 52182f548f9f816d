#pragma once
// Adaptive sampling after nvbench's stopping rule (nvbench/detail/measure_cold.cu: min-samples,
// min-time, max-noise, timeout) and Google Benchmark's min-time. CUDA-free: the sample and the
// wall clock are injected, so the rule is tested with scripted clocks.

#include <functional>
#include <string>
#include <vector>

namespace wslcuda {

/// What "converged" means.
enum class stop_rule {
  /// The samples' relative standard deviation is below max_noise (nvbench's rule; throughput).
  noise,
  /// The distribution-free 95 % confidence interval of the median is narrower than
  /// max_median_ci_rel × median: the p50 is stable even when the distribution has a long tail
  /// (latencies, where the standard deviation never settles).
  median_ci,
};

/// When to stop taking samples of one workload.
struct sampling_policy {
  int min_samples = 10;      ///< never fewer (README, "How results are checked and timed")
  double min_time_s = 0.5;   ///< at least this much measured time, summed over samples
  double max_noise = 0.005;  ///< stop once the samples' relative standard deviation is below this
  /// Wall-clock cap for sampling this workload (counts after min_samples); 1 s keeps a full
  /// run of ~30 workloads near the 60 s budget.
  double max_time_s = 1.0;
  int max_samples = 1000;       ///< hard cap, bounds report size
  double warmup_time_s = 0.02;  ///< warm-up runs continue until this much wall time has passed
  int min_warmup_runs = 2;      ///< the first run absorbs module load, JIT and handle creation
  stop_rule rule = stop_rule::noise;
  double max_median_ci_rel = 0.01;  ///< stop_rule::median_ci: CI width / median below this
  /// stop_rule::median_ci: fewest samples that may converge (a p99 needs about 1000 to have ten
  /// samples above it); the time cap can still stop earlier, after min_samples.
  int min_samples_to_converge = 0;
};

/// The default policy: 10 samples and 0.5 s of measured time, 0.5 % noise, 1 s cap.
sampling_policy default_sampling_policy();
/// `--quick`: 10 samples and 0.1 s, 0.5 % noise, 0.25 s cap.
sampling_policy quick_sampling_policy();

/// The policy for latency distributions derived from `base` (its time cap and warm-up are kept):
/// one operation per sample, at least 100 samples, converged when the 95 % CI of the median is
/// within 1 % of it and there are ≥ 1000 samples (enough for a p99), at most 10000 samples.
sampling_policy latency_sampling_policy(const sampling_policy& base);

/// What the sampler took and why it stopped.
struct sampling_outcome {
  std::vector<double> samples;  ///< seconds, in the order taken
  std::string stop_reason;      ///< "converged", "time cap", "sample cap"
  int warmup_runs = 0;
};

/// Runs `warmup()` until both warm-up limits are met, then `before_samples()` once (when given:
/// one-time costs such as starting NVML or capturing and uploading a CUDA graph, kept out of the
/// sampling window and its time cap), then takes samples with `measure_once()`
/// (returns one sample in seconds) until: n ≥ min_samples, Σ ≥ min_time_s and noise < max_noise
/// ("converged"; with stop_rule::median_ci: n ≥ min_samples_to_converge and the median's CI
/// narrower than max_median_ci_rel, checked every 32 samples: "median stable"); or, once n ≥
/// min_samples, the wall time spent sampling ≥ max_time_s
/// ("time cap"); or n = max_samples ("sample cap"). `wall_clock_s()` is a monotonic clock in
/// seconds. Exceptions from the callables propagate.
sampling_outcome sample_adaptively(const sampling_policy& policy,
                                   const std::function<void()>& warmup,
                                   const std::function<double()>& measure_once,
                                   const std::function<double()>& wall_clock_s,
                                   const std::function<void()>& before_samples = nullptr);

/// Seconds since an arbitrary epoch from std::chrono::steady_clock.
double steady_seconds();

}  // namespace wslcuda
