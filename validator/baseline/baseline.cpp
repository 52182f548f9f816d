#include "baseline/baseline.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "measure/statistics.hpp"
#include "report/input_file.hpp"

namespace wslcuda {
namespace {

const json* find(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string str(const json& j, const char* key, const std::string& where, bool required = false) {
  const json* v = find(j, key);
  if (v == nullptr) {
    if (required) throw input_error(where + "/" + key + ": missing");
    return "";
  }
  if (!v->is_string()) throw input_error(where + "/" + key + ": expected a string");
  return v->get<std::string>();
}

template <typename T>
T num(const json& j, const char* key, const std::string& where) {
  const json* v = find(j, key);
  if (v == nullptr) return T{};
  const std::optional<T> n = checked_number<T>(*v);
  if (!n || !(static_cast<double>(*n) >= 0.0) || !std::isfinite(static_cast<double>(*n)))
    throw input_error(where + "/" + key + ": expected a non-negative number in range");
  return *n;
}

std::vector<double> samples_at(const json& j, const char* key, const std::string& where) {
  const json* v = find(j, key);
  std::vector<double> out;
  if (v == nullptr) return out;
  if (!v->is_array()) throw input_error(where + "/" + key + ": expected an array of seconds");
  if (v->size() > 1000000) throw input_error(where + "/" + key + ": more than 1000000 samples");
  for (std::size_t i = 0; i < v->size(); ++i) {
    const json& x = (*v)[i];
    if (!x.is_number() || !(x.get<double>() > 0.0) || !std::isfinite(x.get<double>()))
      throw input_error(where + "/" + key + "/" + std::to_string(i) +
                        ": expected a positive number of seconds");
    out.push_back(x.get<double>());
  }
  return out;
}

void add_entry(comparable_document& doc, std::set<std::string>& seen, comparable_entry e,
               const std::string& where) {
  if (!seen.insert(e.id).second) throw input_error(where + "/id: duplicate id \"" + e.id + "\"");
  doc.entries.push_back(std::move(e));
}

comparable_document from_report(const json& doc, const std::string& source) {
  comparable_document out;
  out.kind = "report";
  out.source = source;
  const json* results = find(doc, "results");
  if (results == nullptr || !results->is_array())
    throw input_error(source + ": /results: expected an array");
  int device = 0;
  if (!results->empty() && (*results)[0].is_object() && (*results)[0].contains("device"))
    device = checked_number<int>((*results)[0]["device"]).value_or(0);
  comparable_context& c = out.context;
  if (const json* devices = find(doc, "devices"); devices != nullptr && devices->is_array()) {
    for (std::size_t i = 0; i < devices->size(); ++i) {
      const json& d = (*devices)[i];
      const std::string w = source + ": /devices/" + std::to_string(i);
      if (!d.is_object()) throw input_error(w + ": expected an object");
      if (num<int>(d, "index", w) != device) continue;
      c.gpu_name = str(d, "name", w);
      c.compute_capability = str(d, "compute_capability", w);
      c.memory_bytes = num<std::uint64_t>(d, "memory_bytes", w);
      c.sm_clock_khz = num<int>(d, "sm_clock_khz", w);
      c.memory_clock_khz = num<int>(d, "memory_clock_khz", w);
    }
  }
  if (const json* drv = find(doc, "driver")) {
    const std::string w = source + ": /driver";
    for (const char* key :
         {"nvml_driver_version", "windows_driver_version", "kernel_module_version"}) {
      c.driver_version = str(*drv, key, w);
      if (!c.driver_version.empty()) break;
    }
    c.cuda_driver_api_version = num<int>(*drv, "cuda_driver_api_version", w);
    c.cuda_runtime_version = num<int>(*drv, "cuda_runtime_version", w);
  }
  if (const json* host = find(doc, "host")) {
    const std::string w = source + ": /host";
    c.os = str(*host, "distro", w);
    c.kernel_release = str(*host, "kernel_release", w);
    if (const json* wsl = find(*host, "is_wsl")) {
      if (!wsl->is_boolean()) throw input_error(w + "/is_wsl: expected true or false");
      c.is_wsl = wsl->get<bool>();
    }
  }
  c.captured_at = str(doc, "started_at", source + ":");
  if (const json* tool = find(doc, "tool")) {
    c.wslcuda_version = str(*tool, "version", source + ": /tool");
    c.git_revision = str(*tool, "git_revision", source + ": /tool");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < results->size(); ++i) {
    const std::string w = source + ": /results/" + std::to_string(i);
    const result_row row = result_from_json((*results)[i], w);  // validates every field
    if (!seen.insert(row.id).second) throw input_error(w + "/id: duplicate id \"" + row.id + "\"");
    if (!row.timing || row.timing->values_s.empty()) continue;
    comparable_entry e;
    e.id = row.id;
    e.family = row.family;
    e.precision = row.precision;
    e.samples_s = samples_at((*results)[i]["timing"], "values_s", w + "/timing");
    e.median_s = median_of(e.samples_s);
    if (row.throughput) {
      e.throughput = row.throughput->value;
      e.throughput_unit = row.throughput->unit;
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

comparable_document from_baseline(const json& doc, const std::string& source) {
  comparable_document out;
  out.kind = "baseline";
  out.source = source;
  const json* ctx = find(doc, "context");
  if (ctx == nullptr || !ctx->is_object())
    throw input_error(source + ": /context: expected an object");
  const std::string w = source + ": /context";
  comparable_context& c = out.context;
  c.gpu_name = str(*ctx, "gpu_name", w, true);
  c.compute_capability = str(*ctx, "compute_capability", w, true);
  c.memory_bytes = num<std::uint64_t>(*ctx, "memory_bytes", w);
  c.driver_version = str(*ctx, "driver_version", w);
  c.cuda_driver_api_version = num<int>(*ctx, "cuda_driver_api_version", w);
  c.cuda_runtime_version = num<int>(*ctx, "cuda_runtime_version", w);
  c.os = str(*ctx, "os", w);
  c.kernel_release = str(*ctx, "kernel_release", w);
  if (const json* wsl = find(*ctx, "is_wsl")) {
    if (!wsl->is_boolean()) throw input_error(w + "/is_wsl: expected true or false");
    c.is_wsl = wsl->get<bool>();
  }
  c.sm_clock_khz = num<int>(*ctx, "sm_clock_khz", w);
  c.memory_clock_khz = num<int>(*ctx, "memory_clock_khz", w);
  c.captured_at = str(*ctx, "captured_at", w);
  c.wslcuda_version = str(*ctx, "wslcuda_version", w);
  c.git_revision = str(*ctx, "git_revision", w);
  const json* entries = find(doc, "entries");
  if (entries == nullptr || !entries->is_array())
    throw input_error(source + ": /entries: expected an array");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const json& e = (*entries)[i];
    const std::string ew = source + ": /entries/" + std::to_string(i);
    if (!e.is_object()) throw input_error(ew + ": expected an object");
    comparable_entry entry;
    entry.id = str(e, "id", ew, true);
    entry.family = str(e, "family", ew, true);
    entry.precision = str(e, "precision", ew);
    if (str(e, "statistic", ew, true) != "median_s")
      throw input_error(ew + "/statistic: only \"median_s\" is known");
    entry.samples_s = samples_at(e, "samples_s", ew);
    if (entry.samples_s.empty())
      throw input_error(ew + "/samples_s: at least one sample is needed");
    entry.median_s = median_of(entry.samples_s);
    if (const json* tp = find(e, "throughput")) {
      if (!tp->is_object()) throw input_error(ew + "/throughput: expected an object");
      entry.throughput = num<double>(*tp, "value", ew + "/throughput");
      entry.throughput_unit = str(*tp, "unit", ew + "/throughput");
    }
    add_entry(out, seen, std::move(entry), ew);
  }
  return out;
}

std::string normalized(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

}  // namespace

comparable_document comparable_from_json(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw input_error(source + ": expected a JSON object at the top level");
  if (string_member(doc, "kind") == "wslcuda-baseline") {
    check_schema_version(doc, source, 1);
    return from_baseline(doc, source);
  }
  const json* tool = find(doc, "tool");
  if (tool != nullptr && string_member(*tool, "name") == "wslcuda") {
    check_schema_version(doc, source, 1);
    return from_report(doc, source);
  }
  throw input_error(
      source + ": neither a wslcuda report (tool.name) nor a baseline (kind: wslcuda-baseline)");
}

comparable_document load_comparable(const std::filesystem::path& path) {
  return comparable_from_json(read_json_file(path), path.string());
}

json baseline_to_json(const comparable_document& doc, const std::string& source_report) {
  const comparable_context& c = doc.context;
  json entries = json::array();
  for (const comparable_entry& e : doc.entries) {
    json entry{{"id", e.id},
               {"family", e.family},
               {"precision", e.precision},
               {"statistic", "median_s"},
               {"median_s", e.median_s},
               {"samples_s", e.samples_s}};
    if (e.throughput)
      entry["throughput"] = json{{"value", *e.throughput}, {"unit", e.throughput_unit}};
    entries.push_back(entry);
  }
  return json{{"schema_version", kBaselineSchemaVersion},
              {"kind", "wslcuda-baseline"},
              {"context",
               {{"gpu_name", c.gpu_name},
                {"compute_capability", c.compute_capability},
                {"memory_bytes", c.memory_bytes},
                {"driver_version", c.driver_version},
                {"cuda_driver_api_version", c.cuda_driver_api_version},
                {"cuda_runtime_version", c.cuda_runtime_version},
                {"os", c.os},
                {"kernel_release", c.kernel_release},
                {"is_wsl", c.is_wsl},
                {"sm_clock_khz", c.sm_clock_khz},
                {"memory_clock_khz", c.memory_clock_khz},
                {"captured_at", c.captured_at},
                {"wslcuda_version", c.wslcuda_version},
                {"git_revision", c.git_revision},
                {"source_report", source_report}}},
              {"entries", entries}};
}

bool same_gpu_model(const comparable_context& a, const comparable_context& b) {
  return !a.gpu_name.empty() && normalized(a.gpu_name) == normalized(b.gpu_name) &&
         a.compute_capability == b.compute_capability;
}

}  // namespace wslcuda
