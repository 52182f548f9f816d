#pragma once
// Where the tensor-core GEMM stores a 16 × 16 fp32 accumulator tile: straight to C with
// wmma::store_matrix_sync, or through shared memory element by element. Shared by the kernel and
// its CPU test. CUDA-free.

#include <cstdint>

#include "common/host_device.hpp"

namespace wslcuda::kernels {

/// True when the 16 × 16 fp32 tile at (`row`, `col`) of an M×N row-major C whose first element
/// is at byte address `c_address` may be stored straight to C: the tile lies inside C, the
/// leading dimension N is a multiple of 4 floats (16 bytes), and the tile's first element is
/// 256-bit (32-byte) aligned. CUDA C++ Programming Guide, "Warp Matrix Functions",
/// store_matrix_sync: "mptr must be a 256-bit aligned pointer … ldm … must be a multiple of 8 for
/// __half element type or multiple of 4 for float element type (i.e., multiple of 16 bytes in
/// both cases)". Any other tile goes through the staging path. The H200 run of 2026-11-30 failed
/// exactly where this was not checked (N = 17 and N = 257: each row after the first landed
/// shifted).
WSLCUDA_HOST_DEVICE inline bool wmma_tile_stores_directly(int m, int n, int row, int col,
                                                          std::uint64_t c_address) {
  if (row < 0 || col < 0 || row + 16 > m || col + 16 > n || n % 4 != 0) return false;
  const std::uint64_t offset = (static_cast<std::uint64_t>(row) * static_cast<std::uint64_t>(n) +
                                static_cast<std::uint64_t>(col)) *
                               sizeof(float);
  return (c_address + offset) % 32 == 0;
}

}  // namespace wslcuda::kernels
