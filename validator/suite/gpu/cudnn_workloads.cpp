// cuDNN convolutions (loaded at run time, legacy cuDNN 9 API): forward fp32 (NCHW) and fp16
// (NHWC, tensor cores), backward data and backward filter fp32 — the passes training runs.
// Algorithms are fixed to implicit-GEMM ones, which sum each output's terms directly, so the
// same dot-product bounds as our kernels apply (FFT and Winograd would need other bounds).

#include <cuda_fp16.h>
#include <cudnn.h>

#include <algorithm>
#include <optional>
#include <random>
#include <stdexcept>

#include "dynload/cudnn.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/cudnn_workloads.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/layout.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

/// Runs `call` (cuDNN calls checked with cudnn_api::check); CUDNN_STATUS_NOT_SUPPORTED becomes
/// a skip (this GPU/cuDNN lacks the configuration: not a defect of the driver).
template <typename Call>
void skip_if_not_supported(Call&& call) {
  try {
    call();
  } catch (const cudnn_error& e) {
    if (e.status() == CUDNN_STATUS_NOT_SUPPORTED) throw workload_skip(e.what());
    throw;
  }
}

/// cudnn_api::check, with CUDNN_STATUS_NOT_SUPPORTED as a skip.
void check(cudnnStatus_t status, const char* call) {
  skip_if_not_supported([&] { cudnn_api::loaded().check(status, call); });
}

enum class cudnn_op { fwd_f32, fwd_f16, bwd_data_f32, bwd_filter_f32 };

/// Outputs compared with the fp64 reference (every output is scanned for NaN). The filter
/// gradient's elements each sum N·P·Q terms, so fewer of them are sampled.
constexpr std::int64_t kSampled = 8192, kSampledFilter = 512;

/// One pass of the family: the name `make_cudnn_conv_workload` takes, the id's precision and op,
/// what is called, the pinned algorithm and math type (as cudnn.h names them: no autotuning),
/// one line for `wslcuda list`, and the set-up estimate (the filter gradient's reference sums
/// N·P·Q terms per element).
struct cudnn_row {
  cudnn_op op;
  const char* pass;
  const char* precision;
  const char* op_name;
  const char* timing_definition;
  const char* algorithm;
  const char* description;
  double setup_estimate_s;
};

const cudnn_row kCudnnPasses[] = {
    {cudnn_op::fwd_f32, "f32.fwd", "f32", "fwd",
     "cudnnConvolutionForward, NCHW fp32, CUDNN_FMA_MATH, IMPLICIT_PRECOMP_GEMM",
     "CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM, CUDNN_FMA_MATH",
     "cuDNN cudnnConvolutionForward", 2.0},
    {cudnn_op::fwd_f16, "f16.fwd", "f16", "fwd",
     "cudnnConvolutionForward, NHWC fp16 in/out, fp32 compute, CUDNN_TENSOR_OP_MATH, "
     "IMPLICIT_PRECOMP_GEMM",
     "CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM, CUDNN_TENSOR_OP_MATH",
     "cuDNN cudnnConvolutionForward", 2.0},
    {cudnn_op::bwd_data_f32, "f32.bwd_data", "f32", "bwd_data",
     "cudnnConvolutionBackwardData, NCHW fp32, CUDNN_FMA_MATH, BWD_DATA_ALGO_1",
     "CUDNN_CONVOLUTION_BWD_DATA_ALGO_1, CUDNN_FMA_MATH", "cuDNN cudnnConvolutionBackwardData",
     2.0},
    {cudnn_op::bwd_filter_f32, "f32.bwd_filter", "f32", "bwd_filter",
     "cudnnConvolutionBackwardFilter, NCHW fp32, CUDNN_FMA_MATH, BWD_FILTER_ALGO_1",
     "CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1, CUDNN_FMA_MATH", "cuDNN cudnnConvolutionBackwardFilter",
     4.0},
};

/// The row of `op`.
const cudnn_row& row_of(cudnn_op op) {
  return row_where(
      kCudnnPasses, [&](const cudnn_row& r) { return r.op == op; }, "kCudnnPasses");
}

/// A cuDNN pass: one worker with our convolutions, cuDNN loaded.
workload_traits traits_of(const cudnn_row& row) {
  return {"conv",
          row.description,
          row.timing_definition,
          row.setup_estimate_s,
          {true, kCuda13MinComputeCapability, {"cudnn"}},
          row.algorithm};
}

class cudnn_conv_workload final : public workload_base {
 public:
  cudnn_conv_workload(cudnn_op op, const kernels::conv2d_shape& shape, std::uint64_t seed)
      : workload_base({"conv", "cudnn", row_of(op).precision, row_of(op).op_name,
                       shape.named_extents(), shape.label()},
                      traits_of(row_of(op)), seed),
        op_(op),
        sh_(shape) {}

  /// Each pass does the forward pass's N·K·P·Q·C·R·S multiply-adds.
  double flops() const noexcept override { return sh_.flops(); }
  double bytes() const noexcept override {
    const double element = op_ == cudnn_op::fwd_f16 ? 2.0 : 4.0;
    return element * static_cast<double>(sh_.x_elements() + sh_.w_elements() + sh_.y_elements());
  }

  void prepare(execution_context& ctx) override {
    const cudnn_api& api = cudnn_api::loaded();
    if (x_host_.empty()) {
      x_host_ = uniform_nonzero(size_t(sh_.x_elements()), derive_seed(info_.seed, 1));
      w_host_ = uniform_nonzero(size_t(sh_.w_elements()), derive_seed(info_.seed, 2));
      dy_host_ = uniform_nonzero(size_t(sh_.y_elements()), derive_seed(info_.seed, 4));
      if (op_ == cudnn_op::fwd_f16) {  // exact fp16 inputs: the reference sees what the GPU sees
        round_to_half(x_host_);
        round_to_half(w_host_);
      }
    }
    skip_if_not_supported([&] { handle_.emplace(api); });
    check(api.cudnnSetStream(handle_->get(), stream_of(ctx)), "cudnnSetStream");
    const bool half = op_ == cudnn_op::fwd_f16;
    const cudnnTensorFormat_t format = half ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW;
    const cudnnDataType_t type = half ? CUDNN_DATA_HALF : CUDNN_DATA_FLOAT;
    check(api.cudnnCreateTensorDescriptor(&x_desc_), "cudnnCreateTensorDescriptor");
    check(api.cudnnCreateTensorDescriptor(&y_desc_), "cudnnCreateTensorDescriptor");
    check(api.cudnnCreateFilterDescriptor(&w_desc_), "cudnnCreateFilterDescriptor");
    check(api.cudnnCreateConvolutionDescriptor(&conv_desc_), "cudnnCreateConvolutionDescriptor");
    check(api.cudnnSetTensor4dDescriptor(x_desc_, format, type, sh_.n, sh_.c, sh_.h, sh_.w),
          "cudnnSetTensor4dDescriptor(x)");
    check(api.cudnnSetTensor4dDescriptor(y_desc_, format, type, sh_.n, sh_.k, sh_.p(), sh_.q()),
          "cudnnSetTensor4dDescriptor(y)");
    check(api.cudnnSetFilter4dDescriptor(w_desc_, type, format, sh_.k, sh_.c, sh_.r, sh_.s),
          "cudnnSetFilter4dDescriptor");
    check(api.cudnnSetConvolution2dDescriptor(conv_desc_, sh_.pad_h, sh_.pad_w, sh_.stride_h,
                                              sh_.stride_w, 1, 1, CUDNN_CROSS_CORRELATION,
                                              CUDNN_DATA_FLOAT),
          "cudnnSetConvolution2dDescriptor");
    check(api.cudnnSetConvolutionMathType(conv_desc_, half ? CUDNN_TENSOR_OP_MATH : CUDNN_FMA_MATH),
          "cudnnSetConvolutionMathType");
    std::size_t ws = 0;
    switch (op_) {
      case cudnn_op::fwd_f32:
      case cudnn_op::fwd_f16:
        check(api.cudnnGetConvolutionForwardWorkspaceSize(handle_->get(), x_desc_, w_desc_,
                                                          conv_desc_, y_desc_, kFwdAlgo, &ws),
              "cudnnGetConvolutionForwardWorkspaceSize");
        break;
      case cudnn_op::bwd_data_f32:
        check(api.cudnnGetConvolutionBackwardDataWorkspaceSize(
                  handle_->get(), w_desc_, y_desc_, conv_desc_, x_desc_, kBwdDataAlgo, &ws),
              "cudnnGetConvolutionBackwardDataWorkspaceSize");
        break;
      case cudnn_op::bwd_filter_f32:
        check(api.cudnnGetConvolutionBackwardFilterWorkspaceSize(
                  handle_->get(), x_desc_, y_desc_, conv_desc_, w_desc_, kBwdFilterAlgo, &ws),
              "cudnnGetConvolutionBackwardFilterWorkspaceSize");
        break;
    }
    workspace_bytes_ = ws;
    workspace_ = device_buffer<unsigned char>(std::max<std::size_t>(ws, 1));
    if (half) {
      x16_ = upload(nchw_to_nhwc_half(x_host_, sh_.n, sh_.c, sh_.h, sh_.w));
      w16_ = upload(nchw_to_nhwc_half(w_host_, sh_.k, sh_.c, sh_.r, sh_.s));
      y16_ = device_buffer<__half>(size_t(sh_.y_elements()));
    } else {
      x_ = op_ == cudnn_op::bwd_data_f32 ? device_buffer<float>(x_host_.size()) : upload(x_host_);
      w_ = op_ == cudnn_op::bwd_filter_f32 ? device_buffer<float>(w_host_.size()) : upload(w_host_);
      y_ = op_ == cudnn_op::fwd_f32 ? device_buffer<float>(dy_host_.size()) : upload(dy_host_);
    }
  }

  void run(execution_context&) override {
    static const char* const calls[] = {"cudnnConvolutionForward", "cudnnConvolutionForward",
                                        "cudnnConvolutionBackwardData",
                                        "cudnnConvolutionBackwardFilter"};
    const cudnn_api& api = cudnn_api::loaded();
    const float one = 1.0f, zero = 0.0f;
    const cudnnHandle_t h = handle_->get();
    void* const ws = workspace_.get();
    const std::size_t ws_bytes = workspace_bytes_;
    cudnnStatus_t status = CUDNN_STATUS_SUCCESS;
    switch (op_) {
      case cudnn_op::fwd_f32:
        status =
            api.cudnnConvolutionForward(h, &one, x_desc_, x_.get(), w_desc_, w_.get(), conv_desc_,
                                        kFwdAlgo, ws, ws_bytes, &zero, y_desc_, y_.get());
        break;
      case cudnn_op::fwd_f16:
        status = api.cudnnConvolutionForward(h, &one, x_desc_, x16_.get(), w_desc_, w16_.get(),
                                             conv_desc_, kFwdAlgo, ws, ws_bytes, &zero, y_desc_,
                                             y16_.get());
        break;
      case cudnn_op::bwd_data_f32:
        status = api.cudnnConvolutionBackwardData(h, &one, w_desc_, w_.get(), y_desc_, y_.get(),
                                                  conv_desc_, kBwdDataAlgo, ws, ws_bytes, &zero,
                                                  x_desc_, x_.get());
        break;
      case cudnn_op::bwd_filter_f32:
        status = api.cudnnConvolutionBackwardFilter(h, &one, x_desc_, x_.get(), y_desc_, y_.get(),
                                                    conv_desc_, kBwdFilterAlgo, ws, ws_bytes, &zero,
                                                    w_desc_, w_.get());
        break;
    }
    check(status, calls[static_cast<int>(op_)]);
  }

  check_result verify(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    std::vector<float> out;  // the pass's output, NCHW / KCRS fp32
    switch (op_) {
      case cudnn_op::fwd_f32:
        poison(y_, stream);
        run(ctx);
        out = download(y_, stream);
        break;
      case cudnn_op::fwd_f16: {
        poison(y16_, stream);
        run(ctx);
        const std::vector<__half> nhwc = download(y16_, stream);
        out.resize(nhwc.size());
        for (std::size_t i = 0; i < out.size(); ++i)
          out[i] = __half2float(nhwc[nhwc_index_of(i, sh_.k, sh_.p(), sh_.q())]);
        break;
      }
      case cudnn_op::bwd_data_f32:
        poison(x_, stream);
        run(ctx);
        out = download(x_, stream);
        break;
      case cudnn_op::bwd_filter_f32:
        poison(w_, stream);
        run(ctx);
        out = download(w_, stream);
        break;
    }
    const std::int64_t total = static_cast<std::int64_t>(out.size());
    const std::int64_t count =
        std::min<std::int64_t>(op_ == cudnn_op::bwd_filter_f32 ? kSampledFilter : kSampled, total);
    std::mt19937_64 rng(derive_seed(info_.seed, 3));
    std::vector<compared_element> sample;
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t idx =
          count == total ? i : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total));
      sample.push_back({idx, out[size_t(idx)], 0.0, 0.0});
      reference_value ref = reference_at(idx);
      sample.back().expected = ref.value;
      sample.back().scale = ref.scale;
    }
    error_bound bound;
    std::string metric = "max |out - ref| / sum|terms| over sampled outputs";
    switch (op_) {
      case cudnn_op::fwd_f32:
        bound = dot_product_bound(sh_.reduction_length(), number_format::f32);
        break;
      case cudnn_op::fwd_f16:
        bound = tensor_core_gemm_bound(sh_.reduction_length(), number_format::f16, false);
        bound.value += unit_roundoff(number_format::f16);  // y is stored in fp16: |y| ≤ Σ|x·w|
        bound.method += " + u_f16 for the fp16 output";
        break;
      case cudnn_op::bwd_data_f32:
        bound = dot_product_bound(std::int64_t{sh_.k} * sh_.r * sh_.s, number_format::f32);
        break;
      case cudnn_op::bwd_filter_f32:
        bound = dot_product_bound(std::int64_t{sh_.n} * sh_.p() * sh_.q(), number_format::f32);
        break;
    }
    return check_elements(sample, count_non_finite(out.data(), total), bound.value, metric,
                          bound.method + "; " + std::to_string(count) +
                              " seeded sampled outputs, all scanned for NaN");
  }

  void release() noexcept override {
    const cudnn_api* api = nullptr;
    try {
      api = &cudnn_api::loaded();
    } catch (...) {
      return;
    }
    if (conv_desc_ != nullptr) api->cudnnDestroyConvolutionDescriptor(conv_desc_);
    if (w_desc_ != nullptr) api->cudnnDestroyFilterDescriptor(w_desc_);
    if (x_desc_ != nullptr) api->cudnnDestroyTensorDescriptor(x_desc_);
    if (y_desc_ != nullptr) api->cudnnDestroyTensorDescriptor(y_desc_);
    handle_.reset();
    conv_desc_ = nullptr;
    w_desc_ = nullptr;
    x_desc_ = y_desc_ = nullptr;
    x_.reset();
    w_.reset();
    y_.reset();
    x16_.reset();
    w16_.reset();
    y16_.reset();
    workspace_.reset();
  }

 private:
  static constexpr cudnnConvolutionFwdAlgo_t kFwdAlgo =
      CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM;
  static constexpr cudnnConvolutionBwdDataAlgo_t kBwdDataAlgo = CUDNN_CONVOLUTION_BWD_DATA_ALGO_1;
  static constexpr cudnnConvolutionBwdFilterAlgo_t kBwdFilterAlgo =
      CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1;

  /// fp64 reference of output element `idx` (flat NCHW / KCRS index of the pass's output).
  reference_value reference_at(std::int64_t idx) const {
    const int P = sh_.p(), Q = sh_.q();
    switch (op_) {
      case cudnn_op::fwd_f32:
      case cudnn_op::fwd_f16: {
        const int q = int(idx % Q), p = int((idx / Q) % P);
        const int k = int((idx / (std::int64_t{P} * Q)) % sh_.k);
        const int n = int(idx / (std::int64_t{P} * Q * sh_.k));
        return conv2d_reference_at(sh_, x_host_.data(), w_host_.data(), n, k, p, q);
      }
      case cudnn_op::bwd_data_f32: {
        const int wi = int(idx % sh_.w), h = int((idx / sh_.w) % sh_.h);
        const int c = int((idx / (std::int64_t{sh_.w} * sh_.h)) % sh_.c);
        const int n = int(idx / (std::int64_t{sh_.w} * sh_.h * sh_.c));
        return conv2d_bwd_data_reference_at(sh_, dy_host_.data(), w_host_.data(), n, c, h, wi);
      }
      case cudnn_op::bwd_filter_f32: {
        const int s = int(idx % sh_.s), r = int((idx / sh_.s) % sh_.r);
        const int c = int((idx / (std::int64_t{sh_.s} * sh_.r)) % sh_.c);
        const int k = int(idx / (std::int64_t{sh_.s} * sh_.r * sh_.c));
        return conv2d_bwd_filter_reference_at(sh_, x_host_.data(), dy_host_.data(), k, c, r, s);
      }
    }
    return {};
  }

  cudnn_op op_;
  kernels::conv2d_shape sh_;
  std::vector<float> x_host_, w_host_, dy_host_;
  std::optional<cudnn_handle> handle_;
  cudnnTensorDescriptor_t x_desc_ = nullptr, y_desc_ = nullptr;
  cudnnFilterDescriptor_t w_desc_ = nullptr;
  cudnnConvolutionDescriptor_t conv_desc_ = nullptr;
  std::size_t workspace_bytes_ = 0;
  device_buffer<unsigned char> workspace_;
  device_buffer<float> x_, w_, y_;  ///< fp32: x, w and y (dy for the backward passes)
  device_buffer<__half> x16_, w16_, y16_;
};

kernels::conv2d_shape make_shape(int n, int c, int hw, int k, int rs, int pad, int stride) {
  kernels::conv2d_shape s;
  s.n = n, s.c = c, s.h = s.w = hw, s.k = k, s.r = s.s = rs;
  s.pad_h = s.pad_w = pad;
  s.stride_h = s.stride_w = stride;
  return s;
}

}  // namespace

std::unique_ptr<workload> make_cudnn_conv_workload(const std::string& pass, int n, int c, int hw,
                                                   int k, int rs, int pad, int stride,
                                                   std::uint64_t seed) {
  const cudnn_row* row = nullptr;
  for (const cudnn_row& candidate : kCudnnPasses)
    if (pass == candidate.pass) row = &candidate;
  if (row == nullptr)
    throw std::invalid_argument("make_cudnn_conv_workload: unknown pass \"" + pass + "\"");
  return std::make_unique<cudnn_conv_workload>(row->op, make_shape(n, c, hw, k, rs, pad, stride),
                                               seed);
}

void register_cudnn_conv(registry& r, const suite_config& config) {
  const int n = config.quick ? 8 : 32;
  // Forward in both precisions on every layer; the backward passes on the 3×3 layer.
  for (const resnet_layer& l : kResnet50Layers)
    for (const char* pass : {"f32.fwd", "f16.fwd"})
      r.add(make_cudnn_conv_workload(pass, n, l.c, l.hw, l.k, l.rs, l.pad, l.stride,
                                     derive_seed(config.seed, l.seed_stream)));
  const resnet_layer& l = kResnet50Layers[0];
  for (const char* pass : {"f32.bwd_data", "f32.bwd_filter"})
    r.add(make_cudnn_conv_workload(pass, n, l.c, l.hw, l.k, l.rs, l.pad, l.stride,
                                   derive_seed(config.seed, l.seed_stream)));
}

}  // namespace wslcuda
