#pragma once
// Registration of the built-in workload families (explicit; see suite/registry.hpp).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/target.hpp"
#include "suite/registry.hpp"

namespace wslcuda {

/// Settings every family reads when it registers its workloads.
struct suite_config {
  bool quick = false;                     ///< `--quick`: the smaller shape set
  std::uint64_t seed = 0x77736c63756461;  ///< `--seed`; default is "wslcuda" in ASCII
  bool watchdog = false;                  ///< the device kills long kernels (Windows TDR)
  double peak_fp32_flops = 0.0;           ///< for launch-time estimates when `watchdog` is set
  int device = 0;                         ///< the CUDA device workloads run on
  int device_count = 1;                   ///< visible CUDA devices (collectives, peer to peer)
};

/// The settings for running on `target`: its watchdog flag and fp32 peak (for TDR chunking),
/// the shape set and the seed.
suite_config suite_config_for(const target_info& target, bool quick, std::uint64_t seed);

/// Fraction of the fp32 peak a kernel is assumed to reach when its launch time is estimated
/// for TDR chunking: deliberately pessimistic (our SIMT kernels reach more on every GPU we know).
constexpr double kTdrEfficiencyFloor = 0.1;

/// Launches needed so each piece of a `flops`-sized kernel stays under 0.5 s when `config` says
/// the device has a watchdog (see tdr_chunks).
int tdr_launches(const suite_config& config, double flops);

/// Adds the workloads of every built-in family, in report order (the family table in
/// builtin.cpp, after nccl-tests' testColl table; a new family adds its
/// `<family>_workloads.{hpp,cpp}` and one row there).
void register_builtin_workloads(registry& r, const suite_config& config);

}  // namespace wslcuda
