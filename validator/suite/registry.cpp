#include "suite/registry.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

#include "model/library_sources.hpp"
#include "model/target.hpp"

namespace wslcuda {

void registry::add(std::unique_ptr<workload> w) {
  if (!w) throw std::invalid_argument("registry::add: null workload");
  if (const std::string why = id_grammar_error(w->info()); !why.empty())
    throw std::invalid_argument("registry::add: " + why);
  for (const auto& existing : workloads_)
    if (existing->info().id == w->info().id)
      throw std::invalid_argument("registry::add: duplicate workload id " + w->info().id);
  workloads_.push_back(std::move(w));
}

std::string shape_label(const std::vector<std::pair<std::string, std::int64_t>>& shape) {
  std::string out;
  for (const auto& [name, extent] : shape) {
    if (!name.empty())
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(name.front())));
    out += std::to_string(extent);
  }
  return out;
}

std::string workload_id(const workload_info& info) {
  std::string id = info.family + "." + info.implementation + "." + info.precision;
  if (!info.op.empty()) id += "." + info.op;
  const std::string shape = info.shape_label.empty() ? shape_label(info.shape) : info.shape_label;
  if (!shape.empty() && shape != "-") id += "." + shape;
  return id;
}

namespace {

/// `text` with every "{name}" replaced by the identity's op ("{op}") or the extent `name`.
std::string expand_placeholders(const std::string& text, const workload_identity& identity) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t open = text.find('{', at);
    if (open == std::string::npos) {
      out += text.substr(at);
      break;
    }
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos)
      throw std::invalid_argument("unterminated placeholder in \"" + text + "\"");
    out += text.substr(at, open - at);
    const std::string name = text.substr(open + 1, close - open - 1);
    bool found = name == "op";
    if (found) out += identity.op;
    for (const auto& [extent, value] : identity.shape) {
      if (found || extent != name) continue;
      out += std::to_string(value);
      found = true;
    }
    if (!found)
      throw std::invalid_argument("placeholder {" + name + "} in \"" + text +
                                  "\" names neither the op nor an extent");
    at = close + 1;
  }
  return out;
}

}  // namespace

workload_info make_workload_info(workload_identity identity, workload_traits traits,
                                 std::uint64_t seed) {
  traits.description = expand_placeholders(traits.description, identity);
  traits.timing_definition = expand_placeholders(traits.timing_definition, identity);
  workload_info info{std::move(identity), std::move(traits), "", seed};
  info.id = workload_id(info);
  return info;
}

std::string id_grammar_error(const workload_info& info) {
  const std::string& id = info.id;
  std::vector<std::string> parts;
  std::stringstream in(id);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  if (!id.empty() && id.back() == '.') parts.push_back("");
  if (parts.size() < 3 || parts.size() > 5)
    return "workload id \"" + id + "\" has " + std::to_string(parts.size()) +
           " parts; the grammar is family.implementation.precision[.op][.shape]";
  for (const std::string& part : parts) {
    if (part.empty() || !std::all_of(part.begin(), part.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }))
      return "workload id \"" + id + "\": each part is one or more of [a-z0-9_]";
  }
  if (parts[0] != info.family || parts[1] != info.implementation || parts[2] != info.precision)
    return "workload id \"" + id +
           "\" does not start with its family, implementation and "
           "precision (" +
           info.family + "." + info.implementation + "." + info.precision + ")";
  return "";
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
    if (it != target.missing_libraries.end()) return missing_library_message(lib, it->second);
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
