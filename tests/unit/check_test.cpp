#include "verify/check.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace wslcuda {

TEST(Check, WithinBoundPasses) {
  const check_result r =
      check_elements({{0, 1.0 + 1e-7, 1.0, 1.0}, {1, 2.0, 2.0, 3.0}}, 0, 1e-6, "m", "x");
  EXPECT_EQ(r.status, status::pass);
  EXPECT_EQ(r.compared, 2);
  EXPECT_EQ(r.out_of_bound, 0);
  EXPECT_NEAR(r.value, 1e-7, 1e-12);
  EXPECT_EQ(r.metric, "m");
}

TEST(Check, OutOfBoundFailsAndListsTheFirstMismatch) {
  const check_result r =
      check_elements({{0, 1.0, 1.0, 1.0}, {5, 1.1, 1.0, 1.0}}, 0, 1e-6, "m", "x");
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.out_of_bound, 1);
  ASSERT_EQ(r.first_mismatches.size(), 1u);
  EXPECT_EQ(r.first_mismatches[0].index, 5);
  EXPECT_NE(r.message.find("index 5"), std::string::npos);
}

TEST(Check, NanNeverPasses) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const check_result r = check_elements({{0, nan, 1.0, 1.0}}, 0, 1e30, "m", "x");
  EXPECT_EQ(r.status, status::fail);
  EXPECT_TRUE(std::isinf(r.value));
  const check_result inf = check_elements({{0, INFINITY, INFINITY, 1.0}}, 0, 1e30, "m", "x");
  EXPECT_EQ(inf.status, status::fail);
}

TEST(Check, PoisonOutsideTheComparedSampleStillFails) {
  const check_result r = check_elements({{0, 1.0, 1.0, 1.0}}, 3, 1e-6, "m", "x");
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.non_finite, 3);
  EXPECT_NE(r.message.find("3 NaN/inf"), std::string::npos);
}

TEST(Check, ZeroScaleDemandsEquality) {
  EXPECT_EQ(check_elements({{0, 0.0, 0.0, 0.0}}, 0, 1e-6, "m", "x").status, status::pass);
  EXPECT_EQ(check_elements({{0, 1e-30, 0.0, 0.0}}, 0, 1e-6, "m", "x").status, status::fail);
}

TEST(Check, NothingComparedIsAnError) {
  EXPECT_EQ(check_elements({}, 0, 1e-6, "m", "x").status, status::error);
}

TEST(Check, ArraysAgreeWithElements) {
  const float got[] = {1.0f, 2.0f, 3.5f};
  const double expected[] = {1.0, 2.0, 3.0};
  const double scale[] = {1.0, 1.0, 1.0};
  const check_result r = check_arrays(got, expected, scale, 3, 0, 0.1, "m", "x");
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.compared, 3);
  ASSERT_EQ(r.first_mismatches.size(), 1u);
  EXPECT_EQ(r.first_mismatches[0].index, 2);
  EXPECT_DOUBLE_EQ(r.value, 0.5);
}

TEST(Check, CountNonFinite) {
  const float v[] = {1.0f, std::numeric_limits<float>::quiet_NaN(), INFINITY, -INFINITY, 0.0f};
  EXPECT_EQ(count_non_finite(v, 5), 3);
}

}  // namespace wslcuda
