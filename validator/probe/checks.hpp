#pragma once
// Doctor checks derived from a probed environment. CUDA-free and DirectX-free: the environment
// is plain data, so every outcome is tested with hand-made environments and fake roots.
// Check ids are a public contract.

#include <cstdint>
#include <string>
#include <vector>

#include "model/environment.hpp"
#include "model/target.hpp"

namespace wslcuda {

/// The minimum compute capability CUDA 13 supports (major·10 + minor): 7.5 (Turing).
/// Source: CUDA 13.0 release notes (Maxwell, Pascal and Volta support removed).
constexpr int kMinComputeCapability = 75;
/// WSL kernel recommended for CUDA (NVIDIA CUDA on WSL User Guide): 5.10.16.3.
inline const std::vector<int> kWslKernelRecommended = {5, 10, 16, 3};
/// Oldest WSL kernel with GPU paravirtualisation (NVIDIA CUDA on WSL User Guide): 4.19.121.
inline const std::vector<int> kWslKernelMinimum = {4, 19, 121};
/// Below this much pinnable host memory data loaders with pin_memory=True fail (a known WSL
/// limit); warned about.
constexpr std::uint64_t kPinnedWarnBytes = std::uint64_t{2} << 30;

/// Every doctor check, in report order, grouped by area:
/// host.wsl; wsl.kernel, wsl.dxg, wsl.libcuda, wsl.linux_driver, wsl.dxcore, wsl.d3d12;
/// cuda.driver, cuda.runtime_compat, cuda.devices, cuda.device_match, cuda.pinned_memory,
/// cuda.managed_memory, cuda.watchdog; lib.<name> per library record other than the driver.
/// Off WSL every wsl.* check is skip. Checks that need the live system are skip when
/// `env.live` is false (--root DIR), saying so. Failures carry a remedy.
std::vector<check_record> doctor_checks(const environment& env);

}  // namespace wslcuda
