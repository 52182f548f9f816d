#pragma once
// Managed-memory family: migration of cudaMallocManaged pages.

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// managed.*: 256 MiB of cudaMallocManaged memory touched by the GPU (with and without a
/// prefetch) and by the CPU.
void register_managed(registry& r, const suite_config& config);

}  // namespace wslcuda
