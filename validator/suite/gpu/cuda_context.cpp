#include "suite/gpu/cuda_context.hpp"

namespace wslcuda {
namespace {
/// Selects the device before the stream and events are created (members are built in order).
int select_device(int device) {
  WSLCUDA_CUDA_CHECK(cudaSetDevice(device));
  WSLCUDA_CUDA_CHECK(cudaFree(nullptr));  // creates the primary context now, outside any timing
  return device;
}
}  // namespace

cuda_context::cuda_context(int device) : device_(select_device(device)) {}

void cuda_context::start_timer() {
  WSLCUDA_CUDA_CHECK(cudaEventRecord(start_.get(), stream_.get()));
}

double cuda_context::stop_timer() {
  WSLCUDA_CUDA_CHECK(cudaEventRecord(stop_.get(), stream_.get()));
  WSLCUDA_CUDA_CHECK(cudaEventSynchronize(stop_.get()));
  float ms = 0.0f;
  WSLCUDA_CUDA_CHECK(cudaEventElapsedTime(&ms, start_.get(), stop_.get()));
  return static_cast<double>(ms) * 1e-3;
}

void cuda_context::synchronize() {
  WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

}  // namespace wslcuda
