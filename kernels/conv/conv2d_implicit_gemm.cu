// Our tensor-core convolution: implicit GEMM over NHWC fp16 input and KRSC fp16 filter with
// fp32 accumulation (WMMA 16×16×16), fp32 NHWC output.
//
// GEMM view (no im2col buffer): M = N·P·Q output pixels, N = K output channels, and the
// reduction runs over (r, s, c), C innermost as NHWC stores it. A 128-thread block computes a
// 64×64 tile of the output with 4 warps of 2×2 fragments; 32-deep slices of the reduction are
// gathered into shared memory (zero outside the padded input) and multiplied on tensor cores.

#include <mma.h>

#include "conv/conv.hpp"

namespace wslcuda::kernels {
namespace {

constexpr int kBlockM = 64, kBlockN = 64, kBlockK = 32;
constexpr int kThreads = 128;
constexpr int kPadA = 8, kPadB = 8, kPadC = 4;  // keep ldm multiples of 8 (half) and 4 (float)

struct gemm_view {
  int n, c, h, w, k, r, s, pad_h, pad_w, stride_h, stride_w, p, q;
  long long m;    ///< N·P·Q
  int reduction;  ///< R·S·C
};

__global__ void __launch_bounds__(kThreads)
    conv_implicit_gemm_f16(gemm_view g, const __half* __restrict__ x, const __half* __restrict__ wt,
                           float* __restrict__ y) {
  using namespace nvcuda;
  __shared__ __align__(32) __half a_tile[kBlockM][kBlockK + kPadA];
  __shared__ __align__(32) __half b_tile[kBlockK][kBlockN + kPadB];
  __shared__ __align__(32) float c_tile[kBlockM][kBlockN + kPadC];

  const long long m0 = static_cast<long long>(blockIdx.x) * kBlockM;
  const int n0 = static_cast<int>(blockIdx.y) * kBlockN;
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int warp_m = warp / 2, warp_n = warp % 2;  // 2×2 warps of 32×32

  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0.0f);

  const __half zero = __float2half(0.0f);
  for (int k0 = 0; k0 < g.reduction; k0 += kBlockK) {
    // A: 64 pixels × 32 reduction indices, gathered from the input.
    for (int e = static_cast<int>(threadIdx.x); e < kBlockM * kBlockK; e += kThreads) {
      const int row = e / kBlockK, col = e % kBlockK;
      const long long m = m0 + row;
      const int kk = k0 + col;
      __half v = zero;
      if (m < g.m && kk < g.reduction) {
        const int q = static_cast<int>(m % g.q);
        const int p = static_cast<int>((m / g.q) % g.p);
        const int img = static_cast<int>(m / (static_cast<long long>(g.q) * g.p));
        const int c = kk % g.c, s = (kk / g.c) % g.s, r = kk / (g.c * g.s);
        const int hi = p * g.stride_h - g.pad_h + r, wi = q * g.stride_w - g.pad_w + s;
        if (hi >= 0 && hi < g.h && wi >= 0 && wi < g.w)
          v = x[((static_cast<long long>(img) * g.h + hi) * g.w + wi) * g.c + c];
      }
      a_tile[row][col] = v;
    }
    // B: 32 reduction indices × 64 output channels from the KRSC filter.
    for (int e = static_cast<int>(threadIdx.x); e < kBlockK * kBlockN; e += kThreads) {
      const int row = e / kBlockN, col = e % kBlockN;
      const int kk = k0 + row, kout = n0 + col;
      b_tile[row][col] = (kk < g.reduction && kout < g.k)
                             ? wt[static_cast<long long>(kout) * g.reduction + kk]
                             : zero;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kBlockK; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a[2];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b[2];
#pragma unroll
      for (int i = 0; i < 2; ++i)
        wmma::load_matrix_sync(a[i], &a_tile[warp_m * 32 + i * 16][kk], kBlockK + kPadA);
#pragma unroll
      for (int j = 0; j < 2; ++j)
        wmma::load_matrix_sync(b[j], &b_tile[kk][warp_n * 32 + j * 16], kBlockN + kPadB);
#pragma unroll
      for (int i = 0; i < 2; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j)
      wmma::store_matrix_sync(&c_tile[warp_m * 32 + i * 16][warp_n * 32 + j * 16], acc[i][j],
                              kBlockN + kPadC, wmma::mem_row_major);
  __syncthreads();
  // Output NHWC = row-major (N·P·Q) × K.
  for (int e = static_cast<int>(threadIdx.x); e < kBlockM * kBlockN; e += kThreads) {
    const int row = e / kBlockN, col = e % kBlockN;
    const long long m = m0 + row;
    const int kout = n0 + col;
    if (m < g.m && kout < g.k) y[m * g.k + kout] = c_tile[row][col];
  }
}

}  // namespace

cudaError_t launch_conv2d_implicit_gemm_f16_nhwc(const conv2d_shape& shape, const __half* x,
                                                 const __half* w, float* y, cudaStream_t stream) {
  if (!shape.valid()) return cudaErrorInvalidValue;
  gemm_view g{shape.n,        shape.c,   shape.h,     shape.w,     shape.k,
              shape.r,        shape.s,   shape.pad_h, shape.pad_w, shape.stride_h,
              shape.stride_w, shape.p(), shape.q(),   0,           0};
  g.m = static_cast<long long>(shape.n) * g.p * g.q;
  g.reduction = shape.r * shape.s * shape.c;
  const dim3 grid(static_cast<unsigned>((g.m + kBlockM - 1) / kBlockM),
                  static_cast<unsigned>((shape.k + kBlockN - 1) / kBlockN));
  conv_implicit_gemm_f16<<<grid, kThreads, 0, stream>>>(g, x, w, y);
  return cudaGetLastError();
}

}  // namespace wslcuda::kernels
