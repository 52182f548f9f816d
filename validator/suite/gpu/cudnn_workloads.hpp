#pragma once
// cuDNN convolutions (family conv): forward and backward passes on the same layers.

#include <cstdint>
#include <memory>
#include <string>

#include "suite/gpu/builtin.hpp"
#include "suite/gpu/conv_workloads.hpp"

namespace wslcuda {

/// One cuDNN convolution pass ("f32.fwd", "f16.fwd", "f32.bwd_data", "f32.bwd_filter") on a
/// square problem (N, C, H = W = hw, K, R = S = rs, pad, stride), verified on sampled outputs.
/// Throws std::invalid_argument for any other pass.
std::unique_ptr<workload> make_cudnn_conv_workload(const std::string& pass, int n, int c, int hw,
                                                   int k, int rs, int pad, int stride,
                                                   std::uint64_t seed);

}  // namespace wslcuda
