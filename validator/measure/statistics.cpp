#include "measure/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <numeric>
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

sample_summary summarize(std::vector<double> samples) {
  if (samples.empty()) throw std::invalid_argument("summarize: no samples");
  std::sort(samples.begin(), samples.end());
  sample_summary s;
  s.n = samples.size();
  s.min = samples.front();
  s.max = samples.back();
  s.median = percentile_sorted(samples, 50.0);
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
