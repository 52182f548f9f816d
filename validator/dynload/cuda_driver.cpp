#include "dynload/cuda_driver.hpp"

#include <cuda_runtime_api.h>

#include <cstdint>
#include <cstring>

#include "common/cuda_check.hpp"

namespace wslcuda {
namespace {

template <typename F>
void bind_driver_symbol(const char* symbol, F& fn) {
  void* p = nullptr;
  cudaDriverEntryPointQueryResult found{};
  // 12000: the ABI version of these entry points as CUDA 12.0 defined them.
  WSLCUDA_CUDA_CHECK(
      cudaGetDriverEntryPointByVersion(symbol, &p, 12000, cudaEnableDefault, &found));
  if (found != cudaDriverEntryPointSuccess || p == nullptr)
    throw std::runtime_error(std::string("the driver lacks ") + symbol);
  fn = reinterpret_cast<F>(p);
}

}  // namespace

cuda_driver_api cuda_driver_api::resolve() {
  cuda_driver_api api;
#define WSLCUDA_BIND(name) bind_driver_symbol(#name, api.name);
  WSLCUDA_CUDA_DRIVER_ENTRY_POINTS(WSLCUDA_BIND)
#undef WSLCUDA_BIND
  return api;
}

const cuda_driver_api& cuda_driver_api::loaded() {
  static const cuda_driver_api api = resolve();
  return api;
}

void cuda_driver_api::check(CUresult result, const char* call, const std::string& log) const {
  if (result == CUDA_SUCCESS) return;
  const char* name = nullptr;
  if (cuGetErrorName == nullptr || cuGetErrorName(result, &name) != CUDA_SUCCESS) name = nullptr;
  throw cuda_driver_error(
      result, std::string(call) +
                  " failed: " + (name != nullptr ? name : "CUresult " + std::to_string(result)) +
                  (log.empty() ? "" : "; log: " + log));
}

int cuda_driver_api::version() const {
  int v = 0;
  return cuDriverGetVersion(&v) == CUDA_SUCCESS ? v : 0;
}

float cuda_module::load(const void* image) {
  reset();
  const cuda_driver_api& api = cuda_driver_api::loaded();
  char error_log[4096] = {};
  float wall_ms = 0.0f;
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_WALL_TIME};
  void* values[] = {error_log, reinterpret_cast<void*>(std::uintptr_t{sizeof error_log}), nullptr};
  const CUresult r = api.cuModuleLoadDataEx(&module_, image, 3, options, values);
  api.check(r, "cuModuleLoadDataEx", error_log);
  std::memcpy(&wall_ms, &values[2], sizeof wall_ms);  // the driver writes a float in place
  return wall_ms;
}

CUfunction cuda_module::function(const char* name) const {
  const cuda_driver_api& api = cuda_driver_api::loaded();
  CUfunction f = nullptr;
  api.check(api.cuModuleGetFunction(&f, module_, name), "cuModuleGetFunction");
  return f;
}

void cuda_module::reset() noexcept {
  if (module_ != nullptr) (void)cuda_driver_api::loaded().cuModuleUnload(module_);
  module_ = nullptr;
}

}  // namespace wslcuda
