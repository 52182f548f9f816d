#pragma once
// Convolution family: launch API only.

#include <cuda_fp16.h>
#include <cuda_runtime_api.h>

#include "conv/conv_shape.hpp"

namespace wslcuda::kernels {

/// Our direct convolution forward, fp32, NCHW input, KCRS filter, NKPQ output; any padding and
/// stride (dilation 1). Each output is accumulated in fp32 with FMA in (c, r, s) order.
///
/// A 16×16-thread block computes a 16×16 output tile for 8 output channels of one image; input
/// channels are staged through shared memory in chunks (halo included) together with the
/// matching filter taps.
///
/// Device pointers; enqueued on `stream`; returns cudaErrorInvalidValue for an invalid shape
/// and the launch error otherwise.
cudaError_t launch_conv2d_direct_f32_nchw(const conv2d_shape& shape, const float* x, const float* w,
                                          float* y, cudaStream_t stream);

/// Our implicit-GEMM convolution forward on tensor cores: fp16 NHWC input x (N×H×W×C), fp16
/// KRSC filter w (K×R×S×C), fp32 NHWC output y (N×P×Q×K); fp32 accumulation (WMMA 16×16×16,
/// compute capability 7.0+); any padding and stride, any C (the reduction (r, s, c) is gathered
/// element by element, zero outside the input).
///
/// Device pointers; enqueued on `stream`; returns cudaErrorInvalidValue for an invalid shape
/// and the launch error otherwise.
cudaError_t launch_conv2d_implicit_gemm_f16_nhwc(const conv2d_shape& shape, const __half* x,
                                                 const __half* w, float* y, cudaStream_t stream);

}  // namespace wslcuda::kernels
