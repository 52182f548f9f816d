// Reduction family: our two-stage sum.

#include "reduction/reduction.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

class reduce_sum_f32_workload final : public workload {
 public:
  reduce_sum_f32_workload(std::int64_t n, std::uint64_t seed) : n_(n) {
    info_.id = "reduce.own.f32.sum.n" + std::to_string(n);
    info_.family = "reduce";
    info_.implementation = "own";
    info_.precision = "f32";
    info_.shape = {{"N", n}};
    info_.seed = seed;
    info_.description = "sum of N fp32 values, our two-stage tree reduction (no atomics)";
  }
  const workload_info& info() const noexcept override { return info_; }
  double flops() const noexcept override { return 0.0; }  // memory-bound: reported in B/s
  double bytes() const noexcept override { return sizeof(float) * static_cast<double>(n_); }
  void prepare(execution_context&) override {
    if (x_host_.empty()) {
      x_host_ = uniform_nonzero(static_cast<std::size_t>(n_), derive_seed(info_.seed, 1));
      reference_ = sum_reference(x_host_.data(), n_);
    }
    int device = 0, sms = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    plan_ = kernels::plan_reduce_sum_f32(n_, sms);
    x_ = upload(x_host_);
    workspace_ = device_buffer<float>(static_cast<std::size_t>(plan_.workspace));
    out_ = device_buffer<float>(1);
  }
  void run(execution_context& ctx) override {
    WSLCUDA_CUDA_CHECK(kernels::launch_reduce_sum_f32(plan_, x_.get(), n_, workspace_.get(),
                                                      out_.get(), stream_of(ctx)));
  }
  check_result verify(execution_context& ctx) override {
    poison(workspace_, stream_of(ctx));
    poison(out_, stream_of(ctx));
    run(ctx);
    const std::vector<float> out = download(out_, stream_of(ctx));
    const error_bound bound = summation_bound(plan_.tree_height, n_, number_format::f32);
    return check_elements({{0, out[0], reference_.value, reference_.scale}},
                          count_non_finite(out.data(), 1), bound.value,
                          "|sum - sum_ref| / sum|x_i|", bound.method);
  }
  void release() noexcept override {
    x_.reset();
    workspace_.reset();
    out_.reset();
  }

 private:
  std::int64_t n_;
  workload_info info_;
  std::vector<float> x_host_;
  reference_value reference_;
  kernels::reduce_plan plan_;
  device_buffer<float> x_, workspace_, out_;
};

}  // namespace

std::unique_ptr<workload> make_reduce_sum_f32_workload(std::int64_t n, std::uint64_t seed) {
  return std::make_unique<reduce_sum_f32_workload>(n, seed);
}

void register_reduction(registry& r, const suite_config& config) {
  // 2^24 floats = 64 MiB: larger than the L2 of every current GPU (H100: 50 MB), so the sum
  // streams from DRAM.
  r.add(std::make_unique<reduce_sum_f32_workload>(std::int64_t{1} << 24,
                                                  derive_seed(config.seed, 300)));
}

}  // namespace wslcuda
