#pragma once
// Typed CUDA errors carrying the call site, after nvbench's NVBENCH_CUDA_CALL
// (nvbench/cuda_call.cuh): the failing call is named, the error is cleared where it is not
// sticky, and the caller decides what to do. `exit()` is never called outside cuda_samples/.

#include <cuda_runtime_api.h>

#include <string>

#include "common/named_error.hpp"

namespace wslcuda {

/// A failed CUDA runtime call. `code` is the cudaError_t, `name()` its enumerator name
/// (e.g. "cudaErrorIllegalAddress"), `where()` "file:line: expression". A named_error of library
/// "cuda", so CUDA-free code can read the name.
class cuda_error : public named_error {
 public:
  cuda_error(cudaError_t code, const std::string& where)
      : named_error(where + ": " + cudaGetErrorName(code) + " (" + cudaGetErrorString(code) + ")",
                    "cuda", cudaGetErrorName(code), static_cast<int>(code)),
        code_(code),
        where_(where) {}
  cudaError_t code() const noexcept { return code_; }
  const char* name() const noexcept { return cudaGetErrorName(code_); }
  const std::string& where() const noexcept { return where_; }

 private:
  cudaError_t code_;
  std::string where_;
};

namespace detail {
[[noreturn]] inline void throw_cuda_error(cudaError_t code, const char* file, int line,
                                          const char* expr) {
  // Clears a non-sticky error so the next call does not report it again; a sticky error
  // (700, 702, 719, 999, ...) stays and every later call fails, which is what callers expect.
  (void)cudaGetLastError();
  throw cuda_error(code, std::string(file) + ":" + std::to_string(line) + ": " + expr);
}
}  // namespace detail

}  // namespace wslcuda

/// Evaluates a cudaError_t expression; throws wslcuda::cuda_error on anything but cudaSuccess.
#define WSLCUDA_CUDA_CHECK(expr)                                                       \
  do {                                                                                 \
    const cudaError_t wslcuda_status_ = (expr);                                        \
    if (wslcuda_status_ != cudaSuccess)                                                \
      ::wslcuda::detail::throw_cuda_error(wslcuda_status_, __FILE__, __LINE__, #expr); \
  } while (false)

/// noexcept twin for destructors: the error is swallowed (nothing can be done about a failed
/// free in a destructor) but it is cleared so it does not surface at an unrelated call.
#define WSLCUDA_CUDA_CHECK_NOEXCEPT(expr)                \
  do {                                                   \
    if ((expr) != cudaSuccess) (void)cudaGetLastError(); \
  } while (false)
