// CUB's device-wide reductions, as the vendor implementation beside ours.

#include <cub/device/device_reduce.cuh>

#include "reduction/reduction.hpp"

namespace wslcuda::kernels {

cudaError_t cub_reduce_temp_bytes(cub_reduction op, std::int64_t n, std::size_t* bytes) {
  const float* in = nullptr;
  float* out = nullptr;
  return op == cub_reduction::sum ? cub::DeviceReduce::Sum(nullptr, *bytes, in, out, n)
                                  : cub::DeviceReduce::Max(nullptr, *bytes, in, out, n);
}

cudaError_t launch_cub_reduce_f32(cub_reduction op, void* temp, std::size_t temp_bytes,
                                  const float* x, std::int64_t n, float* out, cudaStream_t stream) {
  return op == cub_reduction::sum ? cub::DeviceReduce::Sum(temp, temp_bytes, x, out, n, stream)
                                  : cub::DeviceReduce::Max(temp, temp_bytes, x, out, n, stream);
}

}  // namespace wslcuda::kernels
