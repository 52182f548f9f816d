#pragma once
// Doctor checks derived from a probed environment. CUDA-free: the environment is plain data,
// so every outcome is tested with hand-made environments.

#include <vector>

#include "probe/environment.hpp"

namespace wslcuda {

/// The minimum compute capability CUDA 13 supports (major·10 + minor): 7.5 (Turing).
/// Source: CUDA 13.0 release notes (Maxwell, Pascal and Volta support removed).
constexpr int kMinComputeCapability = 75;

/// `cuda.driver`, `cuda.runtime_compat`, `cuda.devices` and one `lib.<name>` per library record:
///  - cuda.driver: pass when libcuda loaded (naming the file) and the driver reports its API
///    level; fail otherwise, with a remedy;
///  - cuda.runtime_compat: pass when runtime API ≤ driver API, fail with both numbers otherwise,
///    skip without a driver;
///  - cuda.devices: pass with ≥ 1 device all at compute capability ≥ 7.5, else fail;
///  - lib.<name>: pass when loaded (path, version), warn when missing (its workloads are skipped).
std::vector<check_record> basic_checks(const environment& env);

/// "13.0" from a CUDA API version number such as 13000 (major·1000 + minor·10).
std::string cuda_version_string(int version);

/// True when a CUDA device can run workloads: no reason recorded and at least one device.
bool environment_usable(const environment& env) noexcept;

}  // namespace wslcuda

#include "suite/target.hpp"

namespace wslcuda {

/// The runner's view of device `device` of `env`: unusable (with the reason) when there is no
/// usable device or the ordinal does not exist; peaks from the device record; libraries that did
/// not load listed as missing.
target_info make_target(const environment& env, int device);

}  // namespace wslcuda
