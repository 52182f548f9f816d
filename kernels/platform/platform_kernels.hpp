#pragma once
// Kernels of the platform workloads (transfers, launch latency, managed memory, JIT): each is as
// small as what it measures allows. Launchers return the launch error, never throw.

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "platform/collective_pattern.hpp"

namespace wslcuda::kernels {

/// Enqueues one launch of a kernel with no parameters and no body (1 block of 1 thread): the
/// unit of launch latency.
cudaError_t launch_empty(cudaStream_t stream);

/// Enqueues one launch of a 1-thread kernel that adds 1 to *counter: the node of the graph
/// latency workloads, whose count proves every node ran.
cudaError_t launch_increment(int* counter, cudaStream_t stream);

/// Copies `bytes` from `src` to `dst` (device pointers, 16-byte aligned, not overlapping) with
/// SM loads and stores (16 bytes per thread per step, grid-stride, `blocks` blocks of 256
/// threads; the tail below 16 bytes byte by byte). The SM path of a device-to-device copy, as
/// nvbandwidth's "device_local_copy" SM variant, beside the copy engine's cudaMemcpyAsync.
cudaError_t launch_sm_copy(void* dst, const void* src, std::size_t bytes, int blocks,
                           cudaStream_t stream);

/// The value element i of a managed-memory buffer holds after touch_write: i mod 1021 as float
/// (exact, and different for neighbouring elements and pages).
inline float touch_pattern(std::size_t i) noexcept {
  return static_cast<float>(i % 1021u);
}

/// Writes touch_pattern(i) to every element of `p[n]` (managed or device memory), one element
/// per thread, grid-stride: the GPU's first touch of each page.
cudaError_t launch_touch_write(float* p, std::size_t n, cudaStream_t stream);

/// y[i] = fma(a, x[i], y[i]) rounded once (__fmaf_rn) for i < n: the precompiled (SASS) twin of
/// the JIT workloads' kernel, whose results must match it bit for bit.
cudaError_t launch_axpy_f32(float* y, const float* x, float a, unsigned n, cudaStream_t stream);

/// Fills send[0, n) with collective_input(rank, i) (collective_pattern.hpp).
cudaError_t launch_collective_fill(float* send, std::size_t n, int rank, cudaStream_t stream);

/// Adds to *wrong the number of elements of recv[0, n) that differ from collective_expected(c,
/// ranks, rank, count, i) (NaN counts as wrong): nccl-tests' #wrong, computed on the device so a
/// 1 GiB result is checked without a host copy.
cudaError_t launch_collective_count_wrong(const float* recv, std::size_t n, collective_kind c,
                                          int ranks, int rank, std::size_t count,
                                          unsigned long long* wrong, cudaStream_t stream);

}  // namespace wslcuda::kernels
