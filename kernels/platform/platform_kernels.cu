#include "platform/platform_kernels.hpp"

#include <algorithm>

namespace wslcuda::kernels {
namespace {

__global__ void empty_kernel() {}

__global__ void increment_kernel(int* counter) {
  *counter += 1;
}

__global__ void sm_copy_kernel(uint4* __restrict__ dst, const uint4* __restrict__ src,
                               std::size_t vectors, unsigned char* __restrict__ dst_tail,
                               const unsigned char* __restrict__ src_tail, unsigned tail) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < vectors;
       i += stride)
    dst[i] = src[i];
  if (blockIdx.x == 0 && threadIdx.x < tail) dst_tail[threadIdx.x] = src_tail[threadIdx.x];
}

__global__ void touch_write_kernel(float* p, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    p[i] = static_cast<float>(i % 1021u);
}

__global__ void axpy_kernel(float* __restrict__ y, const float* __restrict__ x, float a,
                            unsigned n) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = __fmaf_rn(a, x[i], y[i]);
}

__global__ void collective_fill_kernel(float* send, std::size_t n, int rank) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    send[i] = collective_input(rank, i);
}

__global__ void collective_check_kernel(const float* recv, std::size_t n, collective_kind c,
                                        int ranks, int rank, std::size_t count,
                                        unsigned long long* wrong) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  unsigned long long mine = 0;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    mine += !(recv[i] == collective_expected(c, ranks, rank, count, i));  // NaN is wrong
  if (mine != 0) atomicAdd(wrong, mine);
}

constexpr int kThreads = 256;

/// Blocks for a grid-stride loop over n elements: enough to fill any current GPU, no more.
unsigned grid_for(std::size_t n) {
  const std::size_t wanted = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(wanted, 1u << 16)));
}

}  // namespace

cudaError_t launch_empty(cudaStream_t stream) {
  empty_kernel<<<1, 1, 0, stream>>>();
  return cudaGetLastError();
}

cudaError_t launch_increment(int* counter, cudaStream_t stream) {
  increment_kernel<<<1, 1, 0, stream>>>(counter);
  return cudaGetLastError();
}

cudaError_t launch_sm_copy(void* dst, const void* src, std::size_t bytes, int blocks,
                           cudaStream_t stream) {
  const std::size_t vectors = bytes / sizeof(uint4);
  const unsigned tail = static_cast<unsigned>(bytes % sizeof(uint4));
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  sm_copy_kernel<<<std::max(blocks, 1), kThreads, 0, stream>>>(
      static_cast<uint4*>(dst), static_cast<const uint4*>(src), vectors,
      d + vectors * sizeof(uint4), s + vectors * sizeof(uint4), tail);
  return cudaGetLastError();
}

cudaError_t launch_touch_write(float* p, std::size_t n, cudaStream_t stream) {
  touch_write_kernel<<<grid_for(n), kThreads, 0, stream>>>(p, n);
  return cudaGetLastError();
}

cudaError_t launch_collective_fill(float* send, std::size_t n, int rank, cudaStream_t stream) {
  collective_fill_kernel<<<grid_for(n), kThreads, 0, stream>>>(send, n, rank);
  return cudaGetLastError();
}

cudaError_t launch_collective_count_wrong(const float* recv, std::size_t n, collective_kind c,
                                          int ranks, int rank, std::size_t count,
                                          unsigned long long* wrong, cudaStream_t stream) {
  collective_check_kernel<<<grid_for(n), kThreads, 0, stream>>>(recv, n, c, ranks, rank, count,
                                                                wrong);
  return cudaGetLastError();
}

cudaError_t launch_axpy_f32(float* y, const float* x, float a, unsigned n, cudaStream_t stream) {
  axpy_kernel<<<(n + kThreads - 1) / kThreads, kThreads, 0, stream>>>(y, x, a, n);
  return cudaGetLastError();
}

}  // namespace wslcuda::kernels
