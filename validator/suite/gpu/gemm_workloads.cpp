// GEMM family: our SIMT SGEMM and cuBLAS SGEMM on the same seeded problem.

#include <algorithm>
#include <memory>
#include <optional>

#include "gemm/gemm.hpp"
#include "gemm/gemm_cublas.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

/// Inputs and fp64 reference of one GEMM problem, shared by every implementation of it so the
/// O(M·N·K) reference is computed once. A and B are uniform_nonzero with seeds derived from
/// the run seed (streams 1 and 2).
class gemm_problem {
 public:
  gemm_problem(int m, int n, int k, std::uint64_t seed) : m_(m), n_(n), k_(k), seed_(seed) {}
  int m() const noexcept { return m_; }
  int n() const noexcept { return n_; }
  int k() const noexcept { return k_; }
  std::uint64_t seed() const noexcept { return seed_; }
  const std::vector<float>& a() {
    if (a_.empty()) a_ = uniform_nonzero(static_cast<std::size_t>(m_) * k_, derive_seed(seed_, 1));
    return a_;
  }
  const std::vector<float>& b() {
    if (b_.empty()) b_ = uniform_nonzero(static_cast<std::size_t>(k_) * n_, derive_seed(seed_, 2));
    return b_;
  }
  const std::vector<double>& reference() {
    if (ref_.empty()) gemm_reference(m_, n_, k_, a(), b(), ref_, abs_ref_);
    return ref_;
  }
  const std::vector<double>& abs_reference() {
    reference();
    return abs_ref_;
  }

 private:
  int m_, n_, k_;
  std::uint64_t seed_;
  std::vector<float> a_, b_;
  std::vector<double> ref_, abs_ref_;
};

class gemm_f32_workload final : public workload {
 public:
  gemm_f32_workload(gemm_impl impl, std::shared_ptr<gemm_problem> problem, void* cublas,
                    const suite_config& config)
      : impl_(impl), problem_(std::move(problem)), cublas_dl_(cublas) {
    const gemm_problem& p = *problem_;
    // Row blocks of C launched separately when a watchdog would kill one long launch; each
    // block is a multiple of the 128-row tile so the kernel's tiling is unchanged.
    const int launches = tdr_launches(config, flops());
    rows_per_launch_ = ((p.m() + launches - 1) / launches + 127) / 128 * 128;
    const char* name = impl == gemm_impl::own ? "own" : "cublas";
    info_.id = std::string("gemm.") + name + ".f32.m" + std::to_string(p.m()) + "n" +
               std::to_string(p.n()) + "k" + std::to_string(p.k());
    info_.family = "gemm";
    info_.implementation = name;
    info_.precision = "f32";
    info_.shape = {{"M", p.m()}, {"N", p.n()}, {"K", p.k()}};
    info_.seed = p.seed();
    info_.setup_estimate_s =
        2.0 * p.m() * static_cast<double>(p.n()) * p.k() / 1e9;  // fp64 reference at ~1 GFLOP/s
    if (impl == gemm_impl::cublas) info_.requirements.libraries = {"cublas"};
    info_.description = impl == gemm_impl::own
                            ? "C = A*B, row-major fp32, our tiled SIMT SGEMM (128x128x8 tiles)"
                            : "C = A*B, row-major fp32, cublasSgemm (default math: no TF32)";
  }
  const workload_info& info() const noexcept override { return info_; }
  double flops() const noexcept override {
    return 2.0 * problem_->m() * static_cast<double>(problem_->n()) * problem_->k();
  }
  double bytes() const noexcept override {
    const double m = problem_->m(), n = problem_->n(), k = problem_->k();
    return sizeof(float) * (m * k + k * n + m * n);
  }
  void prepare(execution_context& ctx) override {
    a_ = upload(problem_->a());
    b_ = upload(problem_->b());
    c_ = device_buffer<float>(static_cast<std::size_t>(problem_->m()) * problem_->n());
    if (impl_ == gemm_impl::cublas) {
      api_ = kernels::cublas_api::resolve(cublas_dl_);
      handle_ = std::make_unique<kernels::cublas_handle>(*api_, stream_of(ctx));
    }
  }
  void run(execution_context& ctx) override {
    const int m = problem_->m(), n = problem_->n(), k = problem_->k();
    if (impl_ == gemm_impl::own) {
      WSLCUDA_CUDA_CHECK(
          kernels::launch_sgemm_tiled(m, n, k, a_.get(), b_.get(), c_.get(), stream_of(ctx)));
    } else {
      kernels::cublas_sgemm_row_major(*handle_, m, n, k, a_.get(), b_.get(), c_.get());
    }
  }
  check_result verify(execution_context& ctx) override {
    poison(c_, stream_of(ctx));
    run(ctx);
    const std::vector<float> c = download(c_, stream_of(ctx));
    const error_bound bound = dot_product_bound(problem_->k(), number_format::f32);
    return check_arrays(c.data(), problem_->reference().data(), problem_->abs_reference().data(),
                        static_cast<std::int64_t>(c.size()),
                        count_non_finite(c.data(), static_cast<std::int64_t>(c.size())),
                        bound.value, "max_ij |C - C_ref| / (|A||B|)_ij", bound.method);
  }
  void release() noexcept override {
    handle_.reset();
    a_.reset();
    b_.reset();
    c_.reset();
  }

 private:
  gemm_impl impl_;
  std::shared_ptr<gemm_problem> problem_;
  void* cublas_dl_;
  int rows_per_launch_ = 0;
  workload_info info_;
  device_buffer<float> a_, b_, c_;
  std::optional<kernels::cublas_api> api_;
  std::unique_ptr<kernels::cublas_handle> handle_;
};

}  // namespace

std::unique_ptr<workload> make_gemm_f32_workload(gemm_impl impl, int m, int n, int k,
                                                 std::uint64_t seed, void* cublas,
                                                 const suite_config& config) {
  return std::make_unique<gemm_f32_workload>(impl, std::make_shared<gemm_problem>(m, n, k, seed),
                                             cublas, config);
}

void register_gemm(registry& r, const suite_config& config) {
  // 1024³ in both modes: every element is checked against a full fp64 reference
  // (2·M·N·K = 2.1 GFLOP on the CPU, computed once for both implementations).
  auto problem = std::make_shared<gemm_problem>(1024, 1024, 1024, derive_seed(config.seed, 100));
  r.add(std::make_unique<gemm_f32_workload>(gemm_impl::own, problem, config.cublas, config));
  r.add(std::make_unique<gemm_f32_workload>(gemm_impl::cublas, problem, config.cublas, config));
}

}  // namespace wslcuda
