// Convolution family: our direct NCHW convolution.

#include <algorithm>
#include <random>

#include "conv/conv.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

/// Outputs compared with the fp64 reference: a seeded uniform sample (every output is still
/// scanned for NaN, so an unwritten element fails even when it is not sampled).
constexpr std::int64_t kSampledOutputs = 8192;

class conv_direct_f32_workload final : public workload {
 public:
  conv_direct_f32_workload(const kernels::conv2d_shape& shape, std::uint64_t seed,
                           const suite_config& config)
      : shape_(shape) {
    // Images launched in groups when a watchdog would kill one long launch.
    const int launches = tdr_launches(config, shape.flops());
    images_per_launch_ = (shape.n + launches - 1) / launches;
    info_.id = "conv.own.f32.direct." + shape.label();
    info_.family = "conv";
    info_.group = "conv";  // one worker for the family: one context creation
    info_.implementation = "own";
    info_.precision = "f32";
    info_.shape = shape.named_extents();
    info_.seed = seed;
    info_.description = "2-D convolution forward (cross-correlation), NCHW fp32, our direct kernel";
  }
  const workload_info& info() const noexcept override { return info_; }
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
    WSLCUDA_CUDA_CHECK(kernels::launch_conv2d_direct_f32_nchw(shape_, x_.get(), w_.get(), y_.get(),
                                                              stream_of(ctx)));
  }
  check_result verify(execution_context& ctx) override {
    poison(y_, stream_of(ctx));
    run(ctx);
    const std::vector<float> y = download(y_, stream_of(ctx));
    const std::int64_t total = shape_.y_elements();
    std::vector<compared_element> sample;
    std::mt19937_64 rng(derive_seed(info_.seed, 3));
    const int P = shape_.p(), Q = shape_.q();
    const std::int64_t count = std::min<std::int64_t>(kSampledOutputs, total);
    for (std::int64_t i = 0; i < count; ++i) {
      // Every output when the tensor is small, else uniform draws (with replacement).
      const std::int64_t idx =
          count == total ? i : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total));
      const int q = static_cast<int>(idx % Q), p = static_cast<int>((idx / Q) % P);
      const int kk = static_cast<int>((idx / (std::int64_t{P} * Q)) % shape_.k);
      const int img = static_cast<int>(idx / (std::int64_t{P} * Q * shape_.k));
      const reference_value ref =
          conv2d_reference_at(shape_, x_host_.data(), w_host_.data(), img, kk, p, q);
      sample.push_back({idx, y[static_cast<std::size_t>(idx)], ref.value, ref.scale});
    }
    const error_bound bound = dot_product_bound(shape_.reduction_length(), number_format::f32);
    return check_elements(sample, count_non_finite(y.data(), total), bound.value,
                          "max |y - y_ref| / sum|x*w| over sampled outputs",
                          bound.method + "; " + std::to_string(count) +
                              " seeded sampled outputs, all outputs scanned for NaN");
  }
  void release() noexcept override {
    x_.reset();
    w_.reset();
    y_.reset();
  }

 private:
  kernels::conv2d_shape shape_;
  int images_per_launch_ = 1;
  workload_info info_;
  std::vector<float> x_host_, w_host_;
  device_buffer<float> x_, w_, y_;
};

}  // namespace

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
  // ResNet-50 conv2_x 3×3 layer (He et al., CVPR 2016, Table 1): C = K = 64, 56×56, pad 1,
  // batch 32 (8 with --quick).
  const int n = config.quick ? 8 : 32;
  r.add(make_conv_direct_f32_workload(n, 64, 56, 56, 64, 3, 3, 1, 1, derive_seed(config.seed, 200),
                                      config));
  // conv2_x 1×1 reduction layer (C = 256 → K = 64) and the 7×7 stride-2 stem (conv1).
  r.add(make_conv_direct_f32_workload(n, 256, 56, 56, 64, 1, 1, 0, 1, derive_seed(config.seed, 201),
                                      config));
  r.add(make_conv_direct_f32_workload(n, 3, 224, 224, 64, 7, 7, 3, 2, derive_seed(config.seed, 202),
                                      config));
}

}  // namespace wslcuda
