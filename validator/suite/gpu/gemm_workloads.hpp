#pragma once
// GEMM family: C = A·B through our kernels and cuBLAS.

#include <cstdint>
#include <memory>

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// Who computes C = A·B: our kernels (kOwnKernels) or cuBLAS.
enum class gemm_impl { own, cublas };

/// One fp32 GEMM workload (M×N×K row-major); inputs derive from `seed`. gemm_impl::cublas loads
/// cuBLAS when it prepares (its row is an error saying so when the library cannot be loaded).
std::unique_ptr<workload> make_gemm_f32_workload(gemm_impl impl, int m, int n, int k,
                                                 std::uint64_t seed,
                                                 const suite_config& config = {});
/// The precisions of the GEMM family: the inputs' storage format and the math (tf32: fp32
/// inputs on tensor cores, cuBLAS only). C is fp32 in every case.
enum class gemm_precision { f32, tf32, f16, bf16 };

/// "f32", "tf32", "f16" or "bf16": the precision part of the id.
const char* to_string(gemm_precision p) noexcept;

/// One GEMM workload of `precision`, M×N×K row-major; inputs in their storage format, C in
/// fp32. Throws std::invalid_argument for gemm_impl::own with tf32 (cuBLAS only).
std::unique_ptr<workload> make_gemm_workload(gemm_impl impl, gemm_precision precision, int m, int n,
                                             int k, std::uint64_t seed,
                                             const suite_config& config = {});

}  // namespace wslcuda
