#include "report/report_reader.hpp"

#include "model/row_json.hpp"

#include <cstdio>
#include <type_traits>

#include "model/json_reader.hpp"

namespace wslcuda {
namespace {

const json* object_at(const json& j, const char* key, const std::string& where) {
  const json* v = find_member(j, key);
  if (v != nullptr && !v->is_object())
    throw input_error(where + "/" + key + ": expected an object");
  return v;
}

template <typename T>
T num(const json& j, const char* key, const std::string& where, T fallback = T{}) {
  const json* v = find_member(j, key);
  if (v == nullptr) return fallback;
  const std::optional<T> n = checked_number<T>(*v);
  if (!n)
    throw input_error(
        where + "/" + key +
        (std::is_integral<T>::value ? ": expected an integer in range" : ": expected a number"));
  return *n;
}

bool flag(const json& j, const char* key, const std::string& where) {
  const json* v = find_member(j, key);
  if (v == nullptr) return false;
  if (!v->is_boolean()) throw input_error(where + "/" + key + ": expected true or false");
  return v->get<bool>();
}

std::optional<std::string> optional_str(const json& j, const char* key, const std::string& where) {
  const std::string s = optional_string_at(j, key, where);
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

const json* array_at(const json& j, const char* key, const std::string& where) {
  const json* v = find_member(j, key);
  if (v != nullptr && !v->is_array()) throw input_error(where + "/" + key + ": expected an array");
  return v;
}

status status_at(const json& j, const char* key, const std::string& where) {
  const std::string s = optional_string_at(j, key, where);
  const auto parsed = status_from_string(s);
  if (!parsed)
    throw input_error(where + "/" + key + ": \"" + s +
                      "\" is not one of pass, warn, fail, skip, error");
  return *parsed;
}

device_record device_from_json(const json& d, const std::string& w) {
  if (!d.is_object()) throw input_error(w + ": expected an object");
  device_record r;
  r.index = num<int>(d, "index", w);
  r.name = optional_string_at(d, "name", w);
  r.uuid = optional_string_at(d, "uuid", w);
  r.pci_bus_id = optional_string_at(d, "pci_bus_id", w);
  const std::string cc = optional_string_at(d, "compute_capability", w);
  if (!cc.empty() && std::sscanf(cc.c_str(), "%d.%d", &r.cc_major, &r.cc_minor) != 2)
    throw input_error(w + "/compute_capability: expected \"MAJOR.MINOR\"");
  r.sm_count = num<int>(d, "sm_count", w);
  r.total_memory_bytes = num<std::uint64_t>(d, "memory_bytes", w);
  r.l2_cache_bytes = num<int>(d, "l2_cache_bytes", w);
  r.sm_clock_khz = num<int>(d, "sm_clock_khz", w);
  r.memory_clock_khz = num<int>(d, "memory_clock_khz", w);
  r.memory_bus_width_bits = num<int>(d, "memory_bus_width_bits", w);
  r.kernel_exec_timeout = flag(d, "kernel_exec_timeout", w);
  r.managed_memory = flag(d, "managed_memory", w);
  r.concurrent_managed_access = flag(d, "concurrent_managed_access", w);
  r.luid = optional_string_at(d, "luid", w);
  r.pci_device_id = num<std::uint32_t>(d, "pci_device_id", w);
  r.dxcore_match = optional_string_at(d, "dxcore_match", w);
  r.dxcore_adapter = num<int>(d, "dxcore_adapter", w, -1);
  r.peak_fp32_flops = num<double>(d, "peak_fp32_flops", w);
  r.peak_dram_bytes_per_s = num<double>(d, "peak_dram_bytes_per_s", w);
  if (const json* link = object_at(d, "host_link", w)) {
    const std::string lw = w + "/host_link";
    r.host_link.description = optional_string_at(*link, "description", lw);
    r.host_link.bytes_per_s = num<double>(*link, "bytes_per_s", lw);
    r.host_link.generation = num<int>(*link, "generation", lw);
    r.host_link.width = num<int>(*link, "width", lw);
  }
  return r;
}

}  // namespace

loaded_report report_from_json(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw input_error(source + ": expected a JSON object at the top level");
  const std::string top = source + ": ";
  const json* tool = object_at(doc, "tool", top);
  if (tool == nullptr || string_member(*tool, "name") != "wslcuda")
    throw input_error(source + ": /tool/name: not a wslcuda report");
  check_schema_version(doc, source, 1);
  loaded_report out;
  out.source = source;
  out.schema_version = string_member(doc, "schema_version");
  run_report& r = out.report;
  out.tool_version = optional_string_at(*tool, "version", top + "/tool");
  out.git_revision = optional_string_at(*tool, "git_revision", top + "/tool");
  r.command = optional_string_at(*tool, "command", top + "/tool");
  if (const json* argv = array_at(*tool, "argv", top + "/tool")) {
    for (std::size_t i = 0; i < argv->size(); ++i) {
      if (!(*argv)[i].is_string())
        throw input_error(top + "/tool/argv/" + std::to_string(i) + ": expected a string");
      r.argv.push_back((*argv)[i].get<std::string>());
    }
  }
  r.started_at = optional_string_at(doc, "started_at", top);
  r.finished_at = optional_string_at(doc, "finished_at", top);
  if (const json* h = object_at(doc, "host", top)) {
    const std::string w = top + "/host";
    host_info& host = r.env.host;
    host.kernel_release = optional_string_at(*h, "kernel_release", w);
    host.is_wsl = flag(*h, "is_wsl", w);
    host.wsl_version = num<int>(*h, "wsl_version", w);
    host.distro = optional_string_at(*h, "distro", w);
    host.virtualization = optional_string_at(*h, "virtualization", w);
    host.cpu = optional_string_at(*h, "cpu", w);
    host.logical_cpus = num<int>(*h, "logical_cpus", w);
    host.memory_bytes = num<std::uint64_t>(*h, "memory_bytes", w);
  }
  if (const json* d = object_at(doc, "driver", top)) {
    const std::string w = top + "/driver";
    driver_info& drv = r.env.driver;
    drv.cuda_driver_api = num<int>(*d, "cuda_driver_api_version", w);
    drv.cuda_runtime = num<int>(*d, "cuda_runtime_version", w);
    drv.libcuda_path = optional_string_at(*d, "libcuda_path", w);
    drv.libcuda_error = optional_string_at(*d, "libcuda_error", w);
    drv.windows_driver_version = optional_str(*d, "windows_driver_version", w);
    drv.kernel_module_version = optional_str(*d, "kernel_module_version", w);
    drv.nvml_driver_version = optional_str(*d, "nvml_driver_version", w);
  }
  if (const json* devices = array_at(doc, "devices", top))
    for (std::size_t i = 0; i < devices->size(); ++i)
      r.env.devices.push_back(
          device_from_json((*devices)[i], top + "/devices/" + std::to_string(i)));
  if (const json* checks = array_at(doc, "checks", top)) {
    for (std::size_t i = 0; i < checks->size(); ++i) {
      const json& c = (*checks)[i];
      const std::string w = top + "/checks/" + std::to_string(i);
      if (!c.is_object()) throw input_error(w + ": expected an object");
      check_record rec;
      rec.id = optional_string_at(c, "id", w);
      rec.status = status_at(c, "status", w);
      rec.message = optional_string_at(c, "message", w);
      rec.remedy = optional_string_at(c, "remedy", w);
      r.env.checks.push_back(std::move(rec));
    }
  }
  const json* results = array_at(doc, "results", top);
  if (results == nullptr) throw input_error(top + "/results: expected an array");
  for (std::size_t i = 0; i < results->size(); ++i)
    r.results.push_back(result_from_json((*results)[i], top + "/results/" + std::to_string(i)));
  if (const json* s = object_at(doc, "summary", top)) {
    const std::string w = top + "/summary";
    r.exit_code = num<int>(*s, "exit_code", w);
    r.interrupted = flag(*s, "interrupted", w);
    if (const json* warnings = array_at(*s, "warnings", w))
      for (const json& x : *warnings)
        if (x.is_string()) r.warnings.push_back(x.get<std::string>());
    // The reason a run found no device is only in the summary's message.
    const std::string message = optional_string_at(*s, "message", w);
    const std::string prefix = "nothing could be validated: ";
    if (message.rfind(prefix, 0) == 0) r.env.no_device_reason = message.substr(prefix.size());
    if (const json* g = object_at(*s, "gate", w)) {
      const std::string gw = w + "/gate";
      gate_summary gate;
      gate.baseline = optional_string_at(*g, "baseline", gw);
      gate.baseline_rows = num<std::size_t>(*g, "baseline_rows", gw);
      gate.gated = num<std::size_t>(*g, "gated", gw);
      gate.gated_pass = num<std::size_t>(*g, "gated_pass", gw);
      gate.confirmation_rounds = num<int>(*g, "confirmation_rounds", gw);
      gate.evidence = optional_string_at(*g, "evidence", gw);
      gate.verdict = status_at(*g, "verdict", gw);
      r.gate = gate;
    }
  }
  return out;
}

loaded_report read_report_file(const std::filesystem::path& path) {
  return report_from_json(read_json_file(path), path.string());
}

}  // namespace wslcuda
