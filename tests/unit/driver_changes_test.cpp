// wslcuda's rules on top of the Otava detector: order by driver then time, at least 5 points,
// changes only at driver boundaries (moved there or reported as instability), tentative with
// fewer than 3 points after, direction from the metric's sense, medians across machines.

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "history/driver_changes.hpp"

namespace wslcuda::history {
namespace {

/// Runs of consecutive drivers: counts[d] runs of driver "590.<d>", each with value
/// level(i) · (1 + 0.3 % noise), seeded.
std::vector<run_point> series(const std::vector<std::size_t>& counts, double (*level)(std::size_t),
                              std::uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.003);
  std::vector<run_point> out;
  std::size_t i = 0;
  for (std::size_t d = 0; d < counts.size(); ++d) {
    for (std::size_t r = 0; r < counts[d]; ++r, ++i) {
      run_point p;
      p.driver = "590." + std::to_string(10 + d);
      char time[64];
      std::snprintf(time, sizeof time, "2026-12-%02zuT%02zu:00:00Z", 1 + i / 24, i % 24);
      p.time = time;
      p.value = level(i) * (1 + noise(rng));
      p.run = "run-" + std::to_string(i);
      out.push_back(p);
    }
  }
  return out;
}

TEST(DriverChanges, DriverVersionsCompareAsNumbers) {
  EXPECT_LT(compare_driver_versions("580.159.04", "580.159.10"), 0);
  EXPECT_LT(compare_driver_versions("580.159.10", "590.44.01"), 0);
  EXPECT_LT(compare_driver_versions("552.22", "566.03"), 0);
  EXPECT_LT(compare_driver_versions("99.1", "100.0"), 0);
  EXPECT_LT(compare_driver_versions("31.0.15.5222", "32.0.15.6094"), 0);
  EXPECT_LT(compare_driver_versions("580.65", "580.65.06"), 0);
  EXPECT_EQ(compare_driver_versions("580.159.04", "580.159.4"), 0);
  EXPECT_GT(compare_driver_versions("580.159.04", "580.95.05"), 0);
  EXPECT_EQ(compare_driver_versions("", ""), 0);
}

TEST(DriverChanges, PointsOrderByDriverThenTime) {
  std::vector<run_point> p = {{"580.95.05", "2026-12-03T00:00:00Z", 3, "c"},
                              {"580.159.04", "2026-12-02T00:00:00Z", 2, "b"},
                              {"580.95.05", "2026-12-01T00:00:00Z", 1, "a"},
                              {"580.159.04", "2026-12-01T00:00:00Z", 4, "d"}};
  order_points(p);
  EXPECT_EQ(p[0].run, "a");  // 580.95 first, then its earlier run
  EXPECT_EQ(p[1].run, "c");
  EXPECT_EQ(p[2].run, "d");
  EXPECT_EQ(p[3].run, "b");
}

TEST(DriverChanges, FewerThanFivePointsAreNotAnalysed) {
  const series_analysis a =
      analyse_series(series({2, 2}, [](std::size_t i) { return i < 2 ? 1.0 : 2.0; }),
                     metric_sense::lower_is_better);
  EXPECT_EQ(a.outcome, series_outcome::too_few_points);
  EXPECT_EQ(a.reason, "4 points: change-point detection needs at least 5");
  EXPECT_TRUE(a.changes.empty());
  EXPECT_EQ(a.points.size(), 4u);
  const series_analysis five = analyse_series(series({3, 2}, [](std::size_t) { return 1.0; }),
                                              metric_sense::lower_is_better);
  EXPECT_EQ(five.outcome, series_outcome::analysed);
  EXPECT_TRUE(five.reason.empty());
}

TEST(DriverChanges, SlowerTimeAtANewDriverIsARegression) {
  const auto slower = [](std::size_t i) { return i < 6 ? 1e-3 : 1.1e-3; };
  const series_analysis a =
      analyse_series(series({3, 3, 4, 2}, slower), metric_sense::lower_is_better);
  ASSERT_EQ(a.outcome, series_outcome::analysed);
  ASSERT_EQ(a.changes.size(), 1u);
  const driver_change& c = a.changes[0];
  EXPECT_EQ(c.index, 6u);
  EXPECT_EQ(c.driver_before, "590.11");
  EXPECT_EQ(c.driver, "590.12");
  EXPECT_EQ(c.direction, change_direction::regression);
  EXPECT_NEAR(c.relative_change, 0.10, 0.01);
  EXPECT_NEAR(c.magnitude, 0.10, 0.01);
  EXPECT_LT(c.stats.p_value, 0.001);
  EXPECT_NEAR(c.stats.mean_before, 1e-3, 1e-5);
  EXPECT_EQ(c.points_before, 6u);
  EXPECT_EQ(c.points_after, 6u);
  EXPECT_FALSE(c.tentative);
  EXPECT_FALSE(c.moved);
  EXPECT_TRUE(a.instabilities.empty());
  // The same numbers as a throughput: higher is better, so it is an improvement.
  const series_analysis t =
      analyse_series(series({3, 3, 4, 2}, slower), metric_sense::higher_is_better);
  ASSERT_EQ(t.changes.size(), 1u);
  EXPECT_EQ(t.changes[0].direction, change_direction::improvement);
  // And a faster time is an improvement.
  const series_analysis f =
      analyse_series(series({3, 3, 4, 2}, [](std::size_t i) { return i < 6 ? 1.1e-3 : 1e-3; }),
                     metric_sense::lower_is_better);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].direction, change_direction::improvement);
}

TEST(DriverChanges, FewerThanThreePointsAfterAreTentative) {
  const series_analysis a =
      analyse_series(series({4, 4, 2}, [](std::size_t i) { return i < 8 ? 1.0 : 1.1; }),
                     metric_sense::lower_is_better);
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].index, 8u);
  EXPECT_EQ(a.changes[0].points_after, 2u);
  EXPECT_TRUE(a.changes[0].tentative);
  // One more run of the newest driver confirms it.
  const series_analysis b =
      analyse_series(series({4, 4, 3}, [](std::size_t i) { return i < 8 ? 1.0 : 1.1; }),
                     metric_sense::lower_is_better);
  ASSERT_EQ(b.changes.size(), 1u);
  EXPECT_FALSE(b.changes[0].tentative);
}

TEST(DriverChanges, SplitOneRunIntoADriverMovesToItsBoundary) {
  // Driver 590.11 runs 6..13; the row moved from its second run on (index 7).
  const series_analysis a =
      analyse_series(series({6, 8}, [](std::size_t i) { return i < 7 ? 1.0 : 1.1; }),
                     metric_sense::lower_is_better);
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].index, 6u);
  EXPECT_TRUE(a.changes[0].moved);
  EXPECT_EQ(a.changes[0].otava_index, 7u);
  EXPECT_EQ(a.changes[0].driver, "590.11");
  EXPECT_TRUE(a.instabilities.empty());
}

TEST(DriverChanges, SplitInsideOneDriverOnlyIsInstability) {
  const series_analysis a = analyse_series(
      series({12}, [](std::size_t i) { return i < 6 ? 1.0 : 1.1; }), metric_sense::lower_is_better);
  EXPECT_TRUE(a.changes.empty());
  ASSERT_EQ(a.instabilities.size(), 1u);
  EXPECT_EQ(a.instabilities[0].driver, "590.10");
  EXPECT_EQ(a.instabilities[0].index, 6u);
  EXPECT_EQ(a.instabilities[0].reason, instability_reason::one_driver);
  EXPECT_LT(a.instabilities[0].stats.p_value, 0.001);
}

TEST(DriverChanges, SplitInTheMiddleOfALongDriverIsInstability) {
  // 590.11 has 20 runs (6..25) and moved after its 10th: both boundaries are 10 runs away, so
  // both are tried, and at either one half of its runs sit on the wrong side: neither passes.
  const series_analysis a =
      analyse_series(series({6, 20, 6}, [](std::size_t i) { return i < 16 ? 1.0 : 1.1; }),
                     metric_sense::lower_is_better);
  ASSERT_EQ(a.instabilities.size(), 1u) << a.changes.size();
  EXPECT_EQ(a.instabilities[0].driver, "590.11");
  EXPECT_EQ(a.instabilities[0].index, 16u);
  EXPECT_EQ(a.instabilities[0].boundary, 6u);  // the first one tried gives the reason
  EXPECT_EQ(a.instabilities[0].reason, instability_reason::not_significant);
  EXPECT_TRUE(a.changes.empty());
}

TEST(DriverChanges, MediansAcrossMachinesPerDriver) {
  std::vector<machine_run> runs = {
      {"m1", {"590.10", "2026-12-02T00:00:00Z", 1.0, "a"}},
      {"m1", {"590.10", "2026-12-03T00:00:00Z", 3.0, "b"}},  // m1's median: 2
      {"m2", {"590.10", "2026-12-01T00:00:00Z", 5.0, "c"}},  // m2's: 5
      {"m3", {"590.10", "2026-12-04T00:00:00Z", 4.0, "d"}},  // m3's: 4 → median 4
      {"m1", {"580.95.05", "2026-11-01T00:00:00Z", 7.0, "e"}},
      {"m2", {"580.95.05", "2026-11-02T00:00:00Z", 9.0, "f"}},  // median of 7, 9: 8
  };
  const std::vector<driver_median> m = median_across_machines(runs);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].point.driver, "580.95.05");
  EXPECT_DOUBLE_EQ(m[0].point.value, 8.0);
  EXPECT_EQ(m[0].machines, 2u);
  EXPECT_EQ(m[0].runs, 2u);
  EXPECT_EQ(m[1].point.driver, "590.10");
  EXPECT_DOUBLE_EQ(m[1].point.value, 4.0);
  EXPECT_EQ(m[1].point.time, "2026-12-01T00:00:00Z");
  EXPECT_EQ(m[1].machines, 3u);
  EXPECT_EQ(m[1].runs, 4u);
  EXPECT_EQ(points_of(m).size(), 2u);
  EXPECT_TRUE(median_across_machines({}).empty());
}

TEST(DriverChanges, NamesAreStable) {
  EXPECT_STREQ(to_string(change_direction::regression), "regression");
  EXPECT_STREQ(to_string(instability_reason::not_significant), "not_significant");
  EXPECT_STREQ(to_string(series_outcome::too_few_points), "too_few_points");
}

}  // namespace
}  // namespace wslcuda::history

namespace wslcuda::history {

TEST(DriverChanges, DetectorParametersComeFromThePolicy) {
  gate_policy policy = default_policy();
  policy.change_points.window = 30;
  policy.change_points.max_p = 0.01;
  policy.change_points.min_segment = 4;
  policy.noise_floors = {{"gemm.*", 0.05, "test"}};
  const detector_params noisy = detector_params_for(policy, "gemm.own.f32.m1024n1024k1024");
  EXPECT_EQ(noisy.window, 30u);
  EXPECT_DOUBLE_EQ(noisy.max_p, 0.01);
  EXPECT_EQ(noisy.min_segment, 4u);
  EXPECT_DOUBLE_EQ(noisy.min_magnitude, 0.05);  // the row's noise floor, above 1 %
  EXPECT_DOUBLE_EQ(detector_params_for(policy, "reduce.own.f32.sum.n1").min_magnitude, 0.01);
}

}  // namespace wslcuda::history
