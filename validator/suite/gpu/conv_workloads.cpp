// Convolution family: our direct NCHW convolution.

#include <algorithm>
#include <random>

#include "conv/conv.hpp"
#include "suite/gpu/conv_workloads.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/layout.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

/// Outputs compared with the fp64 reference: a seeded uniform sample (every output is still
/// scanned for NaN, so an unwritten element fails even when it is not sampled).
constexpr std::int64_t kSampledOutputs = 8192;

/// Compares a forward output `y` (NCHW fp32) with the fp64 reference on kSampledOutputs seeded
/// outputs (every output when fewer), scanning all of it for NaN.
check_result check_forward_sampled(const kernels::conv2d_shape& shape, const std::vector<float>& x,
                                   const std::vector<float>& w, const std::vector<float>& y,
                                   std::uint64_t seed, const error_bound& bound) {
  const std::int64_t total = shape.y_elements();
  std::vector<compared_element> sample;
  std::mt19937_64 rng(derive_seed(seed, 3));
  const int P = shape.p(), Q = shape.q();
  const std::int64_t count = std::min<std::int64_t>(kSampledOutputs, total);
  for (std::int64_t i = 0; i < count; ++i) {
    // Every output when the tensor is small, else uniform draws (with replacement).
    const std::int64_t idx =
        count == total ? i : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total));
    const int q = static_cast<int>(idx % Q), p = static_cast<int>((idx / Q) % P);
    const int kk = static_cast<int>((idx / (std::int64_t{P} * Q)) % shape.k);
    const int img = static_cast<int>(idx / (std::int64_t{P} * Q * shape.k));
    const reference_value ref = conv2d_reference_at(shape, x.data(), w.data(), img, kk, p, q);
    sample.push_back({idx, y[static_cast<std::size_t>(idx)], ref.value, ref.scale});
  }
  return check_elements(sample, count_non_finite(y.data(), total), bound.value,
                        "max |y - y_ref| / sum|x*w| over sampled outputs",
                        bound.method + "; " + std::to_string(count) +
                            " seeded sampled outputs, all outputs scanned for NaN");
}

class conv_direct_f32_workload final : public workload_base {
 public:
  conv_direct_f32_workload(const kernels::conv2d_shape& shape, std::uint64_t seed,
                           const suite_config& config)
      : workload_base("conv", "own", "f32", "direct", shape.named_extents(), shape.label()),
        shape_(shape) {
    // Images launched in groups when a watchdog would kill one long launch.
    const int launches = tdr_launches(config, shape.flops());
    images_per_launch_ = (shape.n + launches - 1) / launches;
    info_.group = "conv";  // one worker for the family: one context creation
    info_.seed = seed;
    info_.description = "2-D convolution forward (cross-correlation), NCHW fp32, our direct kernel";
  }
  double flops() const noexcept override { return shape_.flops(); }
  double bytes() const noexcept override {
    return sizeof(float) *
           static_cast<double>(shape_.x_elements() + shape_.w_elements() + shape_.y_elements());
  }
  void prepare(execution_context&) override {
    if (x_host_.empty()) {
      x_host_ = uniform_nonzero(static_cast<std::size_t>(shape_.x_elements()),
                                derive_seed(info_.seed, 1));
      w_host_ = uniform_nonzero(static_cast<std::size_t>(shape_.w_elements()),
                                derive_seed(info_.seed, 2));
    }
    x_ = upload(x_host_);
    w_ = upload(w_host_);
    y_ = device_buffer<float>(static_cast<std::size_t>(shape_.y_elements()));
  }
  void run(execution_context& ctx) override {
    // Groups of images per launch, so no launch outlives a watchdog (one group without one).
    for (int first = 0; first < shape_.n; first += images_per_launch_) {
      kernels::conv2d_shape part = shape_;
      part.n = std::min(images_per_launch_, shape_.n - first);
      WSLCUDA_CUDA_CHECK(kernels::launch_conv2d_direct_f32_nchw(
          part, x_.get() + first * shape_.c * std::int64_t{shape_.h} * shape_.w, w_.get(),
          y_.get() + first * shape_.k * std::int64_t{shape_.p()} * shape_.q(), stream_of(ctx)));
    }
  }
  check_result verify(execution_context& ctx) override {
    poison(y_, stream_of(ctx));
    run(ctx);
    const std::vector<float> y = download(y_, stream_of(ctx));
    return check_forward_sampled(shape_, x_host_, w_host_, y, info_.seed,
                                 dot_product_bound(shape_.reduction_length(), number_format::f32));
  }
  void release() noexcept override {
    x_.reset();
    w_.reset();
    y_.reset();
  }

 private:
  kernels::conv2d_shape shape_;
  int images_per_launch_ = 1;
  std::vector<float> x_host_, w_host_;
  device_buffer<float> x_, w_, y_;
};

/// Our tensor-core implicit-GEMM convolution: NHWC fp16 in, fp32 accumulate, NHWC fp32 out.
class conv_implicit_gemm_f16_workload final : public workload_base {
 public:
  conv_implicit_gemm_f16_workload(const kernels::conv2d_shape& shape, std::uint64_t seed,
                                  const suite_config& config)
      : workload_base("conv", "own", "f16", "implicit_gemm", shape.named_extents(), shape.label()),
        shape_(shape) {
    const int launches = tdr_launches(config, shape.flops() / 8.0);  // tensor cores: ≥ 8× fp32
    images_per_launch_ = (shape.n + launches - 1) / launches;
    info_.group = "conv";
    info_.seed = seed;
    info_.description =
        "2-D convolution forward, NHWC fp16 in, fp32 accumulate and out, our implicit GEMM on "
        "tensor cores (WMMA)";
  }
  double flops() const noexcept override { return shape_.flops(); }
  double bytes() const noexcept override {
    return 2.0 * static_cast<double>(shape_.x_elements() + shape_.w_elements()) +
           4.0 * static_cast<double>(shape_.y_elements());
  }
  void prepare(execution_context&) override {
    if (x_host_.empty()) {  // the direct kernel's inputs (same seeds), rounded to fp16
      x_host_ = uniform_nonzero(static_cast<std::size_t>(shape_.x_elements()),
                                derive_seed(info_.seed, 1));
      w_host_ = uniform_nonzero(static_cast<std::size_t>(shape_.w_elements()),
                                derive_seed(info_.seed, 2));
      round_to_half(x_host_);
      round_to_half(w_host_);
    }
    x_ = upload(nchw_to_nhwc_half(x_host_, shape_.n, shape_.c, shape_.h, shape_.w));
    w_ = upload(nchw_to_nhwc_half(w_host_, shape_.k, shape_.c, shape_.r, shape_.s));
    y_ = device_buffer<float>(static_cast<std::size_t>(shape_.y_elements()));
  }
  void run(execution_context& ctx) override {
    for (int first = 0; first < shape_.n; first += images_per_launch_) {
      kernels::conv2d_shape part = shape_;
      part.n = std::min(images_per_launch_, shape_.n - first);
      WSLCUDA_CUDA_CHECK(kernels::launch_conv2d_implicit_gemm_f16_nhwc(
          part, x_.get() + first * std::int64_t{shape_.h} * shape_.w * shape_.c, w_.get(),
          y_.get() + first * std::int64_t{shape_.p()} * shape_.q() * shape_.k, stream_of(ctx)));
    }
  }
  check_result verify(execution_context& ctx) override {
    poison(y_, stream_of(ctx));
    run(ctx);
    const std::vector<float> nhwc = download(y_, stream_of(ctx));
    std::vector<float> nchw(nhwc.size());
    for (std::size_t i = 0; i < nchw.size(); ++i)
      nchw[i] = nhwc[nhwc_index_of(i, shape_.k, shape_.p(), shape_.q())];
    return check_forward_sampled(
        shape_, x_host_, w_host_, nchw, info_.seed,
        tensor_core_gemm_bound(shape_.reduction_length(), number_format::f16, false));
  }
  void release() noexcept override {
    x_.reset();
    w_.reset();
    y_.reset();
  }

 private:
  kernels::conv2d_shape shape_;
  int images_per_launch_ = 1;
  std::vector<float> x_host_, w_host_;
  device_buffer<__half> x_, w_;
  device_buffer<float> y_;
};

}  // namespace

std::unique_ptr<workload> make_conv_implicit_gemm_f16_workload(int n, int c, int h, int w, int k,
                                                               int r, int s, int pad, int stride,
                                                               std::uint64_t seed,
                                                               const suite_config& config) {
  kernels::conv2d_shape shape;
  shape.n = n, shape.c = c, shape.h = h, shape.w = w, shape.k = k, shape.r = r, shape.s = s;
  shape.pad_h = shape.pad_w = pad;
  shape.stride_h = shape.stride_w = stride;
  if (!shape.valid()) throw std::invalid_argument("invalid convolution shape " + shape.label());
  return std::make_unique<conv_implicit_gemm_f16_workload>(shape, seed, config);
}

std::unique_ptr<workload> make_conv_direct_f32_workload(int n, int c, int h, int w, int k, int r,
                                                        int s, int pad, int stride,
                                                        std::uint64_t seed,
                                                        const suite_config& config) {
  kernels::conv2d_shape shape;
  shape.n = n;
  shape.c = c;
  shape.h = h;
  shape.w = w;
  shape.k = k;
  shape.r = r;
  shape.s = s;
  shape.pad_h = shape.pad_w = pad;
  shape.stride_h = shape.stride_w = stride;
  return std::make_unique<conv_direct_f32_workload>(shape, seed, config);
}

void register_conv(registry& r, const suite_config& config) {
  const int n = config.quick ? 8 : 32;
  for (const resnet_layer& l : kResnet50Layers) {
    const std::uint64_t seed = derive_seed(config.seed, l.seed_stream);
    r.add(make_conv_direct_f32_workload(n, l.c, l.hw, l.hw, l.k, l.rs, l.rs, l.pad, l.stride, seed,
                                        config));
    r.add(make_conv_implicit_gemm_f16_workload(n, l.c, l.hw, l.hw, l.k, l.rs, l.rs, l.pad, l.stride,
                                               seed, config));
  }
}

}  // namespace wslcuda
