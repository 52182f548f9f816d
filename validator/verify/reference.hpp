#pragma once
// fp64 CPU references. Inputs are fp32 (exact in fp64, and so are their products).

#include <cstdint>
#include <vector>

#include "conv/conv_shape.hpp"

namespace wslcuda {

/// Reference value and the magnitude that scales its error bound.
struct reference_value {
  double value = 0.0;  ///< exact up to fp64 rounding
  double scale = 0.0;  ///< Σ|terms|: (|A|·|B|)_ij for a GEMM, Σ|x·w| for a convolution output
};

/// C = A·B in fp64 for row-major A (M×K) and B (K×N): fills `c` and `abs_c` = |A|·|B|, each
/// M×N row-major (resized). Cost O(M·N·K); throws std::invalid_argument on a size mismatch.
void gemm_reference(int m, int n, int k, const std::vector<float>& a, const std::vector<float>& b,
                    std::vector<double>& c, std::vector<double>& abs_c);

/// One output y[img][kk][p][q] of the convolution of `shape` (NCHW x, KCRS w), in fp64.
/// Cost O(C·R·S). Indices must be in range (unchecked).
reference_value conv2d_reference_at(const kernels::conv2d_shape& shape, const float* x,
                                    const float* w, int img, int kk, int p, int q) noexcept;

/// Σ x_i in fp64, with Σ|x_i| as scale.
reference_value sum_reference(const float* x, std::int64_t n) noexcept;

}  // namespace wslcuda
