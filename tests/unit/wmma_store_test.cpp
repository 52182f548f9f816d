// Which tiles the tensor-core GEMM stores straight to C (kernels/gemm/wmma_store.hpp): the rule
// that the H200 edge test of 2026-11-30 showed missing (N = 17 and 257 stored with an illegal
// leading dimension).

#include "gemm/wmma_store.hpp"

#include <gtest/gtest.h>

namespace wslcuda::kernels {
namespace {

constexpr std::uint64_t kAligned = 0x7f0000000000;  // cudaMalloc: 256-byte aligned

TEST(WmmaStore, FullTilesOfALegalLeadingDimensionGoStraightToC) {
  EXPECT_TRUE(wmma_tile_stores_directly(1024, 1024, 0, 0, kAligned));
  EXPECT_TRUE(wmma_tile_stores_directly(1024, 1024, 1008, 1008, kAligned));
  EXPECT_TRUE(wmma_tile_stores_directly(1000, 1000, 16, 32, kAligned));  // 1000 = 4 · 250
  EXPECT_TRUE(wmma_tile_stores_directly(16, 4096, 0, 4080, kAligned));
}

TEST(WmmaStore, ALeadingDimensionNotAMultipleOfFourFloatsIsStaged) {
  // The shapes of Gpu.TensorCoreGemmEdgesAgainstTheBound that failed on the H200: their tile
  // (0, 0) lies inside C, yet N % 4 != 0 shifts every row after the first.
  EXPECT_FALSE(wmma_tile_stores_directly(33, 17, 0, 0, kAligned));
  EXPECT_FALSE(wmma_tile_stores_directly(129, 257, 0, 0, kAligned));
  EXPECT_FALSE(wmma_tile_stores_directly(129, 257, 112, 240, kAligned));
  for (int n : {18, 19, 4097, 4098, 4099})
    EXPECT_FALSE(wmma_tile_stores_directly(64, n, 0, 0, kAligned)) << n;
}

TEST(WmmaStore, TilesCrossingTheEdgeOrMisalignedAreStaged) {
  EXPECT_FALSE(wmma_tile_stores_directly(1000, 1000, 992, 0, kAligned));  // rows 992…1007
  EXPECT_FALSE(wmma_tile_stores_directly(1000, 1000, 0, 992, kAligned));  // columns 992…1007
  EXPECT_FALSE(wmma_tile_stores_directly(8, 8, 0, 0, kAligned));
  EXPECT_FALSE(
      wmma_tile_stores_directly(1024, 1024, 0, 0, kAligned + 16));  // C not 32-byte aligned
  // N = 20 keeps rows 16-byte aligned; a tile starting on a row that is not 32-byte aligned
  // (row 1: 80 bytes in) is staged. The kernel's tiles start on multiples of 16 rows and
  // columns, which are always aligned when N % 4 == 0 and C is.
  EXPECT_TRUE(wmma_tile_stores_directly(64, 20, 16, 0, kAligned));
  EXPECT_FALSE(wmma_tile_stores_directly(64, 20, 1, 0, kAligned));
}

}  // namespace
}  // namespace wslcuda::kernels
