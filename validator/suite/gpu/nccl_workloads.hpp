#pragma once
// NCCL family: collectives over all visible GPUs.

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// nccl.{all_reduce,all_gather,reduce_scatter,broadcast}.f32.b<size> over all visible GPUs.
void register_nccl(registry& r, const suite_config& config);

}  // namespace wslcuda
