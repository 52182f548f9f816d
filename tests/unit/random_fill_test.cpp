#include "verify/random_fill.hpp"

#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>

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

TEST(RandomFill, ValuesArePinnedAndIndependentOfTheThreadCount) {
  // Element i is splitmix64 of (seed, i), in integer arithmetic: the same on every platform. A
  // change here changes every report's inputs and must be deliberate.
  const std::vector<float> v = uniform_nonzero(1000, 1);
  for (std::uint64_t i = 0; i < v.size(); ++i) {
    std::uint64_t z = 1 + 0x9e3779b97f4a7c15ULL * (i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    std::int64_t j = static_cast<std::int64_t>(z >> 40) - (std::int64_t{1} << 23);
    if (j == 0) j = 1;
    ASSERT_EQ(v[i], static_cast<float>(static_cast<double>(j) / 8388608.0)) << i;
  }
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const std::vector<float> one = uniform_nonzero(100003, 9);
  omp_set_num_threads(std::max(2, threads));
  const std::vector<float> many = uniform_nonzero(100003, 9);
  omp_set_num_threads(threads);
  EXPECT_EQ(one, many);
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
