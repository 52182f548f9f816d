#pragma once
// What the runner knows about the device it runs on, gathered by the probe. CUDA-free.

#include <map>
#include <optional>
#include <string>

#include "model/environment.hpp"

namespace wslcuda {

/// The device workloads run on, as the runner needs it.
struct target_info {
  bool usable = false;          ///< false: every workload is skipped with `unusable_reason`
  std::string unusable_reason;  ///< e.g. "no CUDA driver: libcuda.so.1 not found (…)"
  int device = 0;               ///< CUDA device ordinal
  std::string name;             ///< e.g. "NVIDIA H100 80GB HBM3"
  int compute_capability = 0;   ///< major·10 + minor
  std::map<std::string, double> peak_flops;  ///< FLOP/s by precision ("f32"); absent = unknown
  double peak_dram_bytes_per_s = 0.0;        ///< 0 = unknown
  bool kernel_exec_timeout = false;  ///< a run-time watchdog (Windows TDR) kills long kernels
  int l2_cache_bytes = 0;            ///< 0 = unknown
  /// One direction of the host link (PCIe) in B/s; 0 = unknown (typical on WSL 2, where the GPU
  /// has no PCI sysfs entry).
  double host_link_bytes_per_s = 0.0;
  std::string host_link;                   ///< "PCIe Gen5 x16 (…)" or why it is unknown
  bool concurrent_managed_access = false;  ///< cudaDevAttrConcurrentManagedAccess
  int device_count = 1;                    ///< CUDA devices visible to the process
  /// Run-time libraries that could not be loaded, with the reason ("cublas" → "not found: …").
  std::map<std::string, std::string> missing_libraries;
};

/// The runner's view of device `device` of `env`: unusable (with the reason) when there is no
/// usable device or the ordinal does not exist; peaks from the device record (TF32/F16/BF16
/// tensor peaks from measure/roofline.hpp); libraries that did not load, or failed their check,
/// listed as missing.
target_info make_target(const environment& env, int device);

}  // namespace wslcuda
