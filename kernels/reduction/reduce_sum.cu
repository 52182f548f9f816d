#include "reduction/reduction.hpp"

namespace wslcuda::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

/// Sums one value per thread over the block (5 shuffle levels, then 3 over the warp sums);
/// the result is valid in thread 0.
__device__ float block_sum(float v) {
  __shared__ float warp_sums[kWarps];
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
  const int lane = static_cast<int>(threadIdx.x) % 32, warp = static_cast<int>(threadIdx.x) / 32;
  if (lane == 0) warp_sums[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < kWarps ? warp_sums[lane] : 0.0f;
#pragma unroll
    for (int offset = kWarps / 2; offset > 0; offset /= 2)
      v += __shfl_down_sync(0xffffffffu, v, offset);
  }
  return v;
}

__global__ void __launch_bounds__(kThreads)
    reduce_sum_f32_stage1(const float* __restrict__ x, long long n, float* __restrict__ partial) {
  const long long n4 = n / 4;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  const long long stride = static_cast<long long>(gridDim.x) * kThreads;
  long long i = static_cast<long long>(blockIdx.x) * kThreads + threadIdx.x;
  float acc = 0.0f;
  // Four independent loads in flight per thread; the additions stay in index order.
  for (; i + 3 * stride < n4; i += 4 * stride) {
    const float4 v0 = x4[i], v1 = x4[i + stride], v2 = x4[i + 2 * stride], v3 = x4[i + 3 * stride];
    acc += v0.x;
    acc += v0.y;
    acc += v0.z;
    acc += v0.w;
    acc += v1.x;
    acc += v1.y;
    acc += v1.z;
    acc += v1.w;
    acc += v2.x;
    acc += v2.y;
    acc += v2.z;
    acc += v2.w;
    acc += v3.x;
    acc += v3.y;
    acc += v3.z;
    acc += v3.w;
  }
  for (; i < n4; i += stride) {
    const float4 v = x4[i];
    acc += v.x;
    acc += v.y;
    acc += v.z;
    acc += v.w;
  }
  const long long tail = 4 * n4 + static_cast<long long>(blockIdx.x) * kThreads + threadIdx.x;
  if (tail < n) acc += x[tail];
  const float block = block_sum(acc);
  if (threadIdx.x == 0) partial[blockIdx.x] = block;
}

__global__ void __launch_bounds__(kThreads)
    reduce_sum_f32_stage2(const float* __restrict__ partial, int count, float* __restrict__ out) {
  float acc = 0.0f;
  for (int i = static_cast<int>(threadIdx.x); i < count; i += kThreads) acc += partial[i];
  const float total = block_sum(acc);
  if (threadIdx.x == 0) *out = total;
}

}  // namespace

cudaError_t launch_reduce_sum_f32(const reduce_plan& plan, const float* x, std::int64_t n,
                                  float* workspace, float* out, cudaStream_t stream) {
  if (n <= 0 || plan.threads != kThreads || plan.blocks < 1) return cudaErrorInvalidValue;
  reduce_sum_f32_stage1<<<plan.blocks, kThreads, 0, stream>>>(x, n, workspace);
  if (const cudaError_t e = cudaGetLastError(); e != cudaSuccess) return e;
  reduce_sum_f32_stage2<<<1, kThreads, 0, stream>>>(workspace, plan.blocks, out);
  return cudaGetLastError();
}

}  // namespace wslcuda::kernels
