#include "measure/roofline.hpp"

#include <gtest/gtest.h>

namespace wslcuda {

TEST(Roofline, Fp32LanesByArchitecture) {
  EXPECT_EQ(fp32_lanes_per_sm(7, 5), 64);
  EXPECT_EQ(fp32_lanes_per_sm(8, 0), 64);
  EXPECT_EQ(fp32_lanes_per_sm(8, 6), 128);
  EXPECT_EQ(fp32_lanes_per_sm(8, 9), 128);
  EXPECT_EQ(fp32_lanes_per_sm(9, 0), 128);
  EXPECT_EQ(fp32_lanes_per_sm(12, 0), 128);
  EXPECT_EQ(fp32_lanes_per_sm(7, 0), 0);  // Volta: not supported by CUDA 13
}

TEST(Roofline, H100SxmPeaks) {
  // 132 SMs at 1980 MHz, sm_90: 132 × 128 × 2 × 1.98e9 = 66.9 TFLOP/s (NVIDIA H100 datasheet:
  // 67 TFLOPS fp32 for SXM5).
  EXPECT_DOUBLE_EQ(peak_fp32_flops(132, 1980000, 9, 0), 132.0 * 128 * 2 * 1.98e9);
  // HBM3 at 2619 MHz on a 5120-bit bus: 3.352 TB/s (datasheet: 3.35 TB/s).
  EXPECT_DOUBLE_EQ(peak_dram_bytes_per_s(2619000, 5120), 2.0 * 2.619e9 * 640.0);
  EXPECT_EQ(peak_fp32_flops(132, 1980000, 6, 0), 0.0);
  EXPECT_EQ(peak_dram_bytes_per_s(0, 5120), 0.0);
}

}  // namespace wslcuda
