// Our tensor-core GEMM through WMMA: C (fp32) = A · B with A, B in fp16 or bf16, fp32 accumulate.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

#include <cstdint>

#include "gemm/gemm.hpp"
#include "gemm/wmma_store.hpp"

namespace wslcuda::kernels {
namespace {

namespace wmma = nvcuda::wmma;

constexpr int kBlockM = 128, kBlockN = 128;
[[maybe_unused]] constexpr int kBlockK =
    32;                    // used only where the kernel body is compiled (sm_80+)
constexpr int kWarps = 8;  // 2 (M) × 4 (N) warps, each 64 × 32 of C: 4 × 2 fragments of 16 × 16
constexpr int kThreads = kWarps * 32;
constexpr int kPad = 8;  // halves; keeps rows 16-byte aligned and spreads the banks

/// Loads a rows × cols tile of a row-major matrix (leading dimension ld) into shared memory,
/// 8 elements (16 bytes) at a time when they are in range and aligned, else element by element
/// with zero fill outside the matrix.
template <typename T, int Rows, int Cols>
__device__ void load_tile(T (*dst)[Cols + kPad], const T* src, int ld, int row0, int col0,
                          int rows_total, int cols_total) {
  constexpr int kVectors = Rows * Cols / 8;
  for (int v = static_cast<int>(threadIdx.x); v < kVectors; v += kThreads) {
    const int r = v / (Cols / 8), c = (v % (Cols / 8)) * 8;
    const int gr = row0 + r, gc = col0 + c;
    const T* p = src + static_cast<long long>(gr) * ld + gc;
    if (gr < rows_total && gc + 7 < cols_total &&
        (reinterpret_cast<unsigned long long>(p) % 16) == 0) {
      *reinterpret_cast<uint4*>(&dst[r][c]) = *reinterpret_cast<const uint4*>(p);
    } else {
      for (int e = 0; e < 8; ++e)
        dst[r][c + e] = (gr < rows_total && gc + e < cols_total) ? p[e] : T(0.0f);
    }
  }
}

template <typename T>
__global__ void __launch_bounds__(kThreads)
    gemm_wmma_kernel(int m, int n, int k, const T* __restrict__ a, const T* __restrict__ b,
                     float* __restrict__ c) {
#if __CUDA_ARCH__ >= 800
  __shared__ __align__(16) T as[kBlockM][kBlockK + kPad];
  __shared__ __align__(16) T bs[kBlockK][kBlockN + kPad];
  __shared__ __align__(16) float staging[kWarps][16][16];  // for output tiles that cross the edge

  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int warp_m = warp / 4, warp_n = warp % 4;  // warp's 64 × 32 block of the 128 × 128 tile
  const int row0 = static_cast<int>(blockIdx.y) * kBlockM,
            col0 = static_cast<int>(blockIdx.x) * kBlockN;

  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[4][2];
  for (auto& row : acc)
    for (auto& f : row) wmma::fill_fragment(f, 0.0f);

  for (int k0 = 0; k0 < k; k0 += kBlockK) {
    load_tile<T, kBlockM, kBlockK>(as, a, k, row0, k0, m, k);
    load_tile<T, kBlockK, kBlockN>(bs, b, n, k0, col0, k, n);
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kBlockK; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> fa[4];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, T, wmma::row_major> fb[2];
#pragma unroll
      for (int i = 0; i < 4; ++i)
        wmma::load_matrix_sync(fa[i], &as[warp_m * 64 + i * 16][kk], kBlockK + kPad);
#pragma unroll
      for (int j = 0; j < 2; ++j)
        wmma::load_matrix_sync(fb[j], &bs[kk][warp_n * 32 + j * 16], kBlockN + kPad);
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
    }
    __syncthreads();
  }

  const int lane = static_cast<int>(threadIdx.x) % 32;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      const int r = row0 + warp_m * 64 + i * 16, col = col0 + warp_n * 32 + j * 16;
      if (r >= m || col >= n) continue;
      // Straight to C only where WMMA allows it (inside C, N a multiple of 4 floats, a 32-byte
      // aligned tile); every other tile through shared memory (wmma_store.hpp).
      if (wmma_tile_stores_directly(m, n, r, col, reinterpret_cast<std::uint64_t>(c))) {
        wmma::store_matrix_sync(c + static_cast<long long>(r) * n + col, acc[i][j], n,
                                wmma::mem_row_major);
      } else {
        wmma::store_matrix_sync(&staging[warp][0][0], acc[i][j], 16, wmma::mem_row_major);
        __syncwarp();
        for (int e = lane; e < 256; e += 32) {
          const int rr = r + e / 16, cc = col + e % 16;
          if (rr < m && cc < n)
            c[static_cast<long long>(rr) * n + cc] = staging[warp][e / 16][e % 16];
        }
        __syncwarp();
      }
    }
  }
#else
  // Built for an architecture without fp16/bf16 WMMA at this tile shape: never launched there
  // (the workload requires compute capability 8.0).
  __trap();
#endif
}

template <typename T>
cudaError_t launch(int m, int n, int k, const T* a, const T* b, float* c, cudaStream_t stream) {
  if (m <= 0 || n <= 0 || k <= 0) return cudaErrorInvalidValue;
  const dim3 grid((n + kBlockN - 1) / kBlockN, (m + kBlockM - 1) / kBlockM);
  gemm_wmma_kernel<T><<<grid, kThreads, 0, stream>>>(m, n, k, a, b, c);
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_gemm_wmma_f16(int m, int n, int k, const __half* a, const __half* b, float* c,
                                 cudaStream_t stream) {
  return launch(m, n, k, a, b, c, stream);
}

cudaError_t launch_gemm_wmma_bf16(int m, int n, int k, const __nv_bfloat16* a,
                                  const __nv_bfloat16* b, float* c, cudaStream_t stream) {
  return launch(m, n, k, a, b, c, stream);
}

}  // namespace wslcuda::kernels
