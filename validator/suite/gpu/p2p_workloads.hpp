#pragma once
// Peer-to-peer family: copies between GPUs.

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// p2p.*: peer access and copy bandwidth between GPU pairs (needs two GPUs).
void register_p2p(registry& r, const suite_config& config);

}  // namespace wslcuda
