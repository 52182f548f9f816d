#pragma once
// The CUDA driver API (libcuda.so.1), resolved through the runtime
// (cudaGetDriverEntryPointByVersion): no link-time dependency on libcuda, whose only copy on
// WSL 2 is the Windows driver's. Modules for the JIT workloads. Entry points and result codes as
// cuda.h (CUDA 13) declares them.

#include <cuda.h>

#include <string>

#include "dynload/entry_points.hpp"

namespace wslcuda {

/// A driver call that did not return CUDA_SUCCESS; what() is "<call> failed: <cuGetErrorName>"
/// and, for a module load, "; log: <the JIT's error log>".
using cuda_driver_error = library_error<CUresult>;

// The entry points resolved by name (one list: the table's members and resolve() both use it).
// clang-format off
#define WSLCUDA_CUDA_DRIVER_ENTRY_POINTS(X)                                     \
  X(cuDriverGetVersion) X(cuGetErrorName)                                     \
  X(cuModuleLoadDataEx) X(cuModuleGetFunction) X(cuModuleUnload) X(cuLaunchKernel)
// clang-format on

/// The driver API entry points wslcuda uses.
struct cuda_driver_api {
  WSLCUDA_CUDA_DRIVER_ENTRY_POINTS(WSLCUDA_ENTRY_POINT_MEMBER)

  /// Resolves every entry point through cudaGetDriverEntryPointByVersion at ABI version 12000
  /// (the entry points as CUDA 12.0 defined them). Throws cuda_error when the runtime call fails
  /// (no driver), std::runtime_error "the driver lacks <symbol>" for a missing one.
  static cuda_driver_api resolve();
  /// The process's table, resolved once; throws as resolve() (and again at the next call).
  static const cuda_driver_api& loaded();
  /// Throws cuda_driver_error "<call> failed: <CUDA_ERROR_… name>[; log: <log>]" unless
  /// `result` is CUDA_SUCCESS.
  void check(CUresult result, const char* call, const std::string& log = "") const;
  /// The CUDA version the driver supports (cuDriverGetVersion: major·1000 + minor·10), 0 when it
  /// fails.
  int version() const;
};

/// A module loaded from a PTX or CUBIN image (cuModuleLoadDataEx); unloaded on destruction.
class cuda_module {
 public:
  cuda_module() = default;
  cuda_module(const cuda_module&) = delete;
  cuda_module& operator=(const cuda_module&) = delete;
  ~cuda_module() { reset(); }
  /// Loads `image` (null-terminated PTX text or a CUBIN), unloading any previous module; returns
  /// the driver's JIT wall time in ms (CU_JIT_WALL_TIME; 0 for a CUBIN). Throws
  /// cuda_driver_error with the JIT's error log on failure.
  float load(const void* image);
  /// The kernel `name` of the module (cuModuleGetFunction); throws cuda_driver_error.
  CUfunction function(const char* name) const;
  /// Unloads the module, if any (errors ignored).
  void reset() noexcept;

 private:
  CUmodule module_ = nullptr;
};

}  // namespace wslcuda
