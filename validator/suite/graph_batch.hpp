#pragma once
// What a replayed batch (the runs of one sample captured into one CUDA graph) needs decided on
// the CPU: whether its time is believable, how its graph's unusual nodes are named in the
// report, and the workspace a cuBLAS handle is given so that its calls capture without
// allocation nodes. CUDA-free, so each rule has a CPU test.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace wslcuda {

/// A replayed batch whose time per run is under this fraction of the fastest eager warm-up run
/// is not believed: a graph that captured less work than the runs enqueue eagerly (a library
/// that behaves differently under capture) would time less work, and nothing else would catch
/// it (../shared/reviews/gpu-blind-2026-12-03.md, finding 7).
inline constexpr double kImplausibleReplayFraction = 0.5;

/// Eager runs at least this long (20 µs, kHostBoundBatchedBelowS) are bound by the device, so a
/// replay can hardly be faster; shorter ones are launch-bound, where replaying is the point.
inline constexpr double kReplayCheckedFromS = 20e-6;

/// False when `replay_per_run_s` (one replay of the batch over its runs) is under
/// kImplausibleReplayFraction × `fastest_eager_s` (the fastest warm-up run, timed alone by CUDA
/// events) while that run took at least kReplayCheckedFromS; true otherwise, and for unknown
/// (non-positive or non-finite) times.
bool replay_is_plausible(double replay_per_run_s, double fastest_eager_s);

/// The note for a captured batch's graph, from the count of each node kind (names as
/// graph_node_kind_name gives them): "" when it holds only kernels, copies and event records
/// (what the runs themselves enqueue), else "graph nodes besides kernels, copies and event
/// records: 2 mem_alloc, 2 mem_free", kinds in the order given, zero counts left out.
std::string graph_nodes_note(const std::vector<std::pair<std::string, std::size_t>>& counts);

/// Bytes of device workspace a cuBLAS handle gets (cublasSetWorkspace): 32 MiB on compute
/// capability 9.0 and newer, 4 MiB below, as the cuBLAS API reference recommends
/// (cublasSetWorkspace: "recommended … 32 MiB for Hopper … 4 MiB for the rest"). With a user
/// workspace, calls captured into a CUDA graph allocate nothing (cuBLAS docs, "CUDA Graphs
/// Support": otherwise they may add stream-ordered allocation nodes).
std::size_t cublas_workspace_bytes(int compute_capability) noexcept;

}  // namespace wslcuda
