#include "model/ids.hpp"

#include <fnmatch.h>

#include <regex>
#include <sstream>
#include <utility>
#include <vector>

namespace wslcuda {

bool id_matches(const std::string& id, const std::string& filter) {
  if (filter.empty()) return true;
  std::stringstream parts(filter);
  std::string glob;
  while (std::getline(parts, glob, ',')) {
    if (!glob.empty() && fnmatch(glob.c_str(), id.c_str(), 0) == 0) return true;
  }
  return false;
}

std::string current_workload_id(const std::string& id) {
  static const std::vector<std::pair<std::regex, std::string>> renames = {
      {std::regex(R"(latency\.(launch|launch_sync|event_sync))"), "latency.runtime.none.$1"},
      {std::regex(R"(latency\.graph_([0-9]+))"), "latency.runtime.none.graph.n$1"},
      {std::regex(R"(latency\.malloc_free)"), "latency.runtime.none.malloc_free.b1048576"},
      {std::regex(R"(latency\.host_alloc)"), "latency.runtime.none.host_alloc.b67108864"},
      {std::regex(R"(jit\.(driver_ptx|nvrtc))"), "jit.$1.f32.compile.n1048576"},
      {std::regex(R"(jit\.(driver_ptx|nvrtc)\.launch)"), "jit.$1.f32.launch.n1048576"},
      {std::regex(R"(nccl\.(all_reduce|all_gather|reduce_scatter|broadcast)\.f32\.(b[0-9]+))"),
       "nccl.nccl.f32.$1.$2"},
      {std::regex(R"(p2p\.ce\.f32\.(copy_on|copy_off)\.dev([0-9]+)_dev([0-9]+)\.b([0-9]+))"),
       "p2p.ce.f32.$1.b$4s$2d$3"},
  };
  // Only these four families had renames: the cheap test first.
  if (id.rfind("latency.", 0) != 0 && id.rfind("jit.", 0) != 0 && id.rfind("nccl.", 0) != 0 &&
      id.rfind("p2p.", 0) != 0)
    return id;
  for (const auto& [pattern, replacement] : renames)
    if (std::regex_match(id, pattern)) return std::regex_replace(id, pattern, replacement);
  return id;
}

}  // namespace wslcuda
