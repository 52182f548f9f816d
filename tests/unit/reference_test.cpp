#include "verify/reference.hpp"

#include <gtest/gtest.h>

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
