#pragma once
// Host↔device helpers for workloads (stream-ordered, checked).

#include <vector>

#include "common/cuda_raii.hpp"

namespace wslcuda {

/// A device copy of `host` (synchronous: inputs are uploaded once, outside any timing).
template <typename T>
device_buffer<T> upload(const std::vector<T>& host) {
  device_buffer<T> d(host.size());
  WSLCUDA_CUDA_CHECK(cudaMemcpy(d.get(), host.data(), d.bytes(), cudaMemcpyHostToDevice));
  return d;
}

/// Copies `d` back after `stream` has finished.
template <typename T>
std::vector<T> download(const device_buffer<T>& d, cudaStream_t stream) {
  std::vector<T> host(d.size());
  WSLCUDA_CUDA_CHECK(
      cudaMemcpyAsync(host.data(), d.get(), d.bytes(), cudaMemcpyDeviceToHost, stream));
  WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
  return host;
}

/// Fills `d` with 0xFF bytes on `stream`: every fp32/fp16/bf16 element becomes a NaN, so an
/// element the kernel does not write fails verification (CUTLASS testbed practice).
template <typename T>
void poison(device_buffer<T>& d, cudaStream_t stream) {
  WSLCUDA_CUDA_CHECK(cudaMemsetAsync(d.get(), 0xFF, d.bytes(), stream));
}

}  // namespace wslcuda
