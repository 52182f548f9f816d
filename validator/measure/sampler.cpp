#include "measure/sampler.hpp"

#include <chrono>
#include <cmath>

namespace wslcuda {

sampling_policy default_sampling_policy() {
  return sampling_policy{};
}

sampling_policy quick_sampling_policy() {
  sampling_policy p;
  p.min_time_s = 0.1;
  p.max_time_s = 0.25;
  p.warmup_time_s = 0.005;
  return p;
}

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

namespace {
/// Relative standard deviation from running sums (Welford would be overkill at ≤ 1000 samples
/// of similar magnitude; the two-pass form is used for the reported value in summarize()).
double noise_of(double sum, double sum_sq, int n) {
  if (n < 2 || sum == 0.0) return INFINITY;
  const double mean = sum / n;
  const double var = (sum_sq - n * mean * mean) / (n - 1);
  return var > 0.0 ? std::sqrt(var) / std::fabs(mean) : 0.0;
}
}  // namespace

sampling_outcome sample_adaptively(const sampling_policy& policy,
                                   const std::function<void()>& warmup,
                                   const std::function<double()>& measure_once,
                                   const std::function<double()>& wall_clock_s) {
  sampling_outcome out;
  const double warm_start = wall_clock_s();
  do {
    warmup();
    ++out.warmup_runs;
  } while (out.warmup_runs < policy.min_warmup_runs ||
           wall_clock_s() - warm_start < policy.warmup_time_s);

  const double start = wall_clock_s();
  double sum = 0.0, sum_sq = 0.0;
  for (;;) {
    const double t = measure_once();
    out.samples.push_back(t);
    sum += t;
    sum_sq += t * t;
    const int n = static_cast<int>(out.samples.size());
    if (n >= policy.max_samples) {
      out.stop_reason = "sample cap";
      break;
    }
    if (n < policy.min_samples) continue;
    if (sum >= policy.min_time_s && noise_of(sum, sum_sq, n) < policy.max_noise) {
      out.stop_reason = "converged";
      break;
    }
    if (wall_clock_s() - start >= policy.max_time_s) {
      out.stop_reason = "time cap";
      break;
    }
  }
  return out;
}

}  // namespace wslcuda
