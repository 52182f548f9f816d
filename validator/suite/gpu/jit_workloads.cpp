// JIT family: a kernel compiled at run time, by the driver's own PTX compiler (which on WSL 2
// comes with the Windows driver) and by NVRTC, loaded through the driver API and launched; its
// results must equal the same kernel precompiled to SASS bit for bit. A driver release that
// breaks its PTX JIT fails here.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "dynload/cuda_driver.hpp"
#include "dynload/nvrtc.hpp"
#include "platform/jit_sources.hpp"
#include "platform/platform_kernels.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "verify/random_fill.hpp"

namespace wslcuda {
namespace {

enum class jit_source { driver_ptx, nvrtc };
enum class jit_op { compile, launch };

constexpr unsigned kElements = 1u << 20;
constexpr float kAlpha = 1.5f;

/// What a launch of the run-time compiled kernel covers (the same for both compilers).
constexpr const char* kLaunchDefinition =
    "host steady_clock around cuLaunchKernel of the run-time compiled kernel on 2^20 elements + "
    "cudaStreamSynchronize";

/// One workload of the family: the compiler (the id's implementation), the operation, the
/// run-time library it needs ("" for none), what its interval holds, one line for `wslcuda list`.
struct jit_row {
  jit_source source;
  jit_op op;
  const char* implementation;
  const char* op_name;
  const char* library;
  const char* timing_definition;
  const char* description;
};

const jit_row kJitWorkloads[] = {
    {jit_source::driver_ptx, jit_op::compile, "driver_ptx", "compile", "",
     "host steady_clock around cuModuleLoadDataEx of the PTX (the driver's PTX JIT compiles it; "
     "the worker sets CUDA_CACHE_DISABLE=1 so its compute cache does not answer); cuModuleUnload "
     "outside the interval",
     "compile a PTX kernel with the driver's JIT"},
    {jit_source::driver_ptx, jit_op::launch, "driver_ptx", "launch", "", kLaunchDefinition,
     "launch the run-time compiled kernel and wait"},
    {jit_source::nvrtc, jit_op::compile, "nvrtc", "compile", "nvrtc",
     "host steady_clock around nvrtcCreateProgram + nvrtcCompileProgram for the device's sm_XY + "
     "nvrtcGetCUBIN",
     "compile a CUDA C++ kernel with NVRTC"},
    {jit_source::nvrtc, jit_op::launch, "nvrtc", "launch", "nvrtc", kLaunchDefinition,
     "launch the run-time compiled kernel and wait"},
};

/// Every JIT workload: host clock, a distribution, no peak, one worker for the family, and the
/// driver's compute cache off in that worker.
workload_traits traits_of(const jit_row& row) {
  std::vector<std::string> libraries;
  if (*row.library != '\0') libraries.emplace_back(row.library);
  return {"jit",
          row.description,
          row.timing_definition,
          /*setup_estimate_s=*/2.0,
          {true, kCuda13MinComputeCapability, std::move(libraries), 1, false,
           /*jit_cache_disabled=*/true},
          "",
          timing_kind::host_clock,
          sampling_kind::latency,
          peak_reference::none};
}

class jit_workload final : public workload_base {
 public:
  jit_workload(const jit_row& row, std::uint64_t seed)
      : workload_base({"jit", row.implementation, "f32", row.op_name, {{"N", kElements}}},
                      traits_of(row), seed),
        source_(row.source),
        op_(row.op) {}

  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return 0.0; }

  void prepare(execution_context&) override {
    int device = 0, major = 0, minor = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
    arch_ = "sm_" + std::to_string(major) + std::to_string(minor);
    if (source_ == jit_source::nvrtc) nvrtc_ = &nvrtc_api::loaded();
    x_host_ = uniform_nonzero(kElements, derive_seed(info_.seed, 1));
    y_host_ = uniform_nonzero(kElements, derive_seed(info_.seed, 2));
    x_ = upload(x_host_);
    y_ = device_buffer<float>(kElements);
    compile_and_load();
  }

  void run(execution_context& ctx) override { (void)run_host_timed(ctx); }

  double run_host_timed(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    if (op_ == jit_op::compile) {
      if (source_ == jit_source::driver_ptx) {
        cuda_module m;
        const auto start = std::chrono::steady_clock::now();
        last_driver_wall_ms_ = m.load(kernels::kJitAxpyPtx);
        return seconds_since(start);  // m unloads after the interval
      }
      const auto start = std::chrono::steady_clock::now();
      const nvrtc_output out =
          nvrtc_compile(*nvrtc_, kernels::kJitAxpySource, "wslcuda_axpy.cu", arch_);
      const double s = seconds_since(start);
      if (out.image.empty()) throw std::runtime_error("NVRTC produced an empty CUBIN");
      return s;
    }
    const auto start = std::chrono::steady_clock::now();
    launch_jit(stream);
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
    return seconds_since(start);
  }

  check_result verify(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    // Reference: the same kernel precompiled to SASS.
    WSLCUDA_CUDA_CHECK(
        cudaMemcpyAsync(y_.get(), y_host_.data(), y_.bytes(), cudaMemcpyHostToDevice, stream));
    WSLCUDA_CUDA_CHECK(kernels::launch_axpy_f32(y_.get(), x_.get(), kAlpha, kElements, stream));
    const std::vector<float> sass = download(y_, stream);
    // The run-time compiled twin, on the same inputs.
    WSLCUDA_CUDA_CHECK(
        cudaMemcpyAsync(y_.get(), y_host_.data(), y_.bytes(), cudaMemcpyHostToDevice, stream));
    launch_jit(stream);
    const std::vector<float> jit = download(y_, stream);
    return check_equal(jit.data(), sass.data(), kElements,
                       "every element bit-equal to the same kernel precompiled to SASS "
                       "(y = fma.rn(a, x, y) on 2^20 seeded elements)");
  }

  std::vector<std::pair<std::string, double>> derived_metrics(double) const override {
    if (source_ == jit_source::driver_ptx && op_ == jit_op::compile && last_driver_wall_ms_ > 0)
      return {{"driver_reported_jit_wall_s", 1e-3 * last_driver_wall_ms_}};
    return {};
  }

  void release() noexcept override {
    module_.reset();
    x_.reset();
    y_.reset();
  }

 private:
  void compile_and_load() {
    if (source_ == jit_source::driver_ptx) {
      module_.load(kernels::kJitAxpyPtx);
    } else {
      const nvrtc_output out =
          nvrtc_compile(*nvrtc_, kernels::kJitAxpySource, "wslcuda_axpy.cu", arch_);
      cubin_ = out.image;
      module_.load(cubin_.data());
    }
    function_ = module_.function(kernels::kJitAxpyEntry);
  }

  void launch_jit(cudaStream_t stream) {
    float* y = y_.get();
    const float* x = x_.get();
    float a = kAlpha;
    unsigned n = kElements;
    void* params[] = {&y, &x, &a, &n};
    constexpr unsigned kThreads = 256;
    const cuda_driver_api& driver = cuda_driver_api::loaded();
    driver.check(driver.cuLaunchKernel(function_, (kElements + kThreads - 1) / kThreads, 1, 1,
                                       kThreads, 1, 1, 0, stream, params, nullptr),
                 "cuLaunchKernel");
  }

  jit_source source_;
  jit_op op_;
  std::string arch_;
  const nvrtc_api* nvrtc_ = nullptr;
  std::vector<char> cubin_;
  cuda_module module_;
  CUfunction function_ = nullptr;
  std::vector<float> x_host_, y_host_;
  device_buffer<float> x_, y_;
  float last_driver_wall_ms_ = 0.0f;
};

}  // namespace

void register_jit(registry& r, const suite_config& config) {
  const std::uint64_t seed = derive_seed(config.seed, 500);
  for (const jit_row& row : kJitWorkloads) r.add(std::make_unique<jit_workload>(row, seed));
}

}  // namespace wslcuda
