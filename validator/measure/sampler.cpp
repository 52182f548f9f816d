#include "measure/sampler.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "measure/statistics.hpp"

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

sampling_policy latency_sampling_policy(const sampling_policy& base) {
  sampling_policy p = base;
  p.rule = stop_rule::median_ci;
  p.min_samples = 100;
  p.min_time_s = 0.0;
  p.max_median_ci_rel = 0.01;
  p.min_samples_to_converge = 1000;
  p.max_samples = 10000;
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
/// (x_(upper) − x_(lower)) / median for the distribution-free 95 % CI of the median.
double median_ci_relative_width(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const median_ci_ranks r = median_confidence_ranks(samples.size());
  const double median = percentile_sorted(samples, 50.0);
  if (median <= 0.0) return INFINITY;
  return (samples[r.upper - 1] - samples[r.lower - 1]) / median;
}

}  // namespace

sampling_outcome sample_adaptively(const sampling_policy& policy,
                                   const std::function<void()>& warmup,
                                   const std::function<double()>& measure_once,
                                   const std::function<double()>& wall_clock_s,
                                   const std::function<void()>& before_samples) {
  sampling_outcome out;
  const double warm_start = wall_clock_s();
  do {
    warmup();
    ++out.warmup_runs;
  } while (out.warmup_runs < policy.min_warmup_runs ||
           wall_clock_s() - warm_start < policy.warmup_time_s);
  if (before_samples) before_samples();

  const double start = wall_clock_s();  // the time cap counts from here
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
    if (policy.rule == stop_rule::noise) {
      if (sum >= policy.min_time_s && noise_of(sum, sum_sq, n) < policy.max_noise) {
        out.stop_reason = "converged";
        break;
      }
    } else if (n >= policy.min_samples_to_converge && n % 32 == 0 && sum >= policy.min_time_s &&
               median_ci_relative_width(out.samples) < policy.max_median_ci_rel) {
      out.stop_reason = "median stable";
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
