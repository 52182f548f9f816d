#include "measure/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
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
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double median_of(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("median_of: no values");
  std::sort(values.begin(), values.end());
  return percentile_sorted(values, 50.0);
}

mann_whitney_result mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || b.empty()) throw std::invalid_argument("mann_whitney_u: empty sample");
  struct item {
    double value;
    bool from_a;
  };
  std::vector<item> all;
  all.reserve(a.size() + b.size());
  for (double v : a) all.push_back({v, true});
  for (double v : b) all.push_back({v, false});
  std::sort(all.begin(), all.end(), [](const item& x, const item& y) { return x.value < y.value; });
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size()), n = n1 + n2;
  double rank_sum_a = 0.0, tie_term = 0.0;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].value == all[i].value) ++j;
    const double t = static_cast<double>(j - i);
    const double mid_rank =
        (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // average of ranks i+1..j
    for (std::size_t k = i; k < j; ++k)
      if (all[k].from_a) rank_sum_a += mid_rank;
    tie_term += t * t * t - t;
    i = j;
  }
  mann_whitney_result r;
  r.u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
  const double mean = n1 * n2 / 2.0;
  const double variance = n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
  if (variance <= 0.0) return r;  // every value tied: no evidence of a difference
  const double diff = r.u - mean;
  const double corrected = diff > 0.0 ? std::max(0.0, diff - 0.5) : std::min(0.0, diff + 0.5);
  r.z = corrected / std::sqrt(variance);
  const boost::math::normal_distribution<double> normal;
  r.p_value =
      std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(normal, std::fabs(r.z))));
  return r;
}

ratio_interval bootstrap_ratio_of_medians(const std::vector<double>& numerator,
                                          const std::vector<double>& denominator,
                                          std::uint64_t seed, int resamples, double confidence) {
  if (numerator.empty() || denominator.empty())
    throw std::invalid_argument("bootstrap: empty sample");
  if (resamples < 1 || !(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("bootstrap: bad parameters");
  ratio_interval out;
  const double den = median_of(denominator);
  if (den == 0.0) throw std::invalid_argument("bootstrap: zero median");
  out.estimate = median_of(numerator) / den;
  std::mt19937_64 rng(seed);
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(resamples));
  std::vector<double> x(numerator.size()), y(denominator.size());
  auto resample = [&rng](const std::vector<double>& from, std::vector<double>& to) {
    for (double& v : to) v = from[static_cast<std::size_t>(rng() % from.size())];
    const std::size_t mid = to.size() / 2;
    std::nth_element(to.begin(), to.begin() + static_cast<std::ptrdiff_t>(mid), to.end());
    if (to.size() % 2 == 1) return to[mid];
    const double upper = to[mid];
    return (upper + *std::max_element(to.begin(), to.begin() + static_cast<std::ptrdiff_t>(mid))) /
           2.0;
  };
  for (int i = 0; i < resamples; ++i) {
    const double nx = resample(numerator, x), dy = resample(denominator, y);
    if (dy != 0.0) ratios.push_back(nx / dy);
  }
  std::sort(ratios.begin(), ratios.end());
  const double tail = (1.0 - confidence) / 2.0 * 100.0;
  out.low = percentile_sorted(ratios, tail);
  out.high = percentile_sorted(ratios, 100.0 - tail);
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
