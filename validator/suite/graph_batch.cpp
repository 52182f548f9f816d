#include "suite/graph_batch.hpp"

#include <cmath>

namespace wslcuda {

bool replay_is_plausible(double replay_per_run_s, double fastest_eager_s) {
  if (!std::isfinite(replay_per_run_s) || !std::isfinite(fastest_eager_s) ||
      replay_per_run_s <= 0.0 || fastest_eager_s < kReplayCheckedFromS)
    return true;
  return replay_per_run_s >= kImplausibleReplayFraction * fastest_eager_s;
}

std::string graph_nodes_note(const std::vector<std::pair<std::string, std::size_t>>& counts) {
  std::string unusual;
  for (const auto& [kind, count] : counts) {
    if (count == 0 || kind == "kernel" || kind == "memcpy" || kind == "event_record") continue;
    unusual += (unusual.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
  }
  return unusual.empty() ? "" : "graph nodes besides kernels, copies and event records: " + unusual;
}

std::size_t cublas_workspace_bytes(int compute_capability) noexcept {
  constexpr std::size_t kMiB = 1024 * 1024;
  return compute_capability >= 90 ? 32 * kMiB : 4 * kMiB;
}

}  // namespace wslcuda
