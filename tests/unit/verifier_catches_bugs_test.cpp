// The GEMM verifier (fp64 reference + γ_k bound) must pass a correct fp32 kernel and catch each
// typical kernel bug. The "kernels" here are CPU simulations of what a GPU kernel would write.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "verify/check.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

constexpr int kM = 64, kN = 64, kK = 512;

/// Rounds to the nearest value with 11 significand bits (fp16's precision; range is ample here).
double round_to_fp16_precision(double x) {
  if (x == 0.0 || !std::isfinite(x)) return x;
  int e = 0;
  const double m = std::frexp(x, &e);
  return std::ldexp(std::nearbyint(std::ldexp(m, 11)), e - 11);
}

class GemmVerifier : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = uniform_nonzero(static_cast<std::size_t>(kM) * kK, 11);
    b_ = uniform_nonzero(static_cast<std::size_t>(kK) * kN, 12);
    gemm_reference(kM, kN, kK, a_, b_, ref_, abs_ref_);
  }

  /// C computed like a SIMT kernel: fp32 FMA in increasing k, with optional sabotage.
  std::vector<float> simulate(int k_used, const std::function<float(float)>& round_acc) const {
    std::vector<float> c(static_cast<std::size_t>(kM) * kN);
    for (int i = 0; i < kM; ++i)
      for (int j = 0; j < kN; ++j) {
        float acc = 0.0f;
        for (int p = 0; p < k_used; ++p)
          acc = round_acc(std::fmaf(a_[static_cast<std::size_t>(i) * kK + p],
                                    b_[static_cast<std::size_t>(p) * kN + j], acc));
        c[static_cast<std::size_t>(i) * kN + j] = acc;
      }
    return c;
  }

  check_result verify(const std::vector<float>& c) const {
    const error_bound bound = dot_product_bound(kK, number_format::f32);
    return check_arrays(c.data(), ref_.data(), abs_ref_.data(), static_cast<std::int64_t>(c.size()),
                        count_non_finite(c.data(), static_cast<std::int64_t>(c.size())),
                        bound.value, "gemm", bound.method);
  }

  static float exact(float v) { return v; }

  std::vector<float> a_, b_;
  std::vector<double> ref_, abs_ref_;
};

}  // namespace

TEST_F(GemmVerifier, CorrectFp32KernelPasses) {
  const check_result r = verify(simulate(kK, exact));
  EXPECT_EQ(r.status, status::pass) << r.message;
  EXPECT_GT(r.value, 0.0);  // fp32 rounding is visible, and below the bound
  EXPECT_LT(r.value, r.bound);
}

TEST_F(GemmVerifier, CatchesTransposedOutput) {
  const std::vector<float> c = simulate(kK, exact);
  std::vector<float> t(c.size());
  for (int i = 0; i < kM; ++i)
    for (int j = 0; j < kN; ++j)
      t[static_cast<std::size_t>(j) * kM + i] = c[static_cast<std::size_t>(i) * kN + j];
  const check_result r = verify(t);
  EXPECT_EQ(r.status, status::fail);
  EXPECT_GT(r.out_of_bound, kM * kN / 2);
}

TEST_F(GemmVerifier, CatchesOneUnwrittenTile) {
  std::vector<float> c = simulate(kK, exact);
  // The poison (NaN) survives in a 16×16 tile the kernel never wrote.
  for (int i = 16; i < 32; ++i)
    for (int j = 48; j < 64; ++j)
      c[static_cast<std::size_t>(i) * kN + j] = std::numeric_limits<float>::quiet_NaN();
  const check_result r = verify(c);
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.non_finite, 256);
  EXPECT_EQ(r.out_of_bound, 256);
}

TEST_F(GemmVerifier, CatchesOffByOneInK) {
  const check_result r = verify(simulate(kK - 1, exact));
  EXPECT_EQ(r.status, status::fail);
  EXPECT_GT(r.value, 10 * r.bound);
}

TEST_F(GemmVerifier, CatchesFp16AccumulationWhereFp32WasPromised) {
  const check_result r =
      verify(simulate(kK, [](float v) { return static_cast<float>(round_to_fp16_precision(v)); }));
  EXPECT_EQ(r.status, status::fail);
  EXPECT_GT(r.value, r.bound);
}

}  // namespace wslcuda
