#pragma once
// cuBLAS as another implementation of the GEMM operation. cuBLAS is loaded at run time (the
// caller dlopens it and passes the handle), so the binary starts on a machine without it.

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace wslcuda::kernels {

/// A cuBLAS call that did not return CUBLAS_STATUS_SUCCESS; what() names the call and status.
class cublas_error : public std::runtime_error {
 public:
  cublas_error(cublasStatus_t status, const std::string& what)
      : std::runtime_error(what), status_(status) {}
  cublasStatus_t status() const noexcept { return status_; }

 private:
  cublasStatus_t status_;
};

/// The cuBLAS entry points wslcuda uses, resolved with dlsym from a library handle.
struct cublas_api {
  decltype(&cublasCreate_v2) create = nullptr;
  decltype(&cublasDestroy_v2) destroy = nullptr;
  decltype(&cublasSetStream_v2) set_stream = nullptr;
  decltype(&cublasSetMathMode) set_math_mode = nullptr;
  decltype(&cublasSgemm_v2) sgemm = nullptr;
  decltype(&cublasGetProperty) get_property = nullptr;

  /// Resolves every entry point from `dl_handle` (a dlopen handle of libcublas.so.13).
  /// Throws std::runtime_error naming the first missing symbol.
  static cublas_api resolve(void* dl_handle);
  /// cuBLAS version as "major.minor.patch" (cublasGetProperty), or "" if it fails.
  std::string version() const;
};

/// Owns a cublasHandle_t bound to `stream`, with CUBLAS_DEFAULT_MATH (no TF32 for fp32 GEMM).
class cublas_handle {
 public:
  /// Throws cublas_error if creation fails (e.g. CUBLAS_STATUS_NOT_INITIALIZED without a device).
  cublas_handle(const cublas_api& api, cudaStream_t stream);
  cublas_handle(const cublas_handle&) = delete;
  cublas_handle& operator=(const cublas_handle&) = delete;
  ~cublas_handle();
  cublasHandle_t get() const noexcept { return handle_; }
  const cublas_api& api() const noexcept { return *api_; }

 private:
  const cublas_api* api_;
  cublasHandle_t handle_ = nullptr;
};

/// C[M×N] = A[M×K]·B[K×N], row-major fp32, through cublasSgemm on the handle's stream.
/// Row-major is mapped onto column-major cuBLAS as Cᵀ = Bᵀ·Aᵀ (no copies).
/// Throws cublas_error on failure.
void cublas_sgemm_row_major(const cublas_handle& handle, int m, int n, int k, const float* a,
                            const float* b, float* c);

/// "CUBLAS_STATUS_…" name of a status code.
const char* cublas_status_name(cublasStatus_t status) noexcept;

}  // namespace wslcuda::kernels
