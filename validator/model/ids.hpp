#pragma once
// Workload ids below every layer that names rows: matching an id against the --filter and policy
// globs, and the ids that changed, so reports and baselines written before the change still match
// the rows they describe (README, "Workload ids"; report schema changelog).

#include <string>

namespace wslcuda {

/// True when `id` matches one of the comma-separated shell globs (fnmatch) in `filter`; "" matches
/// every id, empty globs (",,") match none.
bool id_matches(const std::string& id, const std::string& filter);

/// The current id of a workload known as `id` in an older report or baseline; `id` itself when
/// it was never renamed. Ids renamed in 0.1.0 (report schema 1.2.0), when every id came to follow
/// family.implementation.precision[.op][.shape]:
///  - latency.{launch,launch_sync,event_sync} → latency.runtime.none.<op>;
///    latency.graph_<n> → latency.runtime.none.graph.n<n>; latency.malloc_free →
///    latency.runtime.none.malloc_free.b1048576; latency.host_alloc →
///    latency.runtime.none.host_alloc.b67108864;
///  - jit.<driver_ptx|nvrtc> → jit.<…>.f32.compile.n1048576; jit.<…>.launch →
///    jit.<…>.f32.launch.n1048576;
///  - nccl.<collective>.f32.b<bytes> → nccl.nccl.f32.<collective>.b<bytes>;
///  - p2p.ce.f32.copy_<on|off>.dev<a>_dev<b>.b<bytes> → p2p.ce.f32.copy_<…>.b<bytes>s<a>d<b>.
std::string current_workload_id(const std::string& id);

}  // namespace wslcuda
