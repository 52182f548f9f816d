// The gate's statistics on seeded synthetic samples (deterministic, not timing tests):
//  - 1000 A/A comparisons (same distribution, 1 % noise, 20 samples each): < 1 % fail;
//  - a 10 % slowdown at the same noise and count: ≥ 95 % fail;
//  - a 2 % slowdown with a 3 % minimum effect: never fails.

#include <gtest/gtest.h>

#include <random>

#include "baseline/compare.hpp"
#include "measure/statistics.hpp"

namespace wslcuda {
namespace {

/// n seconds around `median` with relative normal noise (std::normal_distribution is
/// implementation-defined, but any normal generator serves these rate bounds).
std::vector<double> samples(std::mt19937_64& rng, double median, double noise, int n = 20) {
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(median * (1.0 + noise * z(rng)));
  return out;
}

comparable_entry entry(std::vector<double> s) {
  comparable_entry e;
  e.id = "gemm.own.f32.m1024n1024k1024";
  e.family = "gemm";  // a compute family: minimum ratio 0.97
  e.samples_s = std::move(s);
  e.median_s = median_of(e.samples_s);
  return e;
}

int fails_in(int trials, double slowdown, const gate_policy& policy, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  int fails = 0;
  for (int t = 0; t < trials; ++t) {
    const comparable_entry base = entry(samples(rng, 1e-3, 0.01));
    const comparable_entry cand = entry(samples(rng, 1e-3 * slowdown, 0.01));
    fails +=
        compare_entry(base, cand, policy, static_cast<std::uint64_t>(t)).verdict == status::fail
            ? 1
            : 0;
  }
  return fails;
}

}  // namespace

TEST(Gate, AaComparisonsRarelyFail) {
  EXPECT_LT(fails_in(1000, 1.0, default_policy(), 1), 10);  // < 1 %
}

TEST(Gate, TenPercentSlowdownFails) {
  EXPECT_GE(fails_in(1000, 1.10, default_policy(), 2), 950);  // ≥ 95 %
}

TEST(Gate, TwoPercentSlowdownUnderAThreePercentMinimumNeverFails) {
  gate_policy p = default_policy();
  p.default_min_ratio = 0.97;
  EXPECT_EQ(fails_in(1000, 1.02, p, 3), 0);
}

TEST(Gate, VerdictRules) {
  std::mt19937_64 rng(7);
  const comparable_entry base = entry(samples(rng, 1e-3, 0.01));
  // Significant but inside the minimum effect: warn.
  const entry_comparison small =
      compare_entry(base, entry(samples(rng, 1.015e-3, 0.01)), default_policy(), 1);
  EXPECT_EQ(small.verdict, status::warn) << small.message;
  // Faster: pass, ratio above 1.
  const entry_comparison faster =
      compare_entry(base, entry(samples(rng, 0.9e-3, 0.01)), default_policy(), 1);
  EXPECT_EQ(faster.verdict, status::pass);
  EXPECT_GT(faster.ratio, 1.0);
  // Too few samples: no test, the point estimate decides between pass and warn.
  const entry_comparison few =
      compare_entry(base, entry({1.2e-3, 1.2e-3, 1.2e-3}), default_policy(), 1);
  EXPECT_EQ(few.verdict, status::warn);
  EXPECT_NE(few.message.find("too few samples"), std::string::npos);
  // Latency family: 0.90 minimum, so 5 % slower is not a fail.
  comparable_entry lat_base = base, lat_cand = entry(samples(rng, 1.05e-3, 0.01));
  lat_base.family = lat_cand.family = "latency";
  lat_base.id = lat_cand.id = "latency.launch";
  const entry_comparison lat = compare_entry(lat_base, lat_cand, default_policy(), 1);
  EXPECT_EQ(lat.min_ratio, 0.90);
  EXPECT_EQ(lat.verdict, status::warn);
}

TEST(Statistics, MannWhitneyKnownValues) {
  // scipy.stats.mannwhitneyu([1..5], [6..10], method="asymptotic"): U = 0, p = 0.01219.
  const mann_whitney_result r = mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(r.u, 0.0);
  EXPECT_NEAR(r.p_value, 0.01219, 5e-5);
  const mann_whitney_result swapped = mann_whitney_u({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(swapped.u, 25.0);
  EXPECT_NEAR(swapped.p_value, r.p_value, 1e-12);
  const mann_whitney_result tied = mann_whitney_u({3, 3, 3}, {3, 3, 3, 3});
  EXPECT_DOUBLE_EQ(tied.p_value, 1.0);
  // Ties across samples count ½: U = #(a_i > b_j) + ½ #(a_i = b_j) = 2.5 here.
  EXPECT_DOUBLE_EQ(mann_whitney_u({1, 2, 2, 3}, {2, 3, 4}).u, 2.5);
  EXPECT_THROW(mann_whitney_u({}, {1.0}), std::invalid_argument);
}

TEST(Statistics, BootstrapRatioIsDeterministicAndCoversTheEstimate) {
  const std::vector<double> a = {1.0, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98, 1.01, 0.99, 1.0};
  const std::vector<double> b = {2.0, 2.2, 1.8, 2.1, 1.9, 2.04, 1.96, 2.02, 1.98, 2.0};
  const ratio_interval r1 = bootstrap_ratio_of_medians(a, b, 42);
  const ratio_interval r2 = bootstrap_ratio_of_medians(a, b, 42);
  EXPECT_DOUBLE_EQ(r1.low, r2.low);
  EXPECT_DOUBLE_EQ(r1.high, r2.high);
  EXPECT_DOUBLE_EQ(r1.estimate, 0.5);
  EXPECT_LE(r1.low, 0.5);
  EXPECT_GE(r1.high, 0.5);
  EXPECT_LT(r1.high - r1.low, 0.1);
  EXPECT_THROW(bootstrap_ratio_of_medians({}, b, 1), std::invalid_argument);
  EXPECT_THROW(bootstrap_ratio_of_medians(a, {0.0, 0.0}, 1), std::invalid_argument);
}

}  // namespace wslcuda
