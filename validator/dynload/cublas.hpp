#pragma once
// cuBLAS (libcublas.so.13), loaded at run time: the caller dlopens it (library_loader) and
// passes the handle, so the binary starts on a machine without it. The GEMM workloads' second
// implementation; the doctor asks it for its version. Entry points and status codes as
// cublas_api.h (CUDA 13) declares them.

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <string>

#include "common/cuda_raii.hpp"
#include "dynload/entry_points.hpp"

namespace wslcuda {

/// A cuBLAS call that did not return CUBLAS_STATUS_SUCCESS; what() is "<call>: CUBLAS_STATUS_…".
using cublas_error = library_error<cublasStatus_t>;

// The entry points resolved by name (one list: the table's members and resolve() both use it).
// clang-format off
#define WSLCUDA_CUBLAS_ENTRY_POINTS(X)                                    \
  X(cublasCreate_v2) X(cublasDestroy_v2) X(cublasSetStream_v2)            \
  X(cublasSetWorkspace_v2) X(cublasSetMathMode) X(cublasSgemm_v2)         \
  X(cublasGetProperty)
// clang-format on

/// The cuBLAS entry points wslcuda uses, resolved with dlsym from a library handle.
struct cublas_api {
  WSLCUDA_CUBLAS_ENTRY_POINTS(WSLCUDA_ENTRY_POINT_MEMBER)
  /// cublasGemmEx as cublas_api.h declares it (the header also has a C++ overload taking a
  /// cudaDataType compute type, so decltype cannot name it).
  using gemm_ex_fn = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int,
                                        int, int, const void*, const void*, cudaDataType, int,
                                        const void*, cudaDataType, int, const void*, void*,
                                        cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t);
  gemm_ex_fn cublasGemmEx = nullptr;

  /// Resolves every entry point from `dl_handle` (a dlopen handle of libcublas.so.13).
  /// Throws std::runtime_error "cuBLAS is not loaded" for a null handle, "cuBLAS lacks <symbol>"
  /// naming the first missing symbol.
  static cublas_api resolve(void* dl_handle);
  /// Throws cublas_error "<call>: <status name>" unless `status` is CUBLAS_STATUS_SUCCESS.
  static void check(cublasStatus_t status, const char* call);
  /// cuBLAS version as "major.minor.patch" (cublasGetProperty of MAJOR_VERSION, MINOR_VERSION,
  /// PATCH_LEVEL), or "" if it fails.
  std::string version() const;
};

/// Owns a cublasHandle_t bound to `stream`, with CUBLAS_DEFAULT_MATH (no TF32 for fp32 GEMM)
/// and, when `workspace_bytes` > 0, its own device workspace of that size (cublasSetWorkspace,
/// set after cublasSetStream, which resets the workspace to cuBLAS's pool): calls captured into a
/// CUDA graph then allocate nothing (cuBLAS docs, "CUDA Graphs Support"). See
/// cublas_workspace_bytes (suite/graph_batch.hpp) for the size.
class cublas_handle {
 public:
  /// Throws cublas_error if creation fails (e.g. CUBLAS_STATUS_NOT_INITIALIZED without a device),
  /// cuda_error if the workspace cannot be allocated.
  cublas_handle(const cublas_api& api, cudaStream_t stream, std::size_t workspace_bytes = 0);
  cublas_handle(const cublas_handle&) = delete;
  cublas_handle& operator=(const cublas_handle&) = delete;
  ~cublas_handle();
  cublasHandle_t get() const noexcept { return handle_; }
  const cublas_api& api() const noexcept { return *api_; }

 private:
  const cublas_api* api_;
  device_buffer<unsigned char> workspace_;  ///< freed after the handle (declared before it)
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

/// "CUBLAS_STATUS_…" name of a status code (cublas_api.h's cublasStatus_t).
const char* cublas_status_name(cublasStatus_t status) noexcept;

}  // namespace wslcuda
