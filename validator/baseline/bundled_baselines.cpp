#include "baseline/bundled_baselines.hpp"

#include <algorithm>
#include <set>

#include "baseline/documents.hpp"

namespace wslcuda {

std::vector<comparable_document> load_bundled_baselines(
    const std::vector<std::filesystem::path>& dirs, std::vector<std::string>& notes) {
  std::vector<comparable_document> out;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      try {
        comparable_document d = load_comparable(f);
        if (d.kind == "baseline") out.push_back(std::move(d));
      } catch (const std::exception& e) {
        notes.push_back(std::string("skipped baseline ") + e.what());
      }
    }
  }
  return out;
}

std::optional<comparable_document> find_bundled_baseline(
    const std::vector<comparable_document>& candidates, const comparable_document& candidate,
    std::string& why_not) {
  const comparable_context& context = candidate.context;
  std::set<std::string> ids;
  for (const comparable_entry& e : candidate.entries) ids.insert(e.id);
  const comparable_document* best = nullptr;
  std::size_t best_shared = 0;
  for (const comparable_document& d : candidates) {
    if (!same_gpu_model(d.context, context)) continue;
    std::size_t shared = 0;
    for (const comparable_entry& e : d.entries) shared += ids.count(e.id);
    if (best == nullptr || shared > best_shared) {
      best = &d;
      best_shared = shared;
    }
  }
  if (best != nullptr) return *best;
  if (candidates.empty()) {
    why_not = "no matching baseline (no bundled baselines)";
    return std::nullopt;
  }
  const comparable_document* closest = &candidates.front();
  for (const comparable_document& d : candidates)
    if (d.context.compute_capability == context.compute_capability) closest = &d;
  why_not = "no matching baseline for " +
            (context.gpu_name.empty() ? std::string("this device") : context.gpu_name) +
            " (closest: " + closest->context.gpu_name + ", sm " +
            closest->context.compute_capability + ", " + closest->source + ")";
  return std::nullopt;
}

}  // namespace wslcuda
