// Segmented (row-wise) reductions every transformer runs: softmax and layer normalisation, one
// block per row.

#include <cmath>

#include "reduction/reduction.hpp"

namespace wslcuda::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

/// Block-wide sum or max, result broadcast to every thread.
template <bool Max>
__device__ float block_all_reduce(float v, float* scratch) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) {
    const float other = __shfl_down_sync(0xffffffffu, v, offset);
    v = Max ? fmaxf(v, other) : v + other;
  }
  const int lane = static_cast<int>(threadIdx.x) % 32, warp = static_cast<int>(threadIdx.x) / 32;
  __syncthreads();  // scratch may still be read from a previous call
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < kWarps ? scratch[lane] : (Max ? -INFINITY : 0.0f);
#pragma unroll
    for (int offset = kWarps / 2; offset > 0; offset /= 2) {
      const float other = __shfl_down_sync(0xffffffffu, v, offset);
      v = Max ? fmaxf(v, other) : v + other;
    }
    if (lane == 0) scratch[kWarps] = v;
  }
  __syncthreads();
  return scratch[kWarps];
}

__global__ void __launch_bounds__(kThreads)
    softmax_rows_kernel(const float* __restrict__ x, float* __restrict__ y, int cols) {
  __shared__ float scratch[kWarps + 1];
  const float* row = x + static_cast<long long>(blockIdx.x) * cols;
  float* out = y + static_cast<long long>(blockIdx.x) * cols;
  float m = -INFINITY;
  for (int j = static_cast<int>(threadIdx.x); j < cols; j += kThreads) m = fmaxf(m, row[j]);
  m = block_all_reduce<true>(m, scratch);
  float s = 0.0f;
  for (int j = static_cast<int>(threadIdx.x); j < cols; j += kThreads) s += expf(row[j] - m);
  s = block_all_reduce<false>(s, scratch);
  for (int j = static_cast<int>(threadIdx.x); j < cols; j += kThreads)
    out[j] = expf(row[j] - m) / s;
}

__global__ void __launch_bounds__(kThreads)
    layernorm_rows_kernel(const float* __restrict__ x, float* __restrict__ y, int cols, float eps) {
  __shared__ float scratch[kWarps + 1];
  const float* row = x + static_cast<long long>(blockIdx.x) * cols;
  float* out = y + static_cast<long long>(blockIdx.x) * cols;
  float s = 0.0f;
  for (int j = static_cast<int>(threadIdx.x); j < cols; j += kThreads) s += row[j];
  const float mean = block_all_reduce<false>(s, scratch) / static_cast<float>(cols);
  float ss = 0.0f;
  for (int j = static_cast<int>(threadIdx.x); j < cols; j += kThreads) {
    const float d = row[j] - mean;
    ss += d * d;
  }
  const float var = block_all_reduce<false>(ss, scratch) / static_cast<float>(cols);
  const float r = rsqrtf(var + eps);
  for (int j = static_cast<int>(threadIdx.x); j < cols; j += kThreads) out[j] = (row[j] - mean) * r;
}

}  // namespace

cudaError_t launch_softmax_rows_f32(const float* x, float* y, int rows, int cols,
                                    cudaStream_t stream) {
  if (rows <= 0 || cols <= 0) return cudaErrorInvalidValue;
  softmax_rows_kernel<<<rows, kThreads, 0, stream>>>(x, y, cols);
  return cudaGetLastError();
}

cudaError_t launch_layernorm_rows_f32(const float* x, float* y, int rows, int cols, float eps,
                                      cudaStream_t stream) {
  if (rows <= 0 || cols <= 0) return cudaErrorInvalidValue;
  layernorm_rows_kernel<<<rows, kThreads, 0, stream>>>(x, y, cols, eps);
  return cudaGetLastError();
}

}  // namespace wslcuda::kernels
