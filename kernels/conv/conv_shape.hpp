#pragma once
// Convolution problem description shared by kernels, references and workloads (CUDA-free).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wslcuda::kernels {

/// A 2-D convolution forward problem as cuDNN defines it (CUDNN_CROSS_CORRELATION):
/// y[n][k][p][q] = Σ_{c,r,s} x[n][c][p·stride_h − pad_h + r][q·stride_w − pad_w + s] ·
/// w[k][c][r][s] with out-of-range x read as zero. x is N×C×H×W, w is K×C×R×S, y is N×K×P×Q.
struct conv2d_shape {
  int n = 1, c = 1, h = 1, w = 1;  ///< input batch, channels, height, width
  int k = 1, r = 1, s = 1;         ///< output channels, filter height, filter width
  int pad_h = 0, pad_w = 0;        ///< zero padding, elements
  int stride_h = 1, stride_w = 1;  ///< filter stride, elements

  /// Output height P = (H + 2·pad_h − R) / stride_h + 1 (cuDNN's
  /// cudnnGetConvolution2dForwardOutputDim).
  int p() const noexcept { return (h + 2 * pad_h - r) / stride_h + 1; }
  /// Output width Q = (W + 2·pad_w − S) / stride_w + 1.
  int q() const noexcept { return (w + 2 * pad_w - s) / stride_w + 1; }
  std::int64_t x_elements() const noexcept { return std::int64_t{n} * c * h * w; }
  std::int64_t w_elements() const noexcept { return std::int64_t{k} * c * r * s; }
  std::int64_t y_elements() const noexcept { return std::int64_t{n} * k * p() * q(); }
  /// Length of each output's dot product, C·R·S (the reduction length for error bounds).
  std::int64_t reduction_length() const noexcept { return std::int64_t{c} * r * s; }
  /// FLOPs of the forward pass, 2·N·K·P·Q·C·R·S (one multiply and one add per MAC).
  double flops() const noexcept {
    return 2.0 * static_cast<double>(y_elements()) * reduction_length();
  }
  /// True when every extent is positive and the output is non-empty.
  bool valid() const noexcept {
    return n > 0 && c > 0 && h > 0 && w > 0 && k > 0 && r > 0 && s > 0 && pad_h >= 0 &&
           pad_w >= 0 && stride_h > 0 && stride_w > 0 && p() > 0 && q() > 0;
  }
  /// The extents by name, in report order (N, C, H, W, K, R, S, pad_h, pad_w, stride_h,
  /// stride_w): a workload's shape.
  std::vector<std::pair<std::string, std::int64_t>> named_extents() const {
    return {{"N", n},
            {"C", c},
            {"H", h},
            {"W", w},
            {"K", k},
            {"R", r},
            {"S", s},
            {"pad_h", pad_h},
            {"pad_w", pad_w},
            {"stride_h", stride_h},
            {"stride_w", stride_w}};
  }
  /// Compact label used in workload ids, e.g. "n32c64h56w56k64r3s3p1u1".
  std::string label() const {
    std::string out = "n" + std::to_string(n) + "c" + std::to_string(c) + "h" + std::to_string(h) +
                      "w" + std::to_string(w) + "k" + std::to_string(k) + "r" + std::to_string(r) +
                      "s" + std::to_string(s) + "p" + std::to_string(pad_h) + "u" +
                      std::to_string(stride_h);
    if (pad_w != pad_h || stride_w != stride_h)
      out += "q" + std::to_string(pad_w) + "v" + std::to_string(stride_w);
    return out;
  }
};

}  // namespace wslcuda::kernels
