#pragma once
// JIT family: a kernel compiled at run time by the driver and by NVRTC.

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// jit.{driver_ptx,nvrtc}.f32.{compile,launch}.n1048576: compile time and launch of a run-time
/// compiled kernel.
void register_jit(registry& r, const suite_config& config);

}  // namespace wslcuda
