#pragma once
// Latency family: what one submission costs, as distributions.

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// latency.launch, launch_sync, event_sync, graph_1, graph_100, malloc_free, host_alloc.
void register_latency(registry& r, const suite_config& config);

}  // namespace wslcuda
