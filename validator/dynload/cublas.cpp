#include "dynload/cublas.hpp"

namespace wslcuda {

cublas_api cublas_api::resolve(void* dl_handle) {
  if (dl_handle == nullptr) throw std::runtime_error("cuBLAS is not loaded");
  cublas_api api;
#define WSLCUDA_BIND(name) bind_symbol(dl_handle, #name, api.name, "cuBLAS");
  WSLCUDA_CUBLAS_ENTRY_POINTS(WSLCUDA_BIND)
#undef WSLCUDA_BIND
  bind_symbol(dl_handle, "cublasGemmEx", api.cublasGemmEx, "cuBLAS");
  return api;
}

void cublas_api::check(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw cublas_error(status, std::string(call) + ": " + cublas_status_name(status));
}

std::string cublas_api::version() const {
  int major = 0, minor = 0, patch = 0;
  if (cublasGetProperty == nullptr ||
      cublasGetProperty(MAJOR_VERSION, &major) != CUBLAS_STATUS_SUCCESS ||
      cublasGetProperty(MINOR_VERSION, &minor) != CUBLAS_STATUS_SUCCESS ||
      cublasGetProperty(PATCH_LEVEL, &patch) != CUBLAS_STATUS_SUCCESS)
    return "";
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

cublas_handle::cublas_handle(const cublas_api& api, cudaStream_t stream,
                             std::size_t workspace_bytes)
    : api_(&api) {
  if (workspace_bytes > 0) workspace_ = device_buffer<unsigned char>(workspace_bytes);
  cublas_api::check(api.cublasCreate_v2(&handle_), "cublasCreate");
  try {
    cublas_api::check(api.cublasSetStream_v2(handle_, stream), "cublasSetStream");
    if (workspace_bytes > 0)  // after cublasSetStream, which resets it to the default pool
      cublas_api::check(api.cublasSetWorkspace_v2(handle_, workspace_.get(), workspace_.bytes()),
                        "cublasSetWorkspace");
    cublas_api::check(api.cublasSetMathMode(handle_, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
  } catch (...) {
    api.cublasDestroy_v2(handle_);
    throw;
  }
}

cublas_handle::~cublas_handle() {
  if (handle_ != nullptr) api_->cublasDestroy_v2(handle_);
}

void cublas_sgemm_row_major(const cublas_handle& handle, int m, int n, int k, const float* a,
                            const float* b, float* c) {
  const float alpha = 1.0f, beta = 0.0f;
  // Column-major view: Cᵀ (N×M, ld N) = Bᵀ (N×K, ld N) · Aᵀ (K×M, ld K).
  cublas_api::check(handle.api().cublasSgemm_v2(handle.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k,
                                                &alpha, b, n, a, k, &beta, c, n),
                    "cublasSgemm");
}

void cublas_gemm_ex_row_major(const cublas_handle& handle, int m, int n, int k, const void* a,
                              const void* b, float* c, cudaDataType_t input,
                              cublasComputeType_t compute) {
  const float alpha = 1.0f, beta = 0.0f;
  // Column-major view: Cᵀ (N×M, ld N) = Bᵀ (N×K, ld N) · Aᵀ (K×M, ld K).
  cublas_api::check(handle.api().cublasGemmEx(handle.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k,
                                              &alpha, b, input, n, a, input, k, &beta, c,
                                              CUDA_R_32F, n, compute, CUBLAS_GEMM_DEFAULT),
                    "cublasGemmEx");
}

const char* cublas_status_name(cublasStatus_t status) noexcept {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS:
      return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH:
      return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR:
      return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR:
      return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR:
      return "CUBLAS_STATUS_LICENSE_ERROR";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

}  // namespace wslcuda
