// Detection quality on seeded series shaped like ours (tests/history/synthetic_series.hpp),
// against issue 24's targets: at most 0.15 false alarms per series on series without a change
// at n ≤ 100, and F1 at least 0.6 for steps of 5 % and 10 % at n ≥ 30, for both noise levels.
// The full table is ci/eval_change_points.sh's (docs/change-points.md); this is a smaller run on
// a fixed seed.

#include <gtest/gtest.h>

#include "synthetic_series.hpp"

namespace wslcuda::history {
namespace {

constexpr std::size_t kSeries = 300;

TEST(ChangePointQuality, FewFalseAlarmsWithoutAChange) {
  std::uint64_t seed = 100000;
  for (double noise : {0.005, 0.02}) {
    for (std::size_t n : {10, 20, 30, 50, 100}) {
      synthetic::series_spec spec;
      spec.n = n;
      spec.noise = noise;
      const synthetic::quality q =
          synthetic::evaluate(spec, synthetic::params_for_noise(noise), kSeries, seed);
      seed += kSeries;
      EXPECT_EQ(q.true_changes, 0u);
      EXPECT_LE(q.false_alarms_per_series(), 0.15) << "n " << n << ", noise " << noise;
    }
  }
}

TEST(ChangePointQuality, StepsOfFiveAndTenPercentAreFound) {
  std::uint64_t seed = 200000;
  for (double noise : {0.005, 0.02}) {
    for (std::size_t n : {30, 50, 100, 200}) {
      for (double step : {0.05, 0.10}) {
        synthetic::series_spec spec;
        spec.n = n;
        spec.noise = noise;
        spec.step = step;
        const synthetic::quality q =
            synthetic::evaluate(spec, synthetic::params_for_noise(noise), kSeries / 2, seed);
        seed += kSeries;
        EXPECT_GE(q.true_changes, kSeries / 2);
        EXPECT_GE(q.f1(), 0.6) << "n " << n << ", noise " << noise << ", step " << step
                               << ": precision " << q.precision() << ", recall " << q.recall();
      }
    }
  }
}

TEST(ChangePointQuality, MinimumSegmentKeepsThrottledRunsFromBeingChanges) {
  // Otava 0.8.0 has no minimum segment: on 200-point series a throttled run or two next to a
  // driver boundary become changes. On these 400 series at 0.5 % noise: 0.135 false alarms per
  // series without it, 0.02 with wslcuda's 3 (HISTORY.md's bake-off, without the driver rules:
  // 0.73-0.80 against 0.08-0.13).
  synthetic::series_spec spec;
  spec.n = 200;
  spec.noise = 0.005;
  detector_params otava = synthetic::params_for_noise(spec.noise);
  otava.min_segment = 1;
  otava.min_last_segment = 1;
  const synthetic::quality without = synthetic::evaluate(spec, otava, 400, 300000);
  const synthetic::quality with =
      synthetic::evaluate(spec, synthetic::params_for_noise(spec.noise), 400, 300000);
  EXPECT_GE(without.false_alarms_per_series(), 0.10);
  EXPECT_LE(with.false_alarms_per_series(), 0.05);
  EXPECT_GE(without.false_alarms_per_series(), 3 * with.false_alarms_per_series());
}

TEST(ChangePointQuality, GeneratorIsSeededAndShapedAsSpecified) {
  synthetic::series_spec spec;
  spec.n = 120;
  spec.step = 0.10;
  const synthetic::labelled_series a = synthetic::generate(spec, 42);
  const synthetic::labelled_series b = synthetic::generate(spec, 42);
  ASSERT_EQ(a.points.size(), 120u);
  for (std::size_t i = 0; i < a.points.size(); ++i) EXPECT_EQ(a.points[i].value, b.points[i].value);
  ASSERT_EQ(a.changes.size(), 2u);  // clamp(120 / 50, 1, 3)
  EXPECT_GE(a.changes[0], spec.min_segment);
  EXPECT_GE(a.changes[1] - a.changes[0], spec.min_segment);
  EXPECT_LE(a.changes[1], spec.n - spec.min_segment);
  for (std::size_t c : a.changes)  // every step is at a driver boundary
    EXPECT_NE(a.points[c - 1].driver, a.points[c].driver);
  std::vector<run_point> sorted = a.points;
  order_points(sorted);
  for (std::size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i].run, a.points[i].run);
  EXPECT_NE(synthetic::generate(spec, 43).points[0].value, a.points[0].value);
}

}  // namespace
}  // namespace wslcuda::history
