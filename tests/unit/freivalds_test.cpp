// The O(n²) GEMM verifier must pass a correct fp32 product and catch the typical kernel bugs
// that the full O(n³) check catches.

#include "verify/freivalds.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "measure/roofline.hpp"
#include "verify/random_fill.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

constexpr int kM = 96, kN = 80, kK = 300;

struct problem {
  std::vector<float> a = uniform_nonzero(static_cast<std::size_t>(kM) * kK, 21);
  std::vector<float> b = uniform_nonzero(static_cast<std::size_t>(kK) * kN, 22);

  std::vector<float> product(int k_used) const {
    std::vector<float> c(static_cast<std::size_t>(kM) * kN);
    for (int i = 0; i < kM; ++i)
      for (int j = 0; j < kN; ++j) {
        float acc = 0.0f;
        for (int p = 0; p < k_used; ++p) acc = std::fmaf(a[i * kK + p], b[p * kN + j], acc);
        c[i * kN + j] = acc;
      }
    return c;
  }

  check_result check(const std::vector<float>& c) const {
    gemm_view g;
    g.m = kM;
    g.n = kN;
    g.k = kK;
    g.a = a.data();
    g.b = b.data();
    g.c = c.data();
    return check_gemm_freivalds(g, dot_product_bound(kK, number_format::f32).value, "test", 5, 64);
  }
};

}  // namespace

TEST(Freivalds, PassesACorrectProduct) {
  const problem p;
  const check_result r = p.check(p.product(kK));
  EXPECT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(r.compared, 64 + 2 * kM);  // sampled entries + two Freivalds vectors × rows
  EXPECT_NE(r.method.find("Freivalds"), std::string::npos);
}

TEST(Freivalds, CatchesOneWrongElementTheSampleMisses) {
  const problem p;
  std::vector<float> c = p.product(kK);
  // A relative error of ~7 % in one element (a race or a wrong tile would do this): the rows
  // see it (it exceeds N × the element bound) even though 64 samples almost surely miss it.
  c[17 * kN + 3] += 5.0f;
  const check_result r = p.check(c);
  EXPECT_EQ(r.status, status::fail) << r.message;
}

TEST(Freivalds, CatchesTransposeOffByOneAndPoison) {
  const problem p;
  EXPECT_EQ(p.check(p.product(kK - 1)).status, status::fail);
  std::vector<float> c = p.product(kK);
  c[5] = std::numeric_limits<float>::quiet_NaN();
  const check_result poisoned = p.check(c);
  EXPECT_EQ(poisoned.status, status::fail);
  EXPECT_EQ(poisoned.non_finite, 1);
}

TEST(Tolerance, TensorCoreBoundAddsInputRounding) {
  const error_bound exact_inputs = tensor_core_gemm_bound(4096, number_format::bf16, false);
  const error_bound rounded = tensor_core_gemm_bound(4096, number_format::tf32, true);
  EXPECT_DOUBLE_EQ(exact_inputs.value,
                   gamma_n(4096, 2 * std::ldexp(1.0, -24)) + gamma_n(4096, std::ldexp(1.0, -53)));
  EXPECT_DOUBLE_EQ(rounded.value, 2 * std::ldexp(1.0, -11) + exact_inputs.value);
  EXPECT_NE(rounded.method.find("Fasi"), std::string::npos);
}

TEST(Roofline, TensorPeaks) {
  // H100 SXM5: 132 SMs at 1830 MHz → 989.4 TFLOPS dense fp16 (NVIDIA H100 whitepaper).
  EXPECT_NEAR(peak_tensor_flops(132, 1830000, 9, 0, "f16"), 989.4e12, 0.5e12);
  EXPECT_NEAR(peak_tensor_flops(132, 1830000, 9, 0, "tf32"), 494.7e12, 0.5e12);
  // A100: 108 SMs at 1410 MHz → 312 TFLOPS fp16/bf16, 156 tf32.
  EXPECT_NEAR(peak_tensor_flops(108, 1410000, 8, 0, "bf16"), 312e12, 1e12);
  EXPECT_EQ(tensor_flops_per_sm_clock(7, 5, "bf16"), 0);  // Turing: no bf16
  EXPECT_EQ(tensor_flops_per_sm_clock(7, 5, "f16"), 1024);
  EXPECT_EQ(tensor_flops_per_sm_clock(9, 0, "f32"), 0);  // not a tensor precision
}

}  // namespace wslcuda
