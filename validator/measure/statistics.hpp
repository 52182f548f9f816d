#pragma once
// Descriptive statistics of timing samples. CUDA-free.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wslcuda {

/// 1-based order statistics [x_(lower), x_(upper)] that bracket the population median with
/// probability `coverage` ≥ the requested confidence, from the Binomial(n, 1/2) distribution of
/// the number of samples below the median (distribution-free; Conover, Practical Nonparametric
/// Statistics, 3rd ed., §3.2). For n < 6 no 95 % interval exists: [1, n] with its coverage.
struct median_ci_ranks {
  std::size_t lower = 0;
  std::size_t upper = 0;
  double coverage = 0.0;
};

/// Ranks of the distribution-free confidence interval of the median for n ≥ 1 samples.
/// Throws std::invalid_argument for n = 0 or confidence outside (0, 1).
median_ci_ranks median_confidence_ranks(std::size_t n, double confidence = 0.95);

/// Summary of n ≥ 1 samples (any unit; wslcuda passes seconds).
struct sample_summary {
  std::size_t n = 0;
  double median = 0, mean = 0, min = 0, max = 0;
  double stdev = 0;         ///< sample standard deviation (n − 1 denominator); 0 when n = 1
  double stdev_rel = 0;     ///< stdev / mean, the "noise" of nvbench
  double p90 = 0, p99 = 0;  ///< percentiles (percentile_sorted); the median is the p50
  double ci95_lo = 0, ci95_hi = 0;  ///< distribution-free 95 % CI of the median
  double ci_coverage = 0;           ///< actual coverage of [ci95_lo, ci95_hi]
};

/// Summarises `samples` (copied and sorted). Throws std::invalid_argument when empty.
sample_summary summarize(std::vector<double> samples);

/// Linear-interpolation percentile (NumPy's default, "type 7" of Hyndman & Fan 1996) of sorted
/// samples, p in [0, 100]. Throws std::invalid_argument when empty or p is out of range.
double percentile_sorted(const std::vector<double>& sorted, double p);

/// One execution's samples for the bootstrap: sorted values (all the samples, or evenly spaced
/// quantiles of them) and how many samples the execution took.
struct execution_distribution {
  std::vector<double> sorted;
  std::size_t n = 0;
};

/// Hierarchical percentile-bootstrap confidence interval of central(numerator) /
/// central(denominator), where each side is a list of executions and central() is the median
/// over executions of each execution's median. Each resample draws the executions with
/// replacement (Davison & Hinkley, Bootstrap Methods and their Application, 1997, §3.8,
/// two-stage resampling), then each drawn execution's bootstrap median directly: the median of
/// n values resampled from an empirical distribution is its quantile at p, where p is the median
/// of n uniforms, Beta((n+1)/2, (n+1)/2) distributed (David & Nagaraja, Order Statistics, 3rd
/// ed., §2.1), evaluated by linear interpolation in `sorted`. So an execution kept as 101
/// quantiles of 10 000 samples resamples as 10 000 samples would, at O(1) cost. The interval
/// reflects execution-to-execution variance, which pooled-sample tests ignore; with one
/// execution on a side it reflects only that side's within-run noise. std::mt19937_64 seeded
/// with `seed` (deterministic). Throws std::invalid_argument when a side or an execution is
/// empty, a central value is 0, resamples < 1, or confidence is outside (0, 1).
struct ratio_interval {
  double estimate = 0.0;  ///< central(numerator) / central(denominator)
  double low = 0.0, high = 0.0;
};
ratio_interval hierarchical_bootstrap_ratio(const std::vector<execution_distribution>& numerator,
                                            const std::vector<execution_distribution>& denominator,
                                            std::uint64_t seed, int resamples = 2000,
                                            double confidence = 0.95);

/// `count` ≥ 2 evenly spaced percentiles (0th, …, 100th; percentile_sorted) of `samples`, or all
/// of them sorted when there are no more than `count`. Keeps a sample distribution's shape in a
/// bounded size (baseline files, the gate's bootstrap).
std::vector<double> spaced_percentiles(std::vector<double> samples, std::size_t count);

/// Median of unsorted values (copied). Throws std::invalid_argument when empty.
double median_of(std::vector<double> values);

}  // namespace wslcuda
