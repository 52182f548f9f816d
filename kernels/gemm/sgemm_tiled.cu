#include "gemm/gemm.hpp"

namespace wslcuda::kernels {
namespace {

constexpr int kBlockM = 128;
constexpr int kBlockN = 128;
constexpr int kBlockK = 8;
constexpr int kThreads = 256;  // (128/8) × (128/8) threads, 8×8 outputs each
constexpr int kPadA = 4;  // keeps As rows 16-byte aligned and its transposed stores conflict-free
constexpr int kLoadsPerThread = kBlockM * kBlockK / kThreads;  // 4 elements of A and 4 of B
static_assert(kBlockM * kBlockK == kBlockK * kBlockN, "A and B tiles hold the same count");

__global__ void __launch_bounds__(kThreads)
    sgemm_128x128x8_kernel(int m, int n, int k, const float* __restrict__ a,
                           const float* __restrict__ b, float* __restrict__ c) {
  __shared__ __align__(16) float as[kBlockK][kBlockM + kPadA];  // A tile, transposed (k-major)
  __shared__ __align__(16) float bs[kBlockK][kBlockN];

  const int tid = static_cast<int>(threadIdx.x);
  const int tx = tid % 16;  // owns columns tx*4..+3 and 64+tx*4..+3 of the tile
  const int ty = tid / 16;  // owns rows    ty*4..+3 and 64+ty*4..+3 of the tile
  const int row0 = static_cast<int>(blockIdx.y) * kBlockM;
  const int col0 = static_cast<int>(blockIdx.x) * kBlockN;

  float a_next[kLoadsPerThread];
  float b_next[kLoadsPerThread];
  auto load_global = [&](int k0) {
#pragma unroll
    for (int t = 0; t < kLoadsPerThread; ++t) {
      const int i = tid + t * kThreads;
      const int ar = row0 + i / kBlockK, ac = k0 + i % kBlockK;
      a_next[t] = (ar < m && ac < k) ? a[static_cast<long long>(ar) * k + ac] : 0.0f;
      const int br = k0 + i / kBlockN, bc = col0 + i % kBlockN;
      b_next[t] = (br < k && bc < n) ? b[static_cast<long long>(br) * n + bc] : 0.0f;
    }
  };
  auto store_shared = [&]() {
#pragma unroll
    for (int t = 0; t < kLoadsPerThread; ++t) {
      const int i = tid + t * kThreads;
      as[i % kBlockK][i / kBlockK] = a_next[t];
      bs[i / kBlockN][i % kBlockN] = b_next[t];
    }
  };

  float acc[8][8] = {};
  load_global(0);
  store_shared();
  __syncthreads();

  for (int k0 = 0; k0 < k; k0 += kBlockK) {
    const bool has_next = k0 + kBlockK < k;
    if (has_next) load_global(k0 + kBlockK);  // in flight while the tile below is consumed
#pragma unroll
    for (int kk = 0; kk < kBlockK; ++kk) {
      const float4 a0 = *reinterpret_cast<const float4*>(&as[kk][ty * 4]);
      const float4 a1 = *reinterpret_cast<const float4*>(&as[kk][64 + ty * 4]);
      const float4 b0 = *reinterpret_cast<const float4*>(&bs[kk][tx * 4]);
      const float4 b1 = *reinterpret_cast<const float4*>(&bs[kk][64 + tx * 4]);
      const float av[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
      const float bv[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
      for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
    }
    __syncthreads();
    if (has_next) {
      store_shared();
      __syncthreads();
    }
  }

#pragma unroll
  for (int i = 0; i < 8; ++i) {
    const int r = row0 + (i < 4 ? ty * 4 + i : 64 + ty * 4 + (i - 4));
    if (r >= m) continue;
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      const int col = col0 + (j < 4 ? tx * 4 + j : 64 + tx * 4 + (j - 4));
      if (col < n) c[static_cast<long long>(r) * n + col] = acc[i][j];
    }
  }
}

}  // namespace

cudaError_t launch_sgemm_tiled(int m, int n, int k, const float* a, const float* b, float* c,
                               cudaStream_t stream) {
  if (m <= 0 || n <= 0 || k <= 0) return cudaErrorInvalidValue;
  const dim3 grid((n + kBlockN - 1) / kBlockN, (m + kBlockM - 1) / kBlockM);
  sgemm_128x128x8_kernel<<<grid, kThreads, 0, stream>>>(m, n, k, a, b, c);
  return cudaGetLastError();
}

}  // namespace wslcuda::kernels
