#pragma once
// Live probing through the CUDA runtime and dlopen. Only this file and suite/gpu/ touch CUDA.

#include <filesystem>

#include "probe/environment.hpp"

namespace wslcuda {

/// The probed environment plus the library handles workloads need.
struct probe_result {
  environment env;
  void* cublas = nullptr;  ///< dlopen handle of cuBLAS, or nullptr
};

/// Probes host files below `root`; when `root` is "/", also loads libcuda and cuBLAS, asks the
/// CUDA runtime for versions and devices (no context is created: cudaGetDeviceProperties and
/// cudaDeviceGetAttribute only), and computes peaks. Under another root the live part is skipped
/// and `no_device_reason` says so. Fills env.checks with basic_checks(). Never throws.
probe_result probe_environment(const std::filesystem::path& root);

}  // namespace wslcuda
