// Convolution family: our direct NCHW convolution and our tensor-core implicit GEMM (NHWC).

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

/// One of our convolution kernels: the id's precision and op, one line for `wslcuda list`, and
/// how much faster than the fp32 peak it is assumed to run when its launches are split for a
/// watchdog (tdr_launches).
struct conv_row {
  const char* precision;
  const char* op;
  const char* description;
  double speed_over_fp32;
};

const conv_row kDirect{"f32", "direct",
                       "2-D convolution forward (cross-correlation), NCHW fp32, our direct kernel",
                       1.0};
const conv_row kImplicitGemm{
    "f16", "implicit_gemm",
    "2-D convolution forward, NHWC fp16 in, fp32 accumulate and out, our implicit GEMM on tensor "
    "cores (WMMA)",
    8.0};  // tensor cores: at least 8x the fp32 rate

/// Our convolutions: one worker for the family (one context creation).
workload_traits traits_of(const conv_row& row) {
  return {"conv", row.description};
}

/// Images per launch: all of them, or groups small enough that no launch outlives a watchdog.
int images_per_launch(const kernels::conv2d_shape& shape, const conv_row& row,
                      const suite_config& config) {
  const int launches = tdr_launches(config, shape.flops() / row.speed_over_fp32);
  return (shape.n + launches - 1) / launches;
}

/// What our two convolutions share (duplicate pair D2 of the 2026-12-03 review): the problem
/// and its seeded fp32 NCHW inputs on the host, the fp32 output, groups of images launched
/// separately so no launch outlives a watchdog, and the sampled check against the fp64
/// reference. A kernel adds its device layout (upload_inputs), its launch of one group of
/// images, the output's conversion to NCHW and its error bound.
template <typename Input>
class conv_workload_base : public workload_base {
 public:
  double flops() const noexcept override { return shape_.flops(); }
  void prepare(execution_context&) override {
    if (x_host_.empty()) {
      x_host_ = uniform_nonzero(static_cast<std::size_t>(shape_.x_elements()),
                                derive_seed(info_.seed, 1));
      w_host_ = uniform_nonzero(static_cast<std::size_t>(shape_.w_elements()),
                                derive_seed(info_.seed, 2));
      round_inputs(x_host_);
      round_inputs(w_host_);
    }
    upload_inputs();
    y_ = device_buffer<float>(static_cast<std::size_t>(shape_.y_elements()));
  }
  void run(execution_context& ctx) override {
    for (int first = 0; first < shape_.n; first += images_per_launch_) {
      kernels::conv2d_shape part = shape_;
      part.n = std::min(images_per_launch_, shape_.n - first);
      WSLCUDA_CUDA_CHECK(launch(part, first, stream_of(ctx)));
    }
  }
  check_result verify(execution_context& ctx) override {
    poison(y_, stream_of(ctx));
    run(ctx);
    const std::vector<float> y = to_nchw(download(y_, stream_of(ctx)));
    return check_forward_sampled(shape_, x_host_, w_host_, y, info_.seed, bound());
  }
  void release() noexcept override {
    x_.reset();
    w_.reset();
    y_.reset();
  }

 protected:
  conv_workload_base(const conv_row& row, const kernels::conv2d_shape& shape, std::uint64_t seed,
                     const suite_config& config)
      : workload_base({"conv", "own", row.precision, row.op, shape.named_extents(), shape.label()},
                      traits_of(row), seed),
        shape_(shape),
        images_per_launch_(images_per_launch(shape, row, config)) {}

  /// Rounds a host input to what the kernel's input format holds (nothing for fp32).
  virtual void round_inputs(std::vector<float>& v) const = 0;
  /// Sets x_ and w_ from x_host_ and w_host_ in the kernel's layout.
  virtual void upload_inputs() = 0;
  /// Enqueues the convolution of `part.n` images starting at image `first`.
  virtual cudaError_t launch(const kernels::conv2d_shape& part, int first, cudaStream_t stream) = 0;
  /// The downloaded output in NCHW order.
  virtual std::vector<float> to_nchw(std::vector<float> y) const = 0;
  /// The bound the sampled outputs are checked under.
  virtual error_bound bound() const = 0;

  kernels::conv2d_shape shape_;
  int images_per_launch_ = 1;
  std::vector<float> x_host_, w_host_;
  device_buffer<Input> x_, w_;
  device_buffer<float> y_;
};

/// Our direct NCHW fp32 convolution.
class conv_direct_f32_workload final : public conv_workload_base<float> {
 public:
  conv_direct_f32_workload(const kernels::conv2d_shape& shape, std::uint64_t seed,
                           const suite_config& config)
      : conv_workload_base(kDirect, shape, seed, config) {}
  double bytes() const noexcept override {
    return sizeof(float) *
           static_cast<double>(shape_.x_elements() + shape_.w_elements() + shape_.y_elements());
  }

 private:
  void round_inputs(std::vector<float>&) const override {}
  void upload_inputs() override {
    x_ = upload(x_host_);
    w_ = upload(w_host_);
  }
  cudaError_t launch(const kernels::conv2d_shape& part, int first, cudaStream_t s) override {
    return kernels::launch_conv2d_direct_f32_nchw(
        part, x_.get() + first * shape_.c * std::int64_t{shape_.h} * shape_.w, w_.get(),
        y_.get() + first * shape_.k * std::int64_t{shape_.p()} * shape_.q(), s);
  }
  std::vector<float> to_nchw(std::vector<float> y) const override { return y; }
  error_bound bound() const override {
    return dot_product_bound(shape_.reduction_length(), number_format::f32);
  }
};

/// Our tensor-core implicit-GEMM convolution: NHWC fp16 in, fp32 accumulate, NHWC fp32 out, on
/// the direct kernel's inputs (same seeds) rounded to fp16.
class conv_implicit_gemm_f16_workload final : public conv_workload_base<__half> {
 public:
  conv_implicit_gemm_f16_workload(const kernels::conv2d_shape& shape, std::uint64_t seed,
                                  const suite_config& config)
      : conv_workload_base(kImplicitGemm, shape, seed, config) {}
  double bytes() const noexcept override {
    return 2.0 * static_cast<double>(shape_.x_elements() + shape_.w_elements()) +
           4.0 * static_cast<double>(shape_.y_elements());
  }

 private:
  void round_inputs(std::vector<float>& v) const override { round_to_half(v); }
  void upload_inputs() override {
    x_ = upload(nchw_to_nhwc_half(x_host_, shape_.n, shape_.c, shape_.h, shape_.w));
    w_ = upload(nchw_to_nhwc_half(w_host_, shape_.k, shape_.c, shape_.r, shape_.s));
  }
  cudaError_t launch(const kernels::conv2d_shape& part, int first, cudaStream_t s) override {
    return kernels::launch_conv2d_implicit_gemm_f16_nhwc(
        part, x_.get() + first * std::int64_t{shape_.h} * shape_.w * shape_.c, w_.get(),
        y_.get() + first * std::int64_t{shape_.p()} * shape_.q() * shape_.k, s);
  }
  std::vector<float> to_nchw(std::vector<float> nhwc) const override {
    std::vector<float> nchw(nhwc.size());
    for (std::size_t i = 0; i < nchw.size(); ++i)
      nchw[i] = nhwc[nhwc_index_of(i, shape_.k, shape_.p(), shape_.q())];
    return nchw;
  }
  error_bound bound() const override {
    return tensor_core_gemm_bound(shape_.reduction_length(), number_format::f16, false);
  }
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
