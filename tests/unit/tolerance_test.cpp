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

namespace wslcuda {
namespace {

/// fp32 sum of row[0, cols) in the order of reduce_rows.cu: thread t adds columns t, t + 256, …
/// serially, then the 256 partial sums combine pairwise (the shuffle tree).
float kernel_order_sum(const std::vector<float>& terms) {
  std::vector<float> partial(256, 0.0f);
  for (std::size_t j = 0; j < terms.size(); ++j) partial[j % 256] += terms[j];
  for (std::size_t width = 128; width >= 1; width /= 2)
    for (std::size_t t = 0; t < width; ++t) partial[t] += partial[t + width];
  return partial[0];
}

std::vector<float> inputs(int cols, std::uint64_t seed) {
  std::vector<float> x(static_cast<std::size_t>(cols));
  std::uint64_t s = seed;
  for (float& v : x) {  // multiples of 2^-23 in [-1, 1), as uniform_nonzero
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    v = static_cast<float>(static_cast<std::int64_t>(s >> 40) - (1 << 23)) / float(1 << 23);
  }
  return x;
}

/// Worst |ŷ − y| / scale of an fp32 layer normalisation simulated in the kernel's order;
/// `unbiased` divides the variance by n − 1 (a typical bug).
double layernorm_error(const std::vector<float>& x, bool unbiased) {
  const int n = static_cast<int>(x.size());
  const float mean = kernel_order_sum(x) / static_cast<float>(n);
  std::vector<float> sq(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    const float d = x[j] - mean;
    sq[j] = d * d;
  }
  const float var = kernel_order_sum(sq) / static_cast<float>(unbiased ? n - 1 : n);
  const float r = 1.0f / std::sqrt(var + 1e-5f);
  double m = 0, v = 0, mean_abs = 0;
  for (float xi : x) {
    m += xi;
    mean_abs += std::fabs(double(xi));
  }
  m /= n;
  mean_abs /= n;
  for (float xi : x) v += (xi - m) * (xi - m);
  v /= n;
  const double r64 = 1.0 / std::sqrt(v + 1e-5);
  double worst = 0;
  for (float xi : x) {
    const double y = (xi - m) * r64;
    const float got = (xi - mean) * r;
    worst = std::max(worst, std::fabs(got - y) / (std::fabs(y) + r64 * mean_abs));
  }
  return worst;
}

/// Worst relative error of an fp32 softmax in the kernel's order; `drop_last` leaves the last
/// column out of the denominator (an off-by-one).
double softmax_error(const std::vector<float>& x, bool drop_last) {
  float m = -INFINITY;
  for (float v : x) m = std::max(m, v);
  std::vector<float> e(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) e[j] = std::exp(x[j] - m);
  if (drop_last) e.back() = 0.0f;
  const float s = kernel_order_sum(e);
  double s64 = 0;
  for (float v : x) s64 += std::exp(double(v) - m);
  double worst = 0;
  for (float v : x) {
    const double y = std::exp(double(v) - m) / s64;
    worst = std::max(worst, std::fabs(std::exp(v - m) / s - y) / y);
  }
  return worst;
}

}  // namespace

TEST(Tolerance, RowBoundsHoldForTheKernelOrderAndCatchTypicalBugs) {
  const int cols = 4096;
  const int h = cols / 256 + 8;  // row_tree_height(4096)
  const double ln = layernorm_bound(h).value, sm = softmax_bound(h).value;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const std::vector<float> x = inputs(cols, seed);
    EXPECT_LE(layernorm_error(x, false), ln) << seed;
    EXPECT_GT(layernorm_error(x, true), ln) << seed;  // n − 1: off by 1/(2n) ≈ 1.2e-4
    EXPECT_LE(softmax_error(x, false), sm) << seed;
    EXPECT_GT(softmax_error(x, true), sm) << seed;  // one term of 4096 missing
  }
}

TEST(Tolerance, CubTreeHeightAssumption) {
  // 2^28 floats on 132 SMs: 2^28 / (256 · 132) rounded up, plus 64.
  EXPECT_EQ(cub_sum_tree_height(std::int64_t{1} << 28, 132), 7944 + 64);
  EXPECT_EQ(cub_sum_tree_height(1, 132), 65);
  EXPECT_EQ(cub_sum_tree_height(1000, 0), 4 + 64);  // unknown SM count: one SM
}

}  // namespace wslcuda
