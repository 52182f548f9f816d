#pragma once
// Latency family: what one submission costs, as distributions.

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

/// latency.runtime.none.{launch, launch_sync, event_sync, graph.n1, graph.n100,
/// malloc_free.b1048576, host_alloc.b67108864}.
void register_latency(registry& r, const suite_config& config);

}  // namespace wslcuda
