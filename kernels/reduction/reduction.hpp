#pragma once
// Reduction family: launch API only.

#include <cuda_runtime_api.h>

#include <cstdint>

#include "reduction/reduction_plan.hpp"

namespace wslcuda::kernels {

/// Our two-stage sum: *out = Σ_{i<n} x[i] in fp32 (see plan_reduce_sum_f32 for the order of
/// additions and its error bound). No atomics: the result is bitwise reproducible for a plan.
/// `x` must be 16-byte aligned (cudaMalloc gives 256); `workspace` holds plan.workspace floats.
/// Device pointers; enqueued on `stream`; returns the first launch error.
cudaError_t launch_reduce_sum_f32(const reduce_plan& plan, const float* x, std::int64_t n,
                                  float* workspace, float* out, cudaStream_t stream);

}  // namespace wslcuda::kernels
