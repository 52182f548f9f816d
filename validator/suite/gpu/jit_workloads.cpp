// JIT family: a kernel compiled at run time, by the driver's own PTX compiler (which on WSL 2
// comes with the Windows driver) and by NVRTC, loaded through the driver API and launched; its
// results must equal the same kernel precompiled to SASS bit for bit. A driver release that
// breaks its PTX JIT fails here.

#include <cuda.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "platform/jit_sources.hpp"
#include "platform/platform_kernels.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/jit_workloads.hpp"
#include "suite/jit/nvrtc_compiler.hpp"
#include "vendor/library_loader.hpp"
#include "verify/random_fill.hpp"

namespace wslcuda {
namespace {

/// Driver API entry points, resolved through the runtime (cudaGetDriverEntryPointByVersion): no
/// link-time dependency on libcuda, whose only copy on WSL 2 is the Windows driver's.
struct driver_api {
  decltype(&cuModuleLoadDataEx) load_data_ex = nullptr;
  decltype(&cuModuleGetFunction) get_function = nullptr;
  decltype(&cuModuleUnload) unload = nullptr;
  decltype(&cuLaunchKernel) launch = nullptr;
  decltype(&cuGetErrorName) error_name = nullptr;

  static const driver_api& get() {
    static const driver_api api = [] {
      driver_api a;
      resolve(a.load_data_ex, "cuModuleLoadDataEx");
      resolve(a.get_function, "cuModuleGetFunction");
      resolve(a.unload, "cuModuleUnload");
      resolve(a.launch, "cuLaunchKernel");
      resolve(a.error_name, "cuGetErrorName");
      return a;
    }();
    return api;
  }

  void check(CUresult r, const char* call, const std::string& log = "") const {
    if (r == CUDA_SUCCESS) return;
    const char* name = nullptr;
    if (error_name == nullptr || error_name(r, &name) != CUDA_SUCCESS) name = nullptr;
    throw std::runtime_error(std::string(call) + " failed: " +
                             (name != nullptr ? name : "CUresult " + std::to_string(r)) +
                             (log.empty() ? "" : "; log: " + log));
  }

 private:
  template <typename F>
  static void resolve(F& fn, const char* symbol) {
    void* p = nullptr;
    cudaDriverEntryPointQueryResult found{};
    // 12000: the ABI version of these entry points as CUDA 12.0 defined them.
    WSLCUDA_CUDA_CHECK(
        cudaGetDriverEntryPointByVersion(symbol, &p, 12000, cudaEnableDefault, &found));
    if (found != cudaDriverEntryPointSuccess || p == nullptr)
      throw std::runtime_error(std::string("the driver lacks ") + symbol);
    fn = reinterpret_cast<F>(p);
  }
};

/// A loaded module; unloaded on destruction.
class module_handle {
 public:
  module_handle() = default;
  module_handle(const module_handle&) = delete;
  module_handle& operator=(const module_handle&) = delete;
  ~module_handle() { reset(); }
  /// Loads `image` (PTX text or CUBIN); returns the driver's JIT wall time in ms (0 for CUBIN).
  float load(const void* image) {
    reset();
    const driver_api& api = driver_api::get();
    char error_log[4096] = {};
    float wall_ms = 0.0f;
    CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                              CU_JIT_WALL_TIME};
    void* values[] = {error_log, reinterpret_cast<void*>(std::uintptr_t{sizeof error_log}),
                      nullptr};
    const CUresult r = api.load_data_ex(&module_, image, 3, options, values);
    api.check(r, "cuModuleLoadDataEx", error_log);
    std::memcpy(&wall_ms, &values[2], sizeof wall_ms);  // the driver writes a float in place
    return wall_ms;
  }
  CUfunction function(const char* name) const {
    CUfunction f = nullptr;
    driver_api::get().check(driver_api::get().get_function(&f, module_, name),
                            "cuModuleGetFunction");
    return f;
  }
  void reset() noexcept {
    if (module_ != nullptr) (void)driver_api::get().unload(module_);
    module_ = nullptr;
  }

 private:
  CUmodule module_ = nullptr;
};

enum class jit_source { driver_ptx, nvrtc };
enum class jit_op { compile, launch };

constexpr unsigned kElements = 1u << 20;
constexpr float kAlpha = 1.5f;

class jit_workload final : public workload_base {
 public:
  jit_workload(jit_source source, jit_op op, std::uint64_t seed)
      : workload_base("jit", source == jit_source::driver_ptx ? "driver_ptx" : "nvrtc", "f32",
                      op == jit_op::launch ? "launch" : "compile", {{"N", kElements}}),
        source_(source),
        op_(op) {
    info_.seed = seed;
    info_.timing = timing_kind::host_clock;
    info_.sampling = sampling_kind::latency;
    info_.peak = peak_reference::none;
    info_.group = "jit";
    info_.requirements.jit_cache_disabled = true;
    if (source == jit_source::nvrtc) info_.requirements.libraries = {"nvrtc"};
    if (op == jit_op::compile) {
      info_.timing_definition =
          source == jit_source::driver_ptx
              ? "host steady_clock around cuModuleLoadDataEx of the PTX (the driver's PTX JIT "
                "compiles it; the worker sets CUDA_CACHE_DISABLE=1 so its compute cache does "
                "not answer); cuModuleUnload outside the interval"
              : "host steady_clock around nvrtcCreateProgram + nvrtcCompileProgram for the "
                "device's sm_XY + nvrtcGetCUBIN";
      info_.description = source == jit_source::driver_ptx
                              ? "compile a PTX kernel with the driver's JIT"
                              : "compile a CUDA C++ kernel with NVRTC";
    } else {
      info_.timing_definition =
          "host steady_clock around cuLaunchKernel of the run-time compiled kernel on 2^20 "
          "elements + cudaStreamSynchronize";
      info_.description = "launch the run-time compiled kernel and wait";
    }
  }

  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return 0.0; }

  void prepare(execution_context&) override {
    int device = 0, major = 0, minor = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
    arch_ = "sm_" + std::to_string(major) + std::to_string(minor);
    if (source_ == jit_source::nvrtc)
      nvrtc_ =
          std::make_unique<nvrtc_api>(nvrtc_api::resolve(load_library_once(nvrtc_spec()).handle));
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
        module_handle m;
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
    driver_api::get().check(
        driver_api::get().launch(function_, (kElements + kThreads - 1) / kThreads, 1, 1, kThreads,
                                 1, 1, 0, stream, params, nullptr),
        "cuLaunchKernel");
  }

  jit_source source_;
  jit_op op_;
  std::string arch_;
  std::unique_ptr<nvrtc_api> nvrtc_;
  std::vector<char> cubin_;
  module_handle module_;
  CUfunction function_ = nullptr;
  std::vector<float> x_host_, y_host_;
  device_buffer<float> x_, y_;
  float last_driver_wall_ms_ = 0.0f;
};

}  // namespace

void register_jit(registry& r, const suite_config& config) {
  const std::uint64_t seed = derive_seed(config.seed, 500);
  r.add(std::make_unique<jit_workload>(jit_source::driver_ptx, jit_op::compile, seed));
  r.add(std::make_unique<jit_workload>(jit_source::driver_ptx, jit_op::launch, seed));
  r.add(std::make_unique<jit_workload>(jit_source::nvrtc, jit_op::compile, seed));
  r.add(std::make_unique<jit_workload>(jit_source::nvrtc, jit_op::launch, seed));
}

}  // namespace wslcuda
