#pragma once
// Live probing through the CUDA runtime, DXCore and dlopen. Only this folder's *_probe.cpp files
// that name CUDA and suite/gpu/ touch the GPU.

#include <filesystem>

#include "probe/environment.hpp"

namespace wslcuda {

/// The probed environment plus the library handles workloads need.
struct probe_result {
  environment env;
  void* cublas = nullptr;  ///< dlopen handle of cuBLAS, or nullptr
};

/// Probes files below `root` (host, WSL facts); when `root` is "/" (live) also: DXCore and D3D12
/// on WSL 2, libcuda, the CUDA runtime's versions and devices (no context unless a device is
/// usable), device↔adapter matching, cuBLAS, cuDNN, NCCL, NVRTC, NVML, and the largest pinned
/// allocation (min(8 GiB, RAM/2), 256 MiB steps). Under another root the live part is skipped
/// and `no_device_reason` says so. Fills env.checks with doctor_checks(). Never throws.
probe_result probe_environment(const std::filesystem::path& root);

}  // namespace wslcuda
