#include "verify/reference.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "reduction/reduction_inputs.hpp"

namespace wslcuda {

TEST(GemmReference, ExactIntegerCase) {
  // A = [1 2 3; 4 5 6] (2×3), B = [7 8; -9 10; 11 12] (3×2).
  const std::vector<float> a = {1, 2, 3, 4, 5, 6};
  const std::vector<float> b = {7, 8, -9, 10, 11, 12};
  std::vector<double> c, abs_c;
  gemm_reference(2, 2, 3, a, b, c, abs_c);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0], 1 * 7 + 2 * -9 + 3 * 11);
  EXPECT_EQ(c[1], 1 * 8 + 2 * 10 + 3 * 12);
  EXPECT_EQ(c[2], 4 * 7 + 5 * -9 + 6 * 11);
  EXPECT_EQ(c[3], 4 * 8 + 5 * 10 + 6 * 12);
  EXPECT_EQ(abs_c[0], 1 * 7 + 2 * 9 + 3 * 11);
  EXPECT_EQ(abs_c[3], c[3]);
}

TEST(GemmReference, RejectsMismatchedSizes) {
  std::vector<double> c, abs_c;
  EXPECT_THROW(gemm_reference(2, 2, 3, std::vector<float>(5), std::vector<float>(6), c, abs_c),
               std::invalid_argument);
}

TEST(ConvReference, PaddingAndStride) {
  // One image, one channel, 3×3 input 1..9, one 3×3 filter of ones, pad 1.
  kernels::conv2d_shape sh;
  sh.h = sh.w = 3;
  sh.r = sh.s = 3;
  sh.pad_h = sh.pad_w = 1;
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> w(9, 1.0f);
  ASSERT_EQ(sh.p(), 3);
  EXPECT_EQ(conv2d_reference_at(sh, x.data(), w.data(), 0, 0, 1, 1).value, 45.0);  // centre: all
  EXPECT_EQ(conv2d_reference_at(sh, x.data(), w.data(), 0, 0, 0, 0).value, 12.0);  // 1+2+4+5
  EXPECT_EQ(conv2d_reference_at(sh, x.data(), w.data(), 0, 0, 2, 2).value, 28.0);  // 5+6+8+9
  sh.stride_h = sh.stride_w = 2;
  ASSERT_EQ(sh.p(), 2);
  EXPECT_EQ(conv2d_reference_at(sh, x.data(), w.data(), 0, 0, 1, 1).value, 28.0);  // rows/cols 1..3
}

TEST(ConvReference, CrossCorrelationNotConvolution) {
  // cuDNN's CROSS_CORRELATION does not flip the filter: w[0][0] multiplies the top-left tap.
  kernels::conv2d_shape sh;
  sh.h = sh.w = 2;
  sh.r = sh.s = 2;
  const std::vector<float> x = {1, 2, 3, 4};
  const std::vector<float> w = {1, 0, 0, 0};
  const reference_value v = conv2d_reference_at(sh, x.data(), w.data(), 0, 0, 0, 0);
  EXPECT_EQ(v.value, 1.0);
  EXPECT_EQ(v.scale, 1.0);
}

TEST(ConvShape, OutputExtentsFlopsAndLabel) {
  kernels::conv2d_shape sh;
  sh.n = 32;
  sh.c = 3;
  sh.h = sh.w = 224;
  sh.k = 64;
  sh.r = sh.s = 7;
  sh.pad_h = sh.pad_w = 3;
  sh.stride_h = sh.stride_w = 2;
  EXPECT_EQ(sh.p(), 112);  // ResNet-50 conv1
  EXPECT_EQ(sh.q(), 112);
  EXPECT_EQ(sh.reduction_length(), 3 * 7 * 7);
  EXPECT_DOUBLE_EQ(sh.flops(), 2.0 * 32 * 64 * 112 * 112 * 147);
  EXPECT_EQ(sh.label(), "n32c3h224w224k64r7s7p3u2");
  EXPECT_TRUE(sh.valid());
  sh.r = 300;
  EXPECT_FALSE(sh.valid());
}

TEST(SumReference, ValueAndScale) {
  const std::vector<float> x = {1.5f, -2.0f, 0.25f};
  const reference_value r = sum_reference(x.data(), 3);
  EXPECT_EQ(r.value, -0.25);
  EXPECT_EQ(r.scale, 3.75);
}

}  // namespace wslcuda

namespace wslcuda {

// The backward passes are the adjoints of the forward pass: for integer-valued tensors,
// <conv(x, w), dy> = <x, bwd_data(dy, w)> = <w, bwd_filter(x, dy)> exactly. Checked on a shape
// with stride 2, padding and non-square extents, so every index rule is exercised.
TEST(Reference, BackwardPassesAreTheForwardPassAdjoints) {
  kernels::conv2d_shape sh;
  sh.n = 2, sh.c = 3, sh.h = 7, sh.w = 6, sh.k = 4, sh.r = 3, sh.s = 2;
  sh.pad_h = 1, sh.pad_w = 1, sh.stride_h = 2, sh.stride_w = 2;
  const int P = sh.p(), Q = sh.q();
  auto ints = [](std::int64_t n, int salt) {
    std::vector<float> v(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(int((i * 7 + salt) % 11) - 5);
    return v;
  };
  const std::vector<float> x = ints(sh.x_elements(), 1), w = ints(sh.w_elements(), 2),
                           dy = ints(sh.y_elements(), 3);
  double forward = 0, data = 0, filter = 0;
  for (int n = 0; n < sh.n; ++n)
    for (int k = 0; k < sh.k; ++k)
      for (int p = 0; p < P; ++p)
        for (int q = 0; q < Q; ++q)
          forward += conv2d_reference_at(sh, x.data(), w.data(), n, k, p, q).value *
                     dy[((std::size_t(n) * sh.k + k) * P + p) * Q + q];
  for (int n = 0; n < sh.n; ++n)
    for (int c = 0; c < sh.c; ++c)
      for (int h = 0; h < sh.h; ++h)
        for (int wi = 0; wi < sh.w; ++wi)
          data += conv2d_bwd_data_reference_at(sh, dy.data(), w.data(), n, c, h, wi).value *
                  x[((std::size_t(n) * sh.c + c) * sh.h + h) * sh.w + wi];
  for (int k = 0; k < sh.k; ++k)
    for (int c = 0; c < sh.c; ++c)
      for (int r = 0; r < sh.r; ++r)
        for (int s = 0; s < sh.s; ++s)
          filter += conv2d_bwd_filter_reference_at(sh, x.data(), dy.data(), k, c, r, s).value *
                    w[((std::size_t(k) * sh.c + c) * sh.r + r) * sh.s + s];
  EXPECT_NE(forward, 0.0);
  EXPECT_EQ(data, forward);
  EXPECT_EQ(filter, forward);
}

TEST(SumReference, SeededInputSummaryIsExactAndIndependentOfTheThreadCount) {
  const std::int64_t n = 100003;
  double sum = 0.0, scale = 0.0;
  float max = -INFINITY;
  for (std::int64_t i = 0; i < n; ++i) {
    const float v = kernels::reduction_input(11, static_cast<std::uint64_t>(i));
    sum += v;
    scale += std::fabs(v);
    max = std::max(max, v);
  }
  const int threads = omp_get_max_threads();
  for (const int t : {1, std::max(2, threads)}) {
    omp_set_num_threads(t);
    const seeded_input_summary s = summarize_seeded_inputs(11, n);
    EXPECT_EQ(s.sum.value, sum) << t << " threads";  // exact sums: equal, not near
    EXPECT_EQ(s.sum.scale, scale) << t << " threads";
    EXPECT_EQ(s.max, max) << t << " threads";
  }
  omp_set_num_threads(threads);
}

}  // namespace wslcuda
