#include "report/report_reader.hpp"

#include "model/row_json.hpp"

#include <cstdio>
#include <type_traits>

#include "model/json_reader.hpp"

namespace wslcuda {
namespace {

std::optional<std::string> optional_str(const json& j, const char* key, const std::string& where) {
  const std::string s = optional_string_at(j, key, where);
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
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
  r.index = optional_number<int>(d, "index", w, int{});
  r.name = optional_string_at(d, "name", w);
  r.uuid = optional_string_at(d, "uuid", w);
  r.pci_bus_id = optional_string_at(d, "pci_bus_id", w);
  const std::string cc = optional_string_at(d, "compute_capability", w);
  if (!cc.empty() && std::sscanf(cc.c_str(), "%d.%d", &r.cc_major, &r.cc_minor) != 2)
    throw input_error(w + "/compute_capability: expected \"MAJOR.MINOR\"");
  r.sm_count = optional_number<int>(d, "sm_count", w, int{});
  r.total_memory_bytes = optional_number<std::uint64_t>(d, "memory_bytes", w, std::uint64_t{});
  r.l2_cache_bytes = optional_number<int>(d, "l2_cache_bytes", w, int{});
  r.sm_clock_khz = optional_number<int>(d, "sm_clock_khz", w, int{});
  r.memory_clock_khz = optional_number<int>(d, "memory_clock_khz", w, int{});
  r.memory_bus_width_bits = optional_number<int>(d, "memory_bus_width_bits", w, int{});
  r.kernel_exec_timeout = optional_bool(d, "kernel_exec_timeout", w);
  r.managed_memory = optional_bool(d, "managed_memory", w);
  r.concurrent_managed_access = optional_bool(d, "concurrent_managed_access", w);
  r.luid = optional_string_at(d, "luid", w);
  r.pci_device_id = optional_number<std::uint32_t>(d, "pci_device_id", w, std::uint32_t{});
  r.dxcore_match = optional_string_at(d, "dxcore_match", w);
  r.dxcore_adapter = optional_number<int>(d, "dxcore_adapter", w, -1);
  r.peak_fp32_flops = optional_number<double>(d, "peak_fp32_flops", w, double{});
  r.peak_dram_bytes_per_s = optional_number<double>(d, "peak_dram_bytes_per_s", w, double{});
  if (const json* link = optional_object(d, "host_link", w)) {
    const std::string lw = w + "/host_link";
    r.host_link.description = optional_string_at(*link, "description", lw);
    r.host_link.bytes_per_s = optional_number<double>(*link, "bytes_per_s", lw, double{});
    r.host_link.generation = optional_number<int>(*link, "generation", lw, int{});
    r.host_link.width = optional_number<int>(*link, "width", lw, int{});
  }
  return r;
}

}  // namespace

loaded_report report_from_json(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw input_error(source + ": expected a JSON object at the top level");
  const std::string top = source + ": ";
  const json* tool = optional_object(doc, "tool", top);
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
  if (const json* argv = optional_array(*tool, "argv", top + "/tool")) {
    for (std::size_t i = 0; i < argv->size(); ++i) {
      if (!(*argv)[i].is_string())
        throw input_error(top + "/tool/argv/" + std::to_string(i) + ": expected a string");
      r.argv.push_back((*argv)[i].get<std::string>());
    }
  }
  r.started_at = optional_string_at(doc, "started_at", top);
  r.finished_at = optional_string_at(doc, "finished_at", top);
  if (const json* h = optional_object(doc, "host", top)) {
    const std::string w = top + "/host";
    host_info& host = r.env.host;
    host.kernel_release = optional_string_at(*h, "kernel_release", w);
    host.is_wsl = optional_bool(*h, "is_wsl", w);
    host.wsl_version = optional_number<int>(*h, "wsl_version", w, int{});
    host.distro = optional_string_at(*h, "distro", w);
    host.virtualization = optional_string_at(*h, "virtualization", w);
    host.cpu = optional_string_at(*h, "cpu", w);
    host.logical_cpus = optional_number<int>(*h, "logical_cpus", w, int{});
    host.memory_bytes = optional_number<std::uint64_t>(*h, "memory_bytes", w, std::uint64_t{});
  }
  if (const json* d = optional_object(doc, "driver", top)) {
    const std::string w = top + "/driver";
    driver_info& drv = r.env.driver;
    drv.cuda_driver_api = optional_number<int>(*d, "cuda_driver_api_version", w, int{});
    drv.cuda_runtime = optional_number<int>(*d, "cuda_runtime_version", w, int{});
    drv.libcuda_path = optional_string_at(*d, "libcuda_path", w);
    drv.libcuda_error = optional_string_at(*d, "libcuda_error", w);
    drv.windows_driver_version = optional_str(*d, "windows_driver_version", w);
    drv.kernel_module_version = optional_str(*d, "kernel_module_version", w);
    drv.nvml_driver_version = optional_str(*d, "nvml_driver_version", w);
  }
  if (const json* devices = optional_array(doc, "devices", top))
    for (std::size_t i = 0; i < devices->size(); ++i)
      r.env.devices.push_back(
          device_from_json((*devices)[i], top + "/devices/" + std::to_string(i)));
  if (const json* checks = optional_array(doc, "checks", top)) {
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
  const json* results = optional_array(doc, "results", top);
  if (results == nullptr) throw input_error(top + "/results: expected an array");
  for (std::size_t i = 0; i < results->size(); ++i)
    r.results.push_back(result_from_json((*results)[i], top + "/results/" + std::to_string(i)));
  if (const json* s = optional_object(doc, "summary", top)) {
    const std::string w = top + "/summary";
    r.exit_code = optional_number<int>(*s, "exit_code", w, int{});
    r.interrupted = optional_bool(*s, "interrupted", w);
    if (const json* warnings = optional_array(*s, "warnings", w))
      for (const json& x : *warnings)
        if (x.is_string()) r.warnings.push_back(x.get<std::string>());
    // The reason a run found no device is only in the summary's message.
    const std::string message = optional_string_at(*s, "message", w);
    const std::string prefix = "nothing could be validated: ";
    if (message.rfind(prefix, 0) == 0) r.env.no_device_reason = message.substr(prefix.size());
    if (const json* g = optional_object(*s, "gate", w)) {
      const std::string gw = w + "/gate";
      gate_summary gate;
      gate.baseline = optional_string_at(*g, "baseline", gw);
      gate.baseline_rows = optional_number<std::size_t>(*g, "baseline_rows", gw, std::size_t{});
      gate.gated = optional_number<std::size_t>(*g, "gated", gw, std::size_t{});
      gate.gated_pass = optional_number<std::size_t>(*g, "gated_pass", gw, std::size_t{});
      gate.confirmation_rounds = optional_number<int>(*g, "confirmation_rounds", gw, int{});
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
