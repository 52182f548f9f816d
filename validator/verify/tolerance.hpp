#pragma once
// The one place where error bounds are defined (no free-floating epsilons elsewhere).
// Notation of Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed. (SIAM 2002):
// u is the unit roundoff, γ_n = n·u / (1 − n·u) (Lemma 3.1).

#include <cstdint>
#include <string>

namespace wslcuda {

/// Number formats whose roundoff enters a bound.
enum class number_format { f64, f32, tf32, f16, bf16 };

/// Unit roundoff u = 2^-t for a format with t significand bits (implicit bit included), round to
/// nearest: f64 2^-53, f32 2^-24, tf32 2^-11 (10 stored bits), f16 2^-11, bf16 2^-8 (IEEE 754-2008;
/// NVIDIA A100 whitepaper for tf32; Intel BF16 specification for bf16).
double unit_roundoff(number_format f) noexcept;

/// γ_n(u) = n·u / (1 − n·u); +∞ when n·u ≥ 1 (the bound then says nothing).
double gamma_n(std::int64_t n, double u) noexcept;

/// A bound with the words that say where it comes from (copied into the report's `method`).
struct error_bound {
  double value = 0.0;
  std::string method;
};

/// Element-wise bound for a length-k dot product accumulated in `accumulate` and compared with an
/// fp64 reference: |ĉ_ij − c_ij| ≤ (γ_k(u_acc) + γ_k(u_f64)) · (|A|·|B|)_ij (Higham eq. 3.5; holds
/// for any order of the additions and with or without FMA). The second term covers the
/// reference's own rounding. Inputs are assumed exact in `accumulate` (fp32 data, fp32 math).
error_bound dot_product_bound(std::int64_t k, number_format accumulate);

/// Element-wise bound for a tensor-core (or cuBLAS reduced-precision) GEMM: inputs rounded to
/// `input` (tf32, f16, bf16; 0 when they are exact in it), products exact, accumulated in fp32 by
/// hardware that may truncate instead of round:
///   |ĉ_ij − c_ij| ≤ (2·u_in·[inputs_rounded] + γ_k(2·u_f32) + γ_k(u_f64)) · (|A|·|B|)_ij.
/// Sources: Higham eq. 3.5 for the accumulation, with 2u per addition for the truncating
/// alignment of NVIDIA tensor cores measured by Fasi, Higham, Mikaitis & Pranesh, "Numerical
/// behavior of NVIDIA tensor cores", PeerJ Comput. Sci. 7:e330 (2021); 2u_in for the rounding of
/// both factors of each product.
error_bound tensor_core_gemm_bound(std::int64_t k, number_format input, bool inputs_rounded);

/// Bound for a sum computed by a summation tree of height h (the most additions on any element's
/// path): |ŝ − s| ≤ γ_h(u) · Σ|x_i| (Higham §4.2, eq. 4.3), plus the fp64 reference's
/// γ_{n−1}(u_f64) term for its recursive summation of n terms.
error_bound summation_bound(std::int64_t tree_height, std::int64_t n, number_format accumulate);

/// Summation-tree height assumed for CUB's DeviceReduce over n floats on `sm_count` SMs: its
/// even-share grid has at least one block of 256 threads per SM, each thread adding its share
/// serially, then a block tree and a second pass; n / (256 · SMs) + 64 covers both trees. An
/// assumption about an undocumented order (CUB only promises determinism), documented as such
/// in the bound's method.
std::int64_t cub_sum_tree_height(std::int64_t n, int sm_count) noexcept;

/// Row-wise softmax y_j = exp(x_j − max) / Σ_k exp(x_k − max) in fp32 for inputs in [−1, 1],
/// relative to y_j: expf within 2 ulp = 4u (CUDA C++ Programming Guide, "Mathematical
/// Functions", expf), x_j − max rounded (|x_j − max| ≤ 2: 2u on the exponent), the sum of
/// positive terms γ_h (Higham eq. 4.3, h = row tree height), the division u; 8u + γ_h keeps a
/// margin for second-order terms.
error_bound softmax_bound(std::int64_t tree_height);

/// Row-wise layer normalisation y_j = (x_j − μ) / sqrt(σ² + ε) in fp32 (biased variance, two
/// passes, n a power of two so /n is exact), as |ŷ_j − y_j| ≤ bound · (|y_j| + r · mean|x|),
/// r = 1/sqrt(σ² + ε): the mean's error γ_h · mean|x| reaches every output through r; the
/// variance's relative error γ_{h+3} (the square of a rounded difference: 3 roundings, then the
/// sum) halves through the square root; rsqrtf within 2 ulp = 4u; the subtraction and the
/// product u each. bound = γ_{h+3} + 8u covers both coefficients with a margin.
error_bound layernorm_bound(std::int64_t tree_height);

}  // namespace wslcuda
