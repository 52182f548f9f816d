#include "suite/registry.hpp"

#include <fnmatch.h>

#include <sstream>
#include <stdexcept>

#include "model/target.hpp"

namespace wslcuda {

void registry::add(std::unique_ptr<workload> w) {
  if (!w) throw std::invalid_argument("registry::add: null workload");
  for (const auto& existing : workloads_)
    if (existing->info().id == w->info().id)
      throw std::invalid_argument("registry::add: duplicate workload id " + w->info().id);
  workloads_.push_back(std::move(w));
}

bool id_matches(const std::string& id, const std::string& filter) {
  if (filter.empty()) return true;
  std::stringstream parts(filter);
  std::string glob;
  while (std::getline(parts, glob, ',')) {
    if (!glob.empty() && fnmatch(glob.c_str(), id.c_str(), 0) == 0) return true;
  }
  return false;
}

std::vector<workload*> registry::matching(const std::string& filter) const {
  std::vector<workload*> out;
  for (const auto& w : workloads_)
    if (id_matches(w->info().id, filter)) out.push_back(w.get());
  return out;
}

std::optional<std::string> unmet_requirement(const workload_info& info, const target_info& target) {
  if (!info.requirements.needs_device) return std::nullopt;
  if (!target.usable) return target.unusable_reason;
  const int need = info.requirements.min_compute_capability;
  if (target.compute_capability < need) {
    return "needs compute capability " + std::to_string(need / 10) + "." +
           std::to_string(need % 10) + ", device " + std::to_string(target.device) + " has " +
           std::to_string(target.compute_capability / 10) + "." +
           std::to_string(target.compute_capability % 10);
  }
  for (const std::string& lib : info.requirements.libraries) {
    const auto it = target.missing_libraries.find(lib);
    if (it != target.missing_libraries.end()) return lib + " unavailable: " + it->second;
  }
  if (target.device_count < info.requirements.min_devices)
    return "needs " + std::to_string(info.requirements.min_devices) + " GPUs, " +
           std::to_string(target.device_count) + " visible";
  if (info.requirements.concurrent_managed_access && !target.concurrent_managed_access)
    return "the device reports concurrentManagedAccess = 0 (always so on WSL 2 and Windows): "
           "managed memory cannot be prefetched or shared with the CPU while the GPU runs";
  return std::nullopt;
}

}  // namespace wslcuda
