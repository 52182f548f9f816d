#pragma once
// Convolution family: our direct and implicit-GEMM kernels on ResNet-50 layers.

#include <cstdint>
#include <memory>

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// Our direct NCHW fp32 convolution on `shape` (kernels::conv2d_shape fields, see conv_shape.hpp).
std::unique_ptr<workload> make_conv_direct_f32_workload(int n, int c, int h, int w, int k, int r,
                                                        int s, int pad, int stride,
                                                        std::uint64_t seed,
                                                        const suite_config& config = {});

/// Our tensor-core implicit-GEMM convolution (NHWC fp16 in, fp32 out) on the same problem as
/// the direct kernel with the same seed (inputs rounded to fp16).
std::unique_ptr<workload> make_conv_implicit_gemm_f16_workload(int n, int c, int h, int w, int k,
                                                               int r, int s, int pad, int stride,
                                                               std::uint64_t seed,
                                                               const suite_config& config = {});

/// A ResNet-50 convolution layer (He et al., CVPR 2016, Table 1) at H = W = hw, square filter
/// rs × rs, with the seed stream its problem is drawn from (the same for every implementation,
/// so ours and cuDNN's see the same inputs).
struct resnet_layer {
  int c, hw, k, rs, pad, stride;
  std::uint64_t seed_stream;
};

/// conv2_x 3×3 (C = K = 64, 56×56, pad 1), conv2_x 1×1 reduction (C = 256 → K = 64, 56×56), and
/// the 7×7 stride-2 stem conv1 (C = 3 → K = 64, 224×224, pad 3).
inline constexpr resnet_layer kResnet50Layers[] = {
    {64, 56, 64, 3, 1, 1, 200}, {256, 56, 64, 1, 0, 1, 201}, {3, 224, 64, 7, 3, 2, 202}};

}  // namespace wslcuda
