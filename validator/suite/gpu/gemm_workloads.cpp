// GEMM family: our SIMT SGEMM and tensor-core (WMMA) GEMM beside cuBLAS (SGEMM and GemmEx for
// tf32, fp16, bf16), on the same seeded problems. C is fp32 everywhere.

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>

#include "dynload/cublas.hpp"
#include "dynload/library_loader.hpp"
#include "gemm/gemm.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/gemm_workloads.hpp"
#include "suite/graph_batch.hpp"
#include "verify/freivalds.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

/// Problems up to this many multiply-adds get a full fp64 reference (1024³ takes about a second
/// on one core); larger ones Freivalds' check plus sampled entries.
constexpr double kFullReferenceMacs = 2147483648.0;  // 2^31

/// The storage format of A and B.
enum class input_format { f32, f16, bf16 };

input_format format_of(gemm_precision precision) {
  if (precision == gemm_precision::f16) return input_format::f16;
  if (precision == gemm_precision::bf16) return input_format::bf16;
  return input_format::f32;  // f32 and tf32 (cuBLAS rounds fp32 inputs to tf32 itself)
}

float round_to(input_format f, float v) {
  switch (f) {
    case input_format::f16:
      return __half2float(__float2half_rn(v));
    case input_format::bf16:
      return __bfloat162float(__float2bfloat16_rn(v));
    case input_format::f32:
      return v;
  }
  return v;
}

/// Inputs (already rounded to their storage format, so the reference sees exactly what the GPU
/// sees) and, for small problems, the fp64 reference; shared by every implementation of it.
class gemm_problem {
 public:
  gemm_problem(int m, int n, int k, std::uint64_t seed, input_format f)
      : m_(m), n_(n), k_(k), seed_(seed), format_(f) {}
  int m() const noexcept { return m_; }
  int n() const noexcept { return n_; }
  int k() const noexcept { return k_; }
  std::uint64_t seed() const noexcept { return seed_; }
  input_format format() const noexcept { return format_; }
  double macs() const noexcept { return static_cast<double>(m_) * n_ * k_; }
  bool full_reference() const noexcept { return macs() <= kFullReferenceMacs; }
  const std::vector<float>& a() {
    if (a_.empty())
      a_ = rounded(uniform_nonzero(static_cast<std::size_t>(m_) * k_, derive_seed(seed_, 1)));
    return a_;
  }
  const std::vector<float>& b() {
    if (b_.empty())
      b_ = rounded(uniform_nonzero(static_cast<std::size_t>(k_) * n_, derive_seed(seed_, 2)));
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
  /// Frees the host copies (large problems) once the workload is done with them.
  void release() {
    std::vector<float>().swap(a_);
    std::vector<float>().swap(b_);
    std::vector<double>().swap(ref_);
    std::vector<double>().swap(abs_ref_);
  }

 private:
  /// Rounds to the storage format. The inputs are non-zero multiples of 2^-23 in [-1, 1), which
  /// fp16 (subnormals down to 2^-24) and bf16 both represent, so none becomes zero.
  std::vector<float> rounded(std::vector<float> v) const {
    for (float& x : v) x = round_to(format_, x);
    return v;
  }
  int m_, n_, k_;
  std::uint64_t seed_;
  input_format format_;
  std::vector<float> a_, b_;
  std::vector<double> ref_, abs_ref_;
};

/// A and B on the device in their storage format.
struct device_inputs {
  device_buffer<float> a32, b32;
  device_buffer<__half> a16, b16;
  device_buffer<__nv_bfloat16> abf, bbf;
};

template <typename T, typename Convert>
device_buffer<T> upload_as(const std::vector<float>& host, Convert convert) {
  std::vector<T> converted(host.size());
  std::transform(host.begin(), host.end(), converted.begin(), convert);
  return upload(converted);
}

/// One of our GEMM kernels: what the family needs to register, describe and launch it. Adding a
/// kernel to the family is its launcher in kernels/gemm/ and a row of kOwnKernels.
struct own_kernel {
  const char* op;  ///< the id's op part: "" for the family's main kernel of that precision
  gemm_precision precision;
  int min_compute_capability;  ///< major·10 + minor; 0 for none
  const char* description;     ///< one line for `wslcuda list`
  /// Launches C[rows×n] = A[a_off…]·B on `stream`; returns the launch error.
  cudaError_t (*launch)(int rows, int n, int k, const device_inputs& in, std::size_t a_off,
                        float* c, cudaStream_t stream);
};

const own_kernel kOwnKernels[] = {
    {"", gemm_precision::f32, 0, "C = A*B, row-major fp32, our tiled SIMT SGEMM (128x128x8 tiles)",
     [](int rows, int n, int k, const device_inputs& in, std::size_t a_off, float* c,
        cudaStream_t s) {
       return kernels::launch_sgemm_tiled(rows, n, k, in.a32.get() + a_off, in.b32.get(), c, s);
     }},
    {"", gemm_precision::f16, 80,
     "C = A*B, row-major, f16 in, fp32 accumulate, our WMMA tensor-core GEMM",
     [](int rows, int n, int k, const device_inputs& in, std::size_t a_off, float* c,
        cudaStream_t s) {
       return kernels::launch_gemm_wmma_f16(rows, n, k, in.a16.get() + a_off, in.b16.get(), c, s);
     }},
    {"", gemm_precision::bf16, 80,
     "C = A*B, row-major, bf16 in, fp32 accumulate, our WMMA tensor-core GEMM",
     [](int rows, int n, int k, const device_inputs& in, std::size_t a_off, float* c,
        cudaStream_t s) {
       return kernels::launch_gemm_wmma_bf16(rows, n, k, in.abf.get() + a_off, in.bbf.get(), c, s);
     }},
};

/// The family's main kernel of `precision` (op ""), or nullptr (tf32 is cuBLAS only).
const own_kernel* main_own_kernel(gemm_precision precision) {
  for (const own_kernel& k : kOwnKernels)
    if (k.precision == precision && *k.op == '\0') return &k;
  return nullptr;
}

/// cuBLAS's GEMM of one precision: the routine and math it is called with (its heuristics
/// choose the kernel: the API does not name it), its compute-capability requirement (tensor
/// cores: f16 from sm_70 on, bf16 and tf32 from sm_80) and one line for `wslcuda list`.
struct cublas_gemm {
  gemm_precision precision;
  int min_compute_capability;
  const char* description;
  const char* algorithm;
};

const cublas_gemm kCublasGemms[] = {
    {gemm_precision::f32, kCuda13MinComputeCapability,
     "C = A*B, row-major fp32, cublasSgemm (default math: no TF32)",
     "cublasSgemm, CUBLAS_DEFAULT_MATH (cuBLAS's heuristics choose the kernel; this API does not "
     "name it)"},
    {gemm_precision::tf32, 80, "C = A*B, row-major, tf32 in, fp32 out, cublasGemmEx",
     "cublasGemmEx, CUBLAS_GEMM_DEFAULT, CUBLAS_COMPUTE_32F_FAST_TF32 (cuBLAS's heuristics choose "
     "the kernel; this API does not name it)"},
    {gemm_precision::f16, kCuda13MinComputeCapability,
     "C = A*B, row-major, f16 in, fp32 out, cublasGemmEx",
     "cublasGemmEx, CUBLAS_GEMM_DEFAULT, CUBLAS_COMPUTE_32F (cuBLAS's heuristics choose the "
     "kernel; this API does not name it)"},
    {gemm_precision::bf16, 80, "C = A*B, row-major, bf16 in, fp32 out, cublasGemmEx",
     "cublasGemmEx, CUBLAS_GEMM_DEFAULT, CUBLAS_COMPUTE_32F (cuBLAS's heuristics choose the "
     "kernel; this API does not name it)"},
};

/// cuBLAS's row of `precision`.
const cublas_gemm& cublas_row(gemm_precision precision) {
  return row_where(
      kCublasGemms, [&](const cublas_gemm& r) { return r.precision == precision; }, "kCublasGemms");
}

/// Seconds of host work before the first sample: an fp64 reference at about 1 GFLOP/s, or
/// Freivalds' O(n²) passes.
double setup_estimate_s(const gemm_problem& p) {
  return p.full_reference()
             ? 2.0 * p.macs() / 1e9
             : 2e-8 * (static_cast<double>(p.m()) * p.n() + static_cast<double>(p.n()) * p.k() +
                       static_cast<double>(p.m()) * p.k());
}

/// Every GEMM: one worker for the family (one context creation); the description and
/// requirements of our kernel's row, or cuBLAS's with its algorithm.
workload_traits traits_of(const own_kernel* own, gemm_precision precision, const gemm_problem& p) {
  if (own != nullptr)
    return {"gemm", own->description, "", setup_estimate_s(p), {true, own->min_compute_capability}};
  const cublas_gemm& lib = cublas_row(precision);
  return {"gemm",
          lib.description,
          "",
          setup_estimate_s(p),
          {true, lib.min_compute_capability, {"cublas"}},
          lib.algorithm};
}

/// Row blocks of C launched separately when a watchdog would kill one long launch: each block
/// is a multiple of the 128-row tile so the kernels' tiling is unchanged.
int rows_per_launch(const gemm_problem& p, const suite_config& config) {
  const int launches = tdr_launches(config, 2.0 * p.macs());
  return ((p.m() + launches - 1) / launches + 127) / 128 * 128;
}

class gemm_workload final : public workload_base {
 public:
  /// Our kernel `own`, or cuBLAS when `own` is nullptr (loaded by the first prepare() of the
  /// process that needs it: load_library_once).
  gemm_workload(const own_kernel* own, gemm_precision precision,
                std::shared_ptr<gemm_problem> problem, const suite_config& config)
      : workload_base({"gemm",
                       own != nullptr ? "own" : "cublas",
                       to_string(precision),
                       own != nullptr ? own->op : "",
                       {{"M", problem->m()}, {"N", problem->n()}, {"K", problem->k()}}},
                      traits_of(own, precision, *problem), problem->seed()),
        own_(own),
        precision_(precision),
        problem_(std::move(problem)),
        rows_per_launch_(rows_per_launch(*problem_, config)) {}
  double flops() const noexcept override { return 2.0 * problem_->macs(); }
  double bytes() const noexcept override {
    const double m = problem_->m(), n = problem_->n(), k = problem_->k();
    const double in = problem_->format() == input_format::f32 ? 4.0 : 2.0;
    return in * (m * k + k * n) + 4.0 * m * n;
  }
  void prepare(execution_context& ctx) override {
    switch (problem_->format()) {
      case input_format::f32:
        in_.a32 = upload(problem_->a());
        in_.b32 = upload(problem_->b());
        break;
      case input_format::f16:
        in_.a16 = upload_as<__half>(problem_->a(), [](float v) { return __float2half_rn(v); });
        in_.b16 = upload_as<__half>(problem_->b(), [](float v) { return __float2half_rn(v); });
        break;
      case input_format::bf16:
        in_.abf =
            upload_as<__nv_bfloat16>(problem_->a(), [](float v) { return __float2bfloat16_rn(v); });
        in_.bbf =
            upload_as<__nv_bfloat16>(problem_->b(), [](float v) { return __float2bfloat16_rn(v); });
        break;
    }
    c_ = device_buffer<float>(static_cast<std::size_t>(problem_->m()) * problem_->n());
    if (own_ == nullptr) {
      // Loaded here, once per process: most worker groups never need cuBLAS.
      api_ = cublas_api::resolve(load_library_once(cublas_spec()).handle);
      int device = 0, major = 0, minor = 0;
      WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
      WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
      WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
      // Its own workspace: captured into a replayed batch, cuBLAS then allocates nothing.
      handle_ = std::make_unique<cublas_handle>(*api_, stream_of(ctx),
                                                cublas_workspace_bytes(10 * major + minor));
    }
  }
  void run(execution_context& ctx) override {
    const int m = problem_->m(), n = problem_->n(), k = problem_->k();
    for (int r0 = 0; r0 < m; r0 += rows_per_launch_) {
      const int rows = std::min(rows_per_launch_, m - r0);
      const std::size_t a_off = static_cast<std::size_t>(r0) * k;
      float* c = c_.get() + static_cast<std::size_t>(r0) * n;
      launch(rows, n, k, a_off, c, ctx);
    }
  }
  check_result verify(execution_context& ctx) override {
    poison(c_, stream_of(ctx));
    run(ctx);
    const std::vector<float> c = download(c_, stream_of(ctx));
    const int k = problem_->k();
    const error_bound bound =
        precision_ == gemm_precision::f32    ? dot_product_bound(k, number_format::f32)
        : precision_ == gemm_precision::tf32 ? tensor_core_gemm_bound(k, number_format::tf32, true)
        : precision_ == gemm_precision::f16  ? tensor_core_gemm_bound(k, number_format::f16, false)
                                            : tensor_core_gemm_bound(k, number_format::bf16, false);
    if (problem_->full_reference()) {
      return check_arrays(c.data(), problem_->reference().data(), problem_->abs_reference().data(),
                          static_cast<std::int64_t>(c.size()),
                          count_non_finite(c.data(), static_cast<std::int64_t>(c.size())),
                          bound.value, "max_ij |C - C_ref| / (|A||B|)_ij", bound.method);
    }
    gemm_view g;
    g.m = problem_->m();
    g.n = problem_->n();
    g.k = k;
    g.a = problem_->a().data();
    g.b = problem_->b().data();
    g.c = c.data();
    return check_gemm_freivalds(g, bound.value, bound.method, derive_seed(info_.seed, 9));
  }
  void release() noexcept override {
    handle_.reset();
    in_ = device_inputs{};
    c_.reset();
    if (!problem_->full_reference()) problem_->release();
  }

 private:
  void launch(int rows, int n, int k, std::size_t a_off, float* c, execution_context& ctx) {
    const cudaStream_t s = stream_of(ctx);
    if (own_ != nullptr) {
      WSLCUDA_CUDA_CHECK(own_->launch(rows, n, k, in_, a_off, c, s));
      return;
    }
    if (precision_ == gemm_precision::f32) {
      cublas_sgemm_row_major(*handle_, rows, n, k, in_.a32.get() + a_off, in_.b32.get(), c);
    } else if (precision_ == gemm_precision::tf32) {
      cublas_gemm_ex_row_major(*handle_, rows, n, k, in_.a32.get() + a_off, in_.b32.get(), c,
                               CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32);
    } else if (precision_ == gemm_precision::f16) {
      cublas_gemm_ex_row_major(*handle_, rows, n, k, in_.a16.get() + a_off, in_.b16.get(), c,
                               CUDA_R_16F, CUBLAS_COMPUTE_32F);
    } else {
      cublas_gemm_ex_row_major(*handle_, rows, n, k, in_.abf.get() + a_off, in_.bbf.get(), c,
                               CUDA_R_16BF, CUBLAS_COMPUTE_32F);
    }
  }

  const own_kernel* own_;  ///< nullptr for cuBLAS
  gemm_precision precision_;
  std::shared_ptr<gemm_problem> problem_;
  int rows_per_launch_ = 0;
  device_inputs in_;
  device_buffer<float> c_;
  std::optional<cublas_api> api_;
  std::unique_ptr<cublas_handle> handle_;
};

}  // namespace

std::unique_ptr<workload> make_gemm_workload(gemm_impl impl, gemm_precision precision, int m, int n,
                                             int k, std::uint64_t seed,
                                             const suite_config& config) {
  const own_kernel* own = impl == gemm_impl::own ? main_own_kernel(precision) : nullptr;
  if (impl == gemm_impl::own && own == nullptr)
    throw std::invalid_argument(std::string("make_gemm_workload: no kernel of ours for ") +
                                to_string(precision));
  return std::make_unique<gemm_workload>(
      own, precision, std::make_shared<gemm_problem>(m, n, k, seed, format_of(precision)), config);
}

std::unique_ptr<workload> make_gemm_f32_workload(gemm_impl impl, int m, int n, int k,
                                                 std::uint64_t seed, const suite_config& config) {
  return make_gemm_workload(impl, gemm_precision::f32, m, n, k, seed, config);
}

const char* to_string(gemm_precision p) noexcept {
  static const char* const names[] = {"f32", "tf32", "f16", "bf16"};
  return names[static_cast<int>(p)];
}

void register_gemm(registry& r, const suite_config& config) {
  struct shape {
    int m, n, k;
  };
  // 1024³ (--quick), 4096³ and 8192³ (full), a decode-like M = 16, N = K = 4096, and 1000³
  // (not a multiple of any tile: edge handling).
  std::vector<shape> shapes =
      config.quick
          ? std::vector<shape>{{1024, 1024, 1024}, {16, 4096, 4096}, {1000, 1000, 1000}}
          : std::vector<shape>{
                {4096, 4096, 4096}, {8192, 8192, 8192}, {16, 4096, 4096}, {1000, 1000, 1000}};
  std::uint64_t stream = 100;
  for (const shape& s : shapes) {
    // One problem per storage format, shared by our kernel and cuBLAS (one reference for both).
    for (const gemm_precision precision :
         {gemm_precision::f32, gemm_precision::f16, gemm_precision::bf16}) {
      const std::uint64_t seed = derive_seed(config.seed, stream++);
      auto problem = std::make_shared<gemm_problem>(s.m, s.n, s.k, seed, format_of(precision));
      for (const own_kernel& own : kOwnKernels)
        if (own.precision == precision)
          r.add(std::make_unique<gemm_workload>(&own, precision, problem, config));
      r.add(std::make_unique<gemm_workload>(nullptr, precision, problem, config));
      if (precision == gemm_precision::f32)
        r.add(std::make_unique<gemm_workload>(nullptr, gemm_precision::tf32, problem, config));
    }
  }
}

}  // namespace wslcuda
