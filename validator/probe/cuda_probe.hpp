#pragma once
// Live probing through the CUDA runtime, DXCore and dlopen. Only this folder's *_probe.cpp files
// that name CUDA and suite/gpu/ touch the GPU.

#include <filesystem>

#include "model/environment.hpp"

namespace wslcuda {

/// The probed environment plus the library handles workloads need.
struct probe_result {
  environment env;
  void* cublas = nullptr;  ///< cuBLAS loaded and resolved (its dlopen handle), or nullptr
};

/// Probes files below `root` (host, WSL facts); when `root` is "/" (live) also: DXCore and D3D12
/// on WSL 2, libcuda, the CUDA runtime's versions and devices (no context unless a device is
/// usable), device↔adapter matching, cuBLAS, cuDNN, NCCL, NVRTC, NVML, and pinned memory: by
/// default one allocation of min(2 GiB, RAM/2), all the check needs (a WSL VM gets half the
/// host's RAM, and pinning 8 GiB on a 16 GB laptop pushes it into swap); with `deep_pinned`
/// the largest allocation up to min(8 GiB, RAM/2) in 256 MiB steps (`doctor --deep`). Under
/// another root the live part is skipped and `no_device_reason` says so. Fills env.checks with
/// doctor_checks(). Never throws.
probe_result probe_environment(const std::filesystem::path& root, bool deep_pinned = false);

}  // namespace wslcuda
