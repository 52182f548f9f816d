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
  /// cublasGemmEx as cublas_api.h declares it (the header also has a C++ overload taking a
  /// cudaDataType compute type, so decltype cannot name it).
  using gemm_ex_fn = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int,
                                        int, int, const void*, const void*, cudaDataType, int,
                                        const void*, cudaDataType, int, const void*, void*,
                                        cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t);
  gemm_ex_fn gemm_ex = nullptr;

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

/// C[M×N] (fp32) = A[M×K]·B[K×N], row-major, through cublasGemmEx: `input` is the type of A and
/// B (CUDA_R_32F with CUBLAS_COMPUTE_32F_FAST_TF32 for tf32; CUDA_R_16F or CUDA_R_16BF with
/// CUBLAS_COMPUTE_32F for fp16/bf16), C is fp32. Throws cublas_error on failure.
void cublas_gemm_ex_row_major(const cublas_handle& handle, int m, int n, int k, const void* a,
                              const void* b, float* c, cudaDataType_t input,
                              cublasComputeType_t compute);

/// "CUBLAS_STATUS_…" name of a status code.
const char* cublas_status_name(cublasStatus_t status) noexcept;

}  // namespace wslcuda::kernels
