// The Otava port against Otava's own tests: the golden change points of
// tests/tigerbeetle_test.py, tests/analysis_test.py and tests/change_point_divisive_test.py
// (apache/otava 0.8.0, commit 1ceb153), and the minimum-segment tests of apache/otava PR 150
// (commit 52f091f). The numbers below are Otava's expectations, copied from those files.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "history/change_points.hpp"

namespace wslcuda::history {
namespace {

/// Otava's compute_change_points(series, window_len, max_pvalue, min_magnitude[,
/// min_segment_len]) as detector_params.
detector_params otava(std::size_t window, double max_p, double min_magnitude,
                      std::size_t min_segment = 1) {
  detector_params p;
  p.window = window;
  p.max_p = max_p;
  p.first_pass_p = otava_first_pass_p(max_p);
  p.min_magnitude = min_magnitude;
  p.min_segment = min_segment;
  p.min_last_segment = min_segment;
  p.short_segment_joins_nearer_side = false;
  return p;
}

std::vector<std::size_t> indexes(const std::vector<change_point>& points) {
  std::vector<std::size_t> out;
  for (const change_point& p : points) out.push_back(p.index);
  return out;
}

nlohmann::json tigerbeetle() {
  std::ifstream in(std::string(WSLCUDA_FIXTURES_DIR) + "/change_points/tigerbeetle.json");
  return nlohmann::json::parse(in);
}

TEST(ChangePoints, FirstPassPValueFollowsOtava) {
  EXPECT_DOUBLE_EQ(otava_first_pass_p(0.001), 0.01);
  EXPECT_DOUBLE_EQ(otava_first_pass_p(0.1), 0.2);
  EXPECT_DOUBLE_EQ(otava_first_pass_p(0.6), 0.6);
  EXPECT_DOUBLE_EQ(detector_params{}.first_pass_p, otava_first_pass_p(detector_params{}.max_p));
  EXPECT_DOUBLE_EQ(min_magnitude_for(0.003), 0.01);
  EXPECT_DOUBLE_EQ(min_magnitude_for(0.027), 0.027);
}

// tests/tigerbeetle_test.py: nine parameter sets, window 30, from [15, 71] at p 0.01 and
// magnitude 5 % to 70 change points at p 0.2 and magnitude 0.
TEST(ChangePoints, TigerbeetleGoldenOfOtava) {
  const nlohmann::json doc = tigerbeetle();
  const std::vector<double> series = doc.at("series").get<std::vector<double>>();
  ASSERT_EQ(series.size(), 365u);
  ASSERT_EQ(doc.at("cases").size(), 9u);
  for (const nlohmann::json& c : doc.at("cases")) {
    const detection d = detect_change_points(
        series, otava(c.at("window").get<std::size_t>(), c.at("max_p"), c.at("min_magnitude")));
    EXPECT_EQ(indexes(d.change_points), c.at("expected").get<std::vector<std::size_t>>())
        << c.at("name");
  }
}

TEST(ChangePoints, TigerbeetleStatisticsOfTheFirstStep) {
  const std::vector<double> series = tigerbeetle().at("series").get<std::vector<double>>();
  const detection d = detect_change_points(series, otava(30, 0.01, 0.05));
  ASSERT_EQ(d.change_points.size(), 2u);
  const change_point& first = d.change_points[0];  // 26 800 → 23 700: about −11.6 %
  EXPECT_LT(first.stats.p_value, 0.01);
  EXPECT_NEAR(first.stats.forward_change(), first.stats.mean_after / first.stats.mean_before - 1,
              1e-15);
  EXPECT_LT(first.stats.forward_change(), -0.05);
  EXPECT_DOUBLE_EQ(first.stats.magnitude(), std::fabs(first.stats.backward_change()));
  EXPECT_GT(d.weak.size(), d.change_points.size());
}

// tests/analysis_test.py, test_single_series.
TEST(ChangePoints, SingleSeriesOfOtava) {
  const std::vector<double> series = {1.02, 0.95, 0.99, 1.00, 1.12, 1.00, 1.01, 0.98, 1.01, 0.96,
                                      0.50, 0.51, 0.48, 0.48, 0.55, 0.50, 0.49, 0.51, 0.50, 0.49};
  EXPECT_EQ(indexes(detect_change_points(series, otava(10, 0.0001, 0.0)).change_points),
            std::vector<std::size_t>{10});
}

// tests/analysis_test.py, test_significance_tester.
TEST(ChangePoints, SignificanceTesterOfOtava) {
  const std::vector<double> flat = {1.00, 1.02, 1.05, 0.95, 0.98, 1.00, 1.02, 1.05, 0.95, 0.98};
  const segment_stats same = compare_segments(flat, 0, 5, 5, 10);
  EXPECT_GT(same.p_value, 0.99);
  EXPECT_LT(same.p_value, 1.01);
  const std::vector<double> drop = {1.00, 1.02, 1.05, 0.95, 0.98, 0.80, 0.82, 0.85, 0.79, 0.77};
  const segment_stats moved = compare_segments(drop, 0, 5, 5, 10);
  EXPECT_GT(moved.p_value, 0.0);
  EXPECT_LT(moved.p_value, 0.001);
  // Two points in all: no test (p = 1); constant sides: p 0 when the means differ, NaN when not.
  EXPECT_EQ(compare_segments({1.0, 2.0}, 0, 1, 1, 2).p_value, 1.0);
  EXPECT_EQ(compare_segments({1, 1, 2, 2}, 0, 2, 2, 4).p_value, 0.0);
  EXPECT_TRUE(std::isnan(compare_segments({1, 1, 1, 1}, 0, 2, 2, 4).p_value));
  EXPECT_THROW(compare_segments(flat, 0, 0, 5, 10), std::invalid_argument);
}

// tests/change_point_divisive_test.py, test_ttest: the e-divisive detector with the t-test at
// 0.01 over the whole sequence (one window) finds [5, 8].
TEST(ChangePoints, DivisiveSequenceOfOtava) {
  const std::vector<double> sequence = {0.3,  2.4,   1.5,   -0.9,  -0.5,  99.7,  98.3,
                                        99.1, 149.0, 149.7, 149.5, 149.1, 148.8, 150.0};
  detector_params p = otava(sequence.size(), 0.001, 0.0);
  p.first_pass_p = 0.01;
  EXPECT_EQ(indexes(detect_change_points(sequence, p).weak), (std::vector<std::size_t>{5, 8}));
}

// apache/otava PR 150, tests/analysis_test.py: window 5, p 0.001, magnitude 1 %, segments ≥ 3.
TEST(ChangePoints, MinimumSegmentCasesOfOtavaPr150) {
  struct example {
    std::vector<double> series;
    std::vector<std::size_t> expected;
  };
  const example examples[] = {
      {{100, 100, 100, 100, 300, 100, 100, 100, 100}, {}},   // single spike removed
      {{100, 100, 100, 100, 110, 110, 110, 110, 110}, {4}},  // clean step kept
      {{100, 100, 100, 100, 300, 110, 110, 110, 110}, {5}},  // spike then shift
      {{100, 100, 100, 100, 300, 100, 100, 110, 110}, {}},   // later step too short
      {{100, 100, 100, 100, 300, 300, 100, 100, 100}, {}},   // two-point regime
      {{100, 100, 100, 100, 130, 130, 130, 130, 150, 150, 150, 150}, {4, 8}},
      {{100, 100, 100, 100, 130, 130, 150, 150, 150, 150}, {6}},
  };
  for (const example& e : examples) {
    EXPECT_EQ(indexes(detect_change_points(e.series, otava(5, 0.001, 0.01, 3)).change_points),
              e.expected)
        << ::testing::PrintToString(e.series);
  }
  // Without the minimum segment (Otava 0.8.0) the spike is two change points.
  EXPECT_EQ(indexes(detect_change_points({100, 100, 100, 100, 300, 100, 100, 100, 100},
                                         otava(5, 0.001, 0.01))
                        .change_points),
            (std::vector<std::size_t>{4, 5}));
}

TEST(ChangePoints, ShortSegmentAtTheNewLevelJoinsIt) {
  // A 10 % step at index 5; the first pass also splits the new level at 7. PR 150 collapses the
  // two-point segment [5, 7) into one change point at the start of the segment after it (7,
  // two runs late); wslcuda puts it at 5, where the new level starts.
  const std::vector<double> series = {100.00, 100.37, 100.56, 100.17, 99.92,  111.90,
                                      112.24, 110.78, 110.08, 110.23, 111.26, 110.46};
  detector_params pr150 = otava(50, 0.001, 0.01, 3);
  pr150.short_segment_joins_nearer_side = false;
  const detection d = detect_change_points(series, pr150);
  EXPECT_EQ(indexes(d.weak), (std::vector<std::size_t>{5, 7}));
  EXPECT_EQ(indexes(d.change_points), std::vector<std::size_t>{7});
  detector_params ours = pr150;
  ours.short_segment_joins_nearer_side = true;
  EXPECT_EQ(indexes(detect_change_points(series, ours).change_points), std::vector<std::size_t>{5});
  // A throttled run before a step stays PR 150's case: the change is after it.
  EXPECT_EQ(indexes(detect_change_points({100, 100, 100, 100, 300, 110, 110, 110, 110},
                                         [] {
                                           detector_params p = otava(5, 0.001, 0.01, 3);
                                           p.short_segment_joins_nearer_side = true;
                                           return p;
                                         }())
                        .change_points),
            std::vector<std::size_t>{5});
}

TEST(ChangePoints, ShortLastSegmentIsKeptWhenAllowed) {
  // A step in the last two points: PR 150 drops it; min_last_segment = 1 keeps it.
  const std::vector<double> series = {100, 101, 99, 100, 101, 99, 100, 100, 120, 121};
  detector_params strict = otava(50, 0.001, 0.01, 3);
  EXPECT_TRUE(detect_change_points(series, strict).change_points.empty());
  detector_params ours = strict;
  ours.min_last_segment = 1;
  EXPECT_EQ(indexes(detect_change_points(series, ours).change_points), std::vector<std::size_t>{8});
}

TEST(ChangePoints, DegenerateSeries) {
  EXPECT_TRUE(detect_change_points({}).change_points.empty());
  EXPECT_TRUE(detect_change_points({1.0}).change_points.empty());
  EXPECT_TRUE(detect_change_points(std::vector<double>(40, 2.5)).change_points.empty());
  EXPECT_THROW(detect_change_points({1.0, std::nan("")}), std::invalid_argument);
  detector_params bad;
  bad.window = 1;
  EXPECT_THROW(detect_change_points({1.0, 2.0}, bad), std::invalid_argument);
  bad = {};
  bad.min_last_segment = 4;
  EXPECT_THROW(detect_change_points({1.0, 2.0}, bad), std::invalid_argument);
  bad = {};
  bad.max_p = 0;
  EXPECT_THROW(detect_change_points({1.0, 2.0}, bad), std::invalid_argument);
}

TEST(ChangePoints, Deterministic) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 0.01);
  std::vector<double> series;
  for (int i = 0; i < 200; ++i) series.push_back((i < 120 ? 1.0 : 1.1) * (1 + noise(rng)));
  const detection a = detect_change_points(series);
  const detection b = detect_change_points(series);
  ASSERT_EQ(indexes(a.change_points), indexes(b.change_points));
  ASSERT_EQ(indexes(a.change_points), std::vector<std::size_t>{120});
  EXPECT_EQ(a.change_points[0].stats.p_value, b.change_points[0].stats.p_value);
}

}  // namespace
}  // namespace wslcuda::history
