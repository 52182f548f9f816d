#include "verify/random_fill.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "reduction/reduction_inputs.hpp"

namespace wslcuda {

TEST(RandomFill, SeededNonZeroAndOnTheGrid) {
  const std::vector<float> a = uniform_nonzero(100000, 42);
  const std::vector<float> b = uniform_nonzero(100000, 42);
  const std::vector<float> c = uniform_nonzero(100000, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (float v : a) {
    ASSERT_NE(v, 0.0f);
    ASSERT_GE(v, -1.0f);
    ASSERT_LT(v, 1.0f);
    const double scaled = static_cast<double>(v) * 8388608.0;  // 2^23
    ASSERT_EQ(scaled, std::floor(scaled));
  }
}

TEST(RandomFill, FirstValuesArePinned) {
  // mt19937_64's sequence is fixed by the C++ standard, so these hold on every platform; a
  // change here changes every report's inputs and must be deliberate.
  const std::vector<float> v = uniform_nonzero(3, 1);
  std::mt19937_64 rng(1);
  for (float x : v) {
    const auto j = static_cast<std::int64_t>(rng() >> 40) - (std::int64_t{1} << 23);
    EXPECT_EQ(x, static_cast<float>(static_cast<double>(j) / 8388608.0));
  }
}

TEST(RandomFill, DerivedSeedsDiffer) {
  EXPECT_NE(derive_seed(1, 0), derive_seed(1, 1));
  EXPECT_NE(derive_seed(1, 0), derive_seed(2, 0));
  EXPECT_EQ(derive_seed(7, 3), derive_seed(7, 3));
}

}  // namespace wslcuda

namespace wslcuda {

// The reductions' inputs (kernels/reduction/reduction_inputs.hpp), evaluated here as the host
// reference evaluates them; the device evaluates the same inline function.
TEST(RandomFill, ReductionInputsAreSeededNonZeroAndOnTheGrid) {
  int negative = 0;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    const float v = kernels::reduction_input(7, i);
    ASSERT_NE(v, 0.0f) << i;
    ASSERT_GE(v, -1.0f);
    ASSERT_LT(v, 1.0f);
    ASSERT_EQ(std::ldexp(v, 23), std::round(std::ldexp(v, 23))) << i;  // a multiple of 2^-23
    negative += v < 0.0f;
  }
  EXPECT_NEAR(negative, 50000, 1000);  // symmetric
  EXPECT_EQ(kernels::reduction_input(7, 12345), kernels::reduction_input(7, 12345));
  EXPECT_NE(kernels::reduction_input(7, 12345), kernels::reduction_input(8, 12345));
}

}  // namespace wslcuda
