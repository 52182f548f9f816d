#pragma once
// Reduction family: launch API only (our kernels and CUB).

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "reduction/reduction_inputs.hpp"
#include "reduction/reduction_plan.hpp"

namespace wslcuda::kernels {

/// Our two-stage sum: *out = Σ_{i<n} x[i] in fp32 (see plan_reduce_sum_f32 for the order of
/// additions and its error bound). No atomics: the result is bitwise reproducible for a plan.
/// `x` must be 16-byte aligned (cudaMalloc gives 256); `workspace` holds plan.workspace floats.
/// Device pointers; enqueued on `stream`; returns the first launch error.
cudaError_t launch_reduce_sum_f32(const reduce_plan& plan, const float* x, std::int64_t n,
                                  float* workspace, float* out, cudaStream_t stream);

/// Fills x[0, n) with reduction_input(seed, i) (reduction_inputs.hpp), grid-stride.
cudaError_t launch_fill_reduction_inputs(float* x, std::int64_t n, std::uint64_t seed,
                                         cudaStream_t stream);

/// Our two-stage maximum, same plan and layout as the sum: *out = max_{i<n} x[i] (exact: fmaxf
/// rounds nothing; NaN inputs are ignored by fmaxf as IEEE 754 maxNum does).
cudaError_t launch_reduce_max_f32(const reduce_plan& plan, const float* x, std::int64_t n,
                                  float* workspace, float* out, cudaStream_t stream);

/// The reductions CUB's DeviceReduce provides that wslcuda compares ours with.
enum class cub_reduction { sum, max };

/// Bytes of temporary storage cub::DeviceReduce::{Sum,Max} needs for n floats (its size query:
/// d_temp_storage = nullptr). Returns the CUDA error of the query.
cudaError_t cub_reduce_temp_bytes(cub_reduction op, std::int64_t n, std::size_t* bytes);

/// *out = CUB's sum or maximum of x[0, n) (cub::DeviceReduce, CCCL of the toolkit), with
/// `temp` of `temp_bytes` from cub_reduce_temp_bytes; enqueued on `stream`.
cudaError_t launch_cub_reduce_f32(cub_reduction op, void* temp, std::size_t temp_bytes,
                                  const float* x, std::int64_t n, float* out, cudaStream_t stream);

/// Summation-tree height of a row of `cols` elements in launch_softmax_rows_f32 and
/// launch_layernorm_rows_f32: ⌈cols / 256⌉ serial additions per thread, then a 256-thread tree.
inline int row_tree_height(int cols) {
  return (cols + 255) / 256 + 8;
}

/// y = softmax of each row of x (rows × cols, row-major): y_ij = exp(x_ij − max_i) / Σ_k
/// exp(x_ik − max_i), one block of 256 threads per row, expf (not the fast intrinsic).
cudaError_t launch_softmax_rows_f32(const float* x, float* y, int rows, int cols,
                                    cudaStream_t stream);

/// y = layer normalisation of each row of x (rows × cols, row-major) without affine parameters:
/// y_ij = (x_ij − μ_i) · rsqrt(σ²_i + eps), μ and the biased σ² by two passes over the row, one
/// block of 256 threads per row.
cudaError_t launch_layernorm_rows_f32(const float* x, float* y, int rows, int cols, float eps,
                                      cudaStream_t stream);

}  // namespace wslcuda::kernels
