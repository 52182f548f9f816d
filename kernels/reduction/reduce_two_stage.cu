#include "reduction/reduction.hpp"

#include <algorithm>
#include <cmath>

namespace wslcuda::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

/// The two reductions: a sum (rounded at every addition) and a maximum (exact).
struct sum_op {
  static __device__ float identity() { return 0.0f; }
  static __device__ float apply(float a, float b) { return a + b; }
};
struct max_op {
  static __device__ float identity() { return -INFINITY; }
  static __device__ float apply(float a, float b) { return fmaxf(a, b); }
};

/// Reduces one value per thread over the block (5 shuffle levels, then 3 over the warp
/// results); the result is valid in thread 0.
template <typename Op>
__device__ float block_reduce(float v) {
  __shared__ float warp_results[kWarps];
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2)
    v = Op::apply(v, __shfl_down_sync(0xffffffffu, v, offset));
  const int lane = static_cast<int>(threadIdx.x) % 32, warp = static_cast<int>(threadIdx.x) / 32;
  if (lane == 0) warp_results[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < kWarps ? warp_results[lane] : Op::identity();
#pragma unroll
    for (int offset = kWarps / 2; offset > 0; offset /= 2)
      v = Op::apply(v, __shfl_down_sync(0xffffffffu, v, offset));
  }
  return v;
}

template <typename Op>
__global__ void __launch_bounds__(kThreads)
    reduce_f32_stage1(const float* __restrict__ x, long long n, float* __restrict__ partial) {
  const long long n4 = n / 4;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  const long long stride = static_cast<long long>(gridDim.x) * kThreads;
  long long i = static_cast<long long>(blockIdx.x) * kThreads + threadIdx.x;
  float acc = Op::identity();
  // Four independent loads in flight per thread; the additions stay in index order.
  for (; i + 3 * stride < n4; i += 4 * stride) {
    const float4 v0 = x4[i], v1 = x4[i + stride], v2 = x4[i + 2 * stride], v3 = x4[i + 3 * stride];
    acc = Op::apply(acc, v0.x);
    acc = Op::apply(acc, v0.y);
    acc = Op::apply(acc, v0.z);
    acc = Op::apply(acc, v0.w);
    acc = Op::apply(acc, v1.x);
    acc = Op::apply(acc, v1.y);
    acc = Op::apply(acc, v1.z);
    acc = Op::apply(acc, v1.w);
    acc = Op::apply(acc, v2.x);
    acc = Op::apply(acc, v2.y);
    acc = Op::apply(acc, v2.z);
    acc = Op::apply(acc, v2.w);
    acc = Op::apply(acc, v3.x);
    acc = Op::apply(acc, v3.y);
    acc = Op::apply(acc, v3.z);
    acc = Op::apply(acc, v3.w);
  }
  for (; i < n4; i += stride) {
    const float4 v = x4[i];
    acc = Op::apply(acc, v.x);
    acc = Op::apply(acc, v.y);
    acc = Op::apply(acc, v.z);
    acc = Op::apply(acc, v.w);
  }
  const long long tail = 4 * n4 + static_cast<long long>(blockIdx.x) * kThreads + threadIdx.x;
  if (tail < n) acc = Op::apply(acc, x[tail]);
  const float block = block_reduce<Op>(acc);
  if (threadIdx.x == 0) partial[blockIdx.x] = block;
}

template <typename Op>
__global__ void __launch_bounds__(kThreads)
    reduce_f32_stage2(const float* __restrict__ partial, int count, float* __restrict__ out) {
  float acc = Op::identity();
  for (int i = static_cast<int>(threadIdx.x); i < count; i += kThreads)
    acc = Op::apply(acc, partial[i]);
  const float total = block_reduce<Op>(acc);
  if (threadIdx.x == 0) *out = total;
}

__global__ void fill_inputs_kernel(float* x, long long n, std::uint64_t seed) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    x[i] = reduction_input(seed, static_cast<std::uint64_t>(i));
}

template <typename Op>
cudaError_t launch_two_stage(const reduce_plan& plan, const float* x, std::int64_t n,
                             float* workspace, float* out, cudaStream_t stream) {
  if (n <= 0 || plan.threads != kThreads || plan.blocks < 1) return cudaErrorInvalidValue;
  reduce_f32_stage1<Op><<<plan.blocks, kThreads, 0, stream>>>(x, n, workspace);
  if (const cudaError_t e = cudaGetLastError(); e != cudaSuccess) return e;
  reduce_f32_stage2<Op><<<1, kThreads, 0, stream>>>(workspace, plan.blocks, out);
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_reduce_sum_f32(const reduce_plan& plan, const float* x, std::int64_t n,
                                  float* workspace, float* out, cudaStream_t stream) {
  return launch_two_stage<sum_op>(plan, x, n, workspace, out, stream);
}

cudaError_t launch_fill_reduction_inputs(float* x, std::int64_t n, std::uint64_t seed,
                                         cudaStream_t stream) {
  if (n <= 0) return cudaErrorInvalidValue;
  const long long blocks = std::min<long long>((n + kThreads - 1) / kThreads, 1 << 16);
  fill_inputs_kernel<<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(x, n, seed);
  return cudaGetLastError();
}

cudaError_t launch_reduce_max_f32(const reduce_plan& plan, const float* x, std::int64_t n,
                                  float* workspace, float* out, cudaStream_t stream) {
  return launch_two_stage<max_op>(plan, x, n, workspace, out, stream);
}

}  // namespace wslcuda::kernels
