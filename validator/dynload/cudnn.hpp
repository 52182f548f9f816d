#pragma once
// cuDNN 9 (libcudnn.so.9), loaded at run time through the legacy API: the convolution
// workloads and the doctor's cuDNN check. Entry points, status codes and version numbers as
// cudnn_graph.h, cudnn_ops.h and cudnn_cnn.h (cuDNN 9) declare them.

#include <cudnn.h>

#include <cstddef>
#include <optional>

#include "dynload/entry_points.hpp"

namespace wslcuda {

/// A cuDNN call that did not return CUDNN_STATUS_SUCCESS; what() is "<call> failed: <cuDNN's
/// error string>" (cudnnGetErrorString).
using cudnn_error = library_error<cudnnStatus_t>;

// The entry points resolved by name (one list: the table's members and resolve() both use it).
// clang-format off
#define WSLCUDA_CUDNN_ENTRY_POINTS(X)                                                       \
  X(cudnnCreate) X(cudnnDestroy) X(cudnnSetStream) X(cudnnGetErrorString)                   \
  X(cudnnCreateTensorDescriptor) X(cudnnSetTensor4dDescriptor)                              \
  X(cudnnDestroyTensorDescriptor) X(cudnnCreateFilterDescriptor)                            \
  X(cudnnSetFilter4dDescriptor) X(cudnnDestroyFilterDescriptor)                             \
  X(cudnnCreateConvolutionDescriptor) X(cudnnSetConvolution2dDescriptor)                    \
  X(cudnnSetConvolutionMathType) X(cudnnDestroyConvolutionDescriptor)                       \
  X(cudnnGetConvolutionForwardWorkspaceSize) X(cudnnConvolutionForward)                     \
  X(cudnnGetConvolutionBackwardDataWorkspaceSize) X(cudnnConvolutionBackwardData)           \
  X(cudnnGetConvolutionBackwardFilterWorkspaceSize) X(cudnnConvolutionBackwardFilter)
// clang-format on

/// The cuDNN entry points wslcuda uses, resolved with dlsym from a dlopen handle.
struct cudnn_api {
  WSLCUDA_CUDNN_ENTRY_POINTS(WSLCUDA_ENTRY_POINT_MEMBER)

  /// Resolves every entry point from `dl_handle` (a dlopen handle of libcudnn.so.9). Throws
  /// std::runtime_error "cuDNN is not loaded" for a null handle, "cuDNN lacks <symbol>" naming
  /// the first missing symbol.
  static cudnn_api resolve(void* dl_handle);
  /// The table of the process's libcudnn.so.9 (load_library_once(cudnn_spec())), resolved once;
  /// throws as resolve() (and again at the next call) when it cannot be.
  static const cudnn_api& loaded();
  /// Throws cudnn_error "<call> failed: <cudnnGetErrorString>" unless `status` is
  /// CUDNN_STATUS_SUCCESS.
  void check(cudnnStatus_t status, const char* call) const;
};

/// Owns a cudnnHandle_t (cudnnCreate … cudnnDestroy). Creating one initialises cuDNN on the
/// current device: it fails without a usable device, and is where a missing engine
/// sub-library (libcudnn_engines_*.so.9) first shows.
class cudnn_handle {
 public:
  /// Throws cudnn_error when cudnnCreate fails.
  explicit cudnn_handle(const cudnn_api& api);
  cudnn_handle(const cudnn_handle&) = delete;
  cudnn_handle& operator=(const cudnn_handle&) = delete;
  ~cudnn_handle();
  cudnnHandle_t get() const noexcept { return handle_; }

 private:
  const cudnn_api* api_;
  cudnnHandle_t handle_ = nullptr;
};

/// cudnnGetVersion (major·10000 + minor·100 + patch for cuDNN 9) and cudnnGetCudartVersion
/// (the CUDA runtime it was built for, major·1000 + minor·10).
struct cudnn_versions {
  std::size_t version = 0, cudart = 0;
};
/// The versions of the cuDNN behind `dl_handle`; nullopt when either function is missing (not a
/// cuDNN 9 library) or the handle is null.
std::optional<cudnn_versions> cudnn_version(void* dl_handle);

}  // namespace wslcuda
