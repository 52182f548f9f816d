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

/// One element dx[img][c][h][w] of the convolution's backward-data pass (the gradient of the
/// loss with respect to x given dy, N×K×P×Q): Σ over (k, r, s) with h = p·stride_h − pad_h + r
/// and w = q·stride_w − pad_w + s for an output (p, q) in range, of dy[img][k][p][q] ·
/// w[k][c][r][s], in fp64 (cudnnConvolutionBackwardData). At most K·R·S terms.
reference_value conv2d_bwd_data_reference_at(const kernels::conv2d_shape& shape, const float* dy,
                                             const float* w, int img, int c, int h,
                                             int wi) noexcept;

/// One element dw[k][c][r][s] of the backward-filter pass: Σ over (n, p, q) of dy[n][k][p][q] ·
/// x[n][c][p·stride_h − pad_h + r][q·stride_w − pad_w + s] (zero outside), in fp64
/// (cudnnConvolutionBackwardFilter). N·P·Q terms.
reference_value conv2d_bwd_filter_reference_at(const kernels::conv2d_shape& shape, const float* x,
                                               const float* dy, int kk, int c, int r,
                                               int s) noexcept;

/// Σ x_i in fp64, with Σ|x_i| as scale.
reference_value sum_reference(const float* x, std::int64_t n) noexcept;

/// The sum (with Σ|x_i|) and the maximum of the seeded inputs kernels::reduction_input(seed, i),
/// i = 0 … n−1: the reductions' reference, with the inputs drawn as the device draws them.
struct seeded_input_summary {
  reference_value sum;
  float max = 0.0f;
};

/// seeded_input_summary of (seed, n ≥ 1), on every core (OpenMP). The sum is exact (multiples
/// of 2^-23, fewer than 2^29 of them), so the result does not depend on the thread count.
seeded_input_summary summarize_seeded_inputs(std::uint64_t seed, std::int64_t n);

}  // namespace wslcuda
