#include "verify/tolerance.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace wslcuda {

TEST(Tolerance, UnitRoundoffs) {
  EXPECT_EQ(unit_roundoff(number_format::f64), std::ldexp(1.0, -53));
  EXPECT_EQ(unit_roundoff(number_format::f32), std::ldexp(1.0, -24));
  EXPECT_EQ(unit_roundoff(number_format::tf32), std::ldexp(1.0, -11));
  EXPECT_EQ(unit_roundoff(number_format::f16), std::ldexp(1.0, -11));
  EXPECT_EQ(unit_roundoff(number_format::bf16), std::ldexp(1.0, -8));
}

TEST(Tolerance, GammaMatchesHigham) {
  const double u = std::ldexp(1.0, -24);
  EXPECT_DOUBLE_EQ(gamma_n(1024, u), 1024 * u / (1 - 1024 * u));
  EXPECT_DOUBLE_EQ(gamma_n(0, u), 0.0);
  EXPECT_TRUE(std::isinf(gamma_n(std::int64_t{1} << 24, u)));  // n·u = 1: no bound
}

TEST(Tolerance, DotProductBoundGrowsWithLengthAndNamesItsSource) {
  const error_bound k1024 = dot_product_bound(1024, number_format::f32);
  const error_bound k4096 = dot_product_bound(4096, number_format::f32);
  EXPECT_GT(k4096.value, k1024.value);
  EXPECT_DOUBLE_EQ(k1024.value,
                   gamma_n(1024, std::ldexp(1.0, -24)) + gamma_n(1024, std::ldexp(1.0, -53)));
  EXPECT_NE(k1024.method.find("Higham"), std::string::npos);
  EXPECT_NE(k1024.method.find("k=1024"), std::string::npos);
}

TEST(Tolerance, SummationBoundUsesTreeHeightNotLength) {
  const std::int64_t n = std::int64_t{1} << 24;
  const error_bound b = summation_bound(85, n, number_format::f32);
  EXPECT_DOUBLE_EQ(b.value,
                   gamma_n(85, std::ldexp(1.0, -24)) + gamma_n(n - 1, std::ldexp(1.0, -53)));
  EXPECT_GT(gamma_n(n - 1, std::ldexp(1.0, -24)), 1.0);  // recursive summation: a useless bound
  EXPECT_NE(b.method.find("h=85"), std::string::npos);
}

}  // namespace wslcuda
