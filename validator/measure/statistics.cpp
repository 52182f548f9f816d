#include "measure/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace wslcuda {

median_ci_ranks median_confidence_ranks(std::size_t n, double confidence) {
  if (n == 0) throw std::invalid_argument("median_confidence_ranks: no samples");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("median_confidence_ranks: confidence must be in (0, 1)");
  const boost::math::binomial_distribution<double> below(static_cast<double>(n), 0.5);
  const double tail = (1.0 - confidence) / 2.0;
  // Largest j with P(B ≤ j − 1) ≤ tail; the interval [x_(j), x_(n+1−j)] then covers the median
  // with probability 1 − 2·P(B ≤ j − 1).
  std::size_t j = 0;
  while (j + 1 <= n / 2 && boost::math::cdf(below, static_cast<double>(j)) <= tail) ++j;
  median_ci_ranks ranks;
  if (j == 0) {
    ranks.lower = 1;
    ranks.upper = n;
    ranks.coverage = 1.0 - 2.0 * std::pow(0.5, static_cast<double>(n));
  } else {
    ranks.lower = j;
    ranks.upper = n + 1 - j;
    ranks.coverage = 1.0 - 2.0 * boost::math::cdf(below, static_cast<double>(j - 1));
  }
  return ranks;
}

double percentile_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("percentile_sorted: no samples");
  if (!(p >= 0.0 && p <= 100.0))
    throw std::invalid_argument("percentile_sorted: p not in [0, 100]");
  const double pos = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  // (1 − f)·a + f·b: no overflow of b − a for values of opposite signs near DBL_MAX.
  const double f = pos - static_cast<double>(lo);
  return f == 0.0 ? sorted[lo] : (1.0 - f) * sorted[lo] + f * sorted[hi];
}

double median_of(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("median_of: no values");
  std::sort(values.begin(), values.end());
  return percentile_sorted(values, 50.0);
}

namespace {

/// Median of `v`, reordering it (nth_element).
double median_in_place(std::vector<double>& v) {
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (v.size() % 2 == 1) return v[mid];
  const double upper = v[mid];
  // Halves first: the sum of two values near DBL_MAX would overflow to inf.
  return upper / 2.0 +
         *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)) / 2.0;
}

double central_of(const std::vector<execution_distribution>& executions) {
  std::vector<double> medians;
  for (const auto& e : executions) medians.push_back(percentile_sorted(e.sorted, 50.0));
  return median_in_place(medians);
}

}  // namespace

ratio_interval hierarchical_bootstrap_ratio(const std::vector<execution_distribution>& numerator,
                                            const std::vector<execution_distribution>& denominator,
                                            std::uint64_t seed, int resamples, double confidence) {
  if (numerator.empty() || denominator.empty())
    throw std::invalid_argument("bootstrap: empty side");
  for (const auto* side : {&numerator, &denominator})
    for (const auto& e : *side)
      if (e.sorted.empty()) throw std::invalid_argument("bootstrap: empty execution");
  if (resamples < 1 || !(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("bootstrap: bad parameters");
  ratio_interval out;
  const double den = central_of(denominator);
  if (den == 0.0) throw std::invalid_argument("bootstrap: zero central value");
  out.estimate = central_of(numerator) / den;
  std::mt19937_64 rng(seed);
  std::vector<double> ratios, medians;
  ratios.reserve(static_cast<std::size_t>(resamples));
  auto resample = [&](const std::vector<execution_distribution>& side) {
    medians.clear();
    for (std::size_t k = 0; k < side.size(); ++k) {
      const execution_distribution& e = side[static_cast<std::size_t>(rng() % side.size())];
      // The bootstrap median of n samples: the empirical quantile at p ~ Beta(a, a).
      const double a = (static_cast<double>(std::max<std::size_t>(e.n, 1)) + 1.0) / 2.0;
      std::gamma_distribution<double> g(a, 1.0);
      const double x = g(rng), y = g(rng);
      const double p = x + y > 0.0 ? x / (x + y) : 0.5;
      medians.push_back(percentile_sorted(e.sorted, 100.0 * p));
    }
    return median_in_place(medians);
  };
  for (int i = 0; i < resamples; ++i) {
    const double nx = resample(numerator), dy = resample(denominator);
    if (dy != 0.0) ratios.push_back(nx / dy);
  }
  std::sort(ratios.begin(), ratios.end());
  const double tail = (1.0 - confidence) / 2.0 * 100.0;
  out.low = percentile_sorted(ratios, tail);
  out.high = percentile_sorted(ratios, 100.0 - tail);
  return out;
}

std::vector<double> spaced_percentiles(std::vector<double> samples, std::size_t count) {
  std::sort(samples.begin(), samples.end());
  if (samples.size() <= count || count < 2) return samples;
  std::vector<double> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(percentile_sorted(
        samples, 100.0 * static_cast<double>(i) / static_cast<double>(count - 1)));
  return out;
}

sample_summary summarize(std::vector<double> samples) {
  if (samples.empty()) throw std::invalid_argument("summarize: no samples");
  std::sort(samples.begin(), samples.end());
  sample_summary s;
  s.n = samples.size();
  s.min = samples.front();
  s.max = samples.back();
  s.median = percentile_sorted(samples, 50.0);
  s.p90 = percentile_sorted(samples, 90.0);
  s.p99 = percentile_sorted(samples, 99.0);
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(s.n);
  if (s.n > 1) {
    double ss = 0.0;
    for (double x : samples) ss += (x - s.mean) * (x - s.mean);
    s.stdev = std::sqrt(ss / static_cast<double>(s.n - 1));
  }
  s.stdev_rel = s.mean != 0.0 ? s.stdev / std::fabs(s.mean) : 0.0;
  const median_ci_ranks ranks = median_confidence_ranks(s.n);
  s.ci95_lo = samples[ranks.lower - 1];
  s.ci95_hi = samples[ranks.upper - 1];
  s.ci_coverage = ranks.coverage;
  return s;
}

}  // namespace wslcuda
