#include "measure/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace wslcuda {

// Ranks from the binomial table of Conover (1999), Table A3 / the usual sign-test interval.
TEST(MedianCi, KnownRanks) {
  const median_ci_ranks n10 = median_confidence_ranks(10);
  EXPECT_EQ(n10.lower, 2u);
  EXPECT_EQ(n10.upper, 9u);
  EXPECT_NEAR(n10.coverage, 1.0 - 2.0 * 11.0 / 1024.0, 1e-12);

  const median_ci_ranks n100 = median_confidence_ranks(100);
  EXPECT_EQ(n100.lower, 40u);
  EXPECT_EQ(n100.upper, 61u);
  EXPECT_GE(n100.coverage, 0.95);
}

TEST(MedianCi, TooFewSamplesSpanEverything) {
  const median_ci_ranks n5 = median_confidence_ranks(5);
  EXPECT_EQ(n5.lower, 1u);
  EXPECT_EQ(n5.upper, 5u);
  EXPECT_NEAR(n5.coverage, 1.0 - 2.0 / 32.0, 1e-12);
  EXPECT_LT(n5.coverage, 0.95);
  EXPECT_THROW(median_confidence_ranks(0), std::invalid_argument);
  EXPECT_THROW(median_confidence_ranks(10, 1.0), std::invalid_argument);
}

TEST(Summarize, ExactSmallCase) {
  const sample_summary s = summarize({4.0, 1.0, 3.0, 2.0});
  EXPECT_EQ(s.n, 4u);
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 4.0);
  EXPECT_NEAR(s.stdev, std::sqrt(5.0 / 3.0), 1e-15);
  EXPECT_NEAR(s.stdev_rel, std::sqrt(5.0 / 3.0) / 2.5, 1e-15);
  EXPECT_DOUBLE_EQ(s.ci95_lo, 1.0);
  EXPECT_DOUBLE_EQ(s.ci95_hi, 4.0);
}

TEST(Summarize, CiUsesOrderStatistics) {
  std::vector<double> v;
  for (int i = 10; i >= 1; --i) v.push_back(i);  // unsorted input
  const sample_summary s = summarize(v);
  EXPECT_DOUBLE_EQ(s.ci95_lo, 2.0);
  EXPECT_DOUBLE_EQ(s.ci95_hi, 9.0);
  EXPECT_DOUBLE_EQ(s.median, 5.5);
}

TEST(Summarize, SingleSampleAndEmpty) {
  const sample_summary s = summarize({7.0});
  EXPECT_DOUBLE_EQ(s.median, 7.0);
  EXPECT_DOUBLE_EQ(s.stdev, 0.0);
  EXPECT_THROW(summarize({}), std::invalid_argument);
}

TEST(Percentile, LinearInterpolationLikeNumpy) {
  const std::vector<double> v = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(percentile_sorted(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(percentile_sorted(v, 100), 5.0);
  EXPECT_DOUBLE_EQ(percentile_sorted(v, 90), 4.6);  // numpy.percentile([1..5], 90) == 4.6
  EXPECT_THROW(percentile_sorted(v, 101), std::invalid_argument);
  EXPECT_THROW(percentile_sorted({}, 50), std::invalid_argument);
}

}  // namespace wslcuda
