#include "report/json_report.hpp"
#include "model/printable.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <type_traits>

#include "model/executions.hpp"
#include "model/row_json.hpp"
#include "report/version.hpp"

namespace wslcuda {
namespace {

json host_to_json(const host_info& h) {
  return json{{"kernel_release", h.kernel_release},
              {"is_wsl", h.is_wsl},
              {"wsl_version", h.is_wsl ? json(h.wsl_version) : json(nullptr)},
              {"distro", h.distro},
              {"virtualization", h.virtualization},
              {"cpu", h.cpu},
              {"logical_cpus", h.logical_cpus},
              {"memory_bytes", h.memory_bytes}};
}

json optional_string(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

json driver_to_json(const driver_info& d) {
  return json{{"cuda_driver_api_version", d.cuda_driver_api},
              {"cuda_runtime_version", d.cuda_runtime},
              {"libcuda_path", d.libcuda_path.empty() ? json(nullptr) : json(d.libcuda_path)},
              {"libcuda_error", d.libcuda_error.empty() ? json(nullptr) : json(d.libcuda_error)},
              {"windows_driver_version", optional_string(d.windows_driver_version)},
              {"kernel_module_version", optional_string(d.kernel_module_version)},
              {"nvml_driver_version", optional_string(d.nvml_driver_version)}};
}

json library_to_json(const library_record& l) {
  return json{{"name", l.name},
              {"loaded", l.loaded},
              {"path", l.path.empty() ? json(nullptr) : json(l.path)},
              {"version", l.version.empty() ? json(nullptr) : json(l.version)},
              {"error", l.error.empty() ? json(nullptr) : json(l.error)},
              {"check_error", l.check_error.empty() ? json(nullptr) : json(l.check_error)},
              {"detail", l.detail.empty() ? json(nullptr) : json(l.detail)},
              {"searched", l.searched}};
}

json device_to_json(const device_record& d) {
  return json{
      {"index", d.index},
      {"name", d.name},
      {"uuid", d.uuid},
      {"pci_bus_id", d.pci_bus_id},
      {"compute_capability", std::to_string(d.cc_major) + "." + std::to_string(d.cc_minor)},
      {"sm_count", d.sm_count},
      {"memory_bytes", d.total_memory_bytes},
      {"l2_cache_bytes", d.l2_cache_bytes},
      {"sm_clock_khz", d.sm_clock_khz},
      {"memory_clock_khz", d.memory_clock_khz},
      {"memory_bus_width_bits", d.memory_bus_width_bits},
      {"kernel_exec_timeout", d.kernel_exec_timeout},
      {"managed_memory", d.managed_memory},
      {"concurrent_managed_access", d.concurrent_managed_access},
      {"luid", d.luid.empty() ? json(nullptr) : json(d.luid)},
      {"pci_device_id", d.pci_device_id != 0 ? json(d.pci_device_id) : json(nullptr)},
      {"peak_fp32_flops", d.peak_fp32_flops},
      {"peak_dram_bytes_per_s", d.peak_dram_bytes_per_s},
      {"host_link",
       {{"description", d.host_link.description},
        {"bytes_per_s",
         d.host_link.bytes_per_s > 0 ? json(d.host_link.bytes_per_s) : json(nullptr)},
        {"generation", d.host_link.generation > 0 ? json(d.host_link.generation) : json(nullptr)},
        {"width", d.host_link.width > 0 ? json(d.host_link.width) : json(nullptr)}}},
      {"dxcore_match", d.dxcore_match},
      {"dxcore_adapter", d.dxcore_adapter >= 0 ? json(d.dxcore_adapter) : json(nullptr)}};
}

json adapter_to_json(const dxcore_adapter& a) {
  char luid[32];
  std::snprintf(luid, sizeof luid, "%08x:%08x", static_cast<unsigned>(a.luid_high), a.luid_low);
  return json{{"description", a.description},
              {"vendor_id", a.vendor_id},
              {"device_id", a.device_id},
              {"subsys_id", a.subsys_id},
              {"revision", a.revision},
              {"driver_version", a.driver_version},
              {"windows_driver_version", optional_string(a.windows_driver_version)},
              {"luid", luid},
              {"dedicated_memory_bytes", a.dedicated_memory_bytes},
              {"is_hardware", a.is_hardware}};
}

json check_to_json(const check_record& c) {
  json j{{"id", c.id}, {"status", to_string(c.status)}, {"message", c.message}};
  if (!c.remedy.empty()) j["remedy"] = c.remedy;
  return j;
}

}  // namespace

json report_to_json(const run_report& report) {
  json j;
  j["schema_version"] = kReportSchemaVersion;
  j["tool"] = json{{"name", "wslcuda"},
                   {"version", tool_version()},
                   {"git_revision", git_revision()},
                   {"command", report.command},
                   {"argv", report.argv}};
  j["started_at"] = report.started_at;
  j["finished_at"] = report.finished_at;
  j["host"] = host_to_json(report.env.host);
  j["driver"] = driver_to_json(report.env.driver);
  j["libraries"] = json::array();
  for (const auto& l : report.env.libraries) j["libraries"].push_back(library_to_json(l));
  j["dxcore_adapters"] = json::array();
  for (const auto& a : report.env.dxcore.adapters)
    j["dxcore_adapters"].push_back(adapter_to_json(a));
  j["pinned_memory"] =
      json{{"max_bytes",
            report.env.pinned_max_bytes ? json(*report.env.pinned_max_bytes) : json(nullptr)},
           {"cap_bytes", report.env.pinned_cap_bytes}};
  j["devices"] = json::array();
  for (const auto& d : report.env.devices) j["devices"].push_back(device_to_json(d));
  j["checks"] = json::array();
  for (const auto& c : report.env.checks) j["checks"].push_back(check_to_json(c));
  j["results"] = json::array();
  for (const auto& r : report.results) j["results"].push_back(to_json(r));

  json counts{{"pass", 0}, {"warn", 0}, {"fail", 0}, {"skip", 0}, {"error", 0}};
  for (const auto& r : report.results)
    counts[to_string(r.status)] = counts[to_string(r.status)].get<int>() + 1;
  json check_counts{{"pass", 0}, {"warn", 0}, {"fail", 0}, {"skip", 0}, {"error", 0}};
  for (const auto& c : report.env.checks)
    check_counts[to_string(c.status)] = check_counts[to_string(c.status)].get<int>() + 1;
  std::string message;
  if (report.interrupted) {
    message = "interrupted after " + std::to_string(report.results.size()) + " workload(s)";
  } else if (!report.env.no_device_reason.empty()) {
    message = "nothing could be validated: " + report.env.no_device_reason;
  } else {
    message = std::to_string(report.results.size()) + " workload(s), " +
              std::to_string(report.env.checks.size()) + " check(s)";
  }
  j["summary"] = json{{"verdict", to_string(overall_verdict(report))},
                      {"counts", counts},
                      {"check_counts", check_counts},
                      {"exit_code", report.exit_code},
                      {"interrupted", report.interrupted},
                      {"warnings", report.warnings},
                      {"message", message}};
  if (report.timing) {
    const run_timing& t = *report.timing;
    json families = json::object();
    for (const auto& [family, seconds] : t.families_s) families[family] = seconds;
    j["summary"]["wall_s"] = t.wall_s;
    j["summary"]["phases_s"] = json{
        {"probe", t.probe_s}, {"families", families}, {"judge", t.judge_s}, {"other", t.other_s}};
  }
  if (report.gate) {
    const gate_summary& g = *report.gate;
    j["summary"]["gate"] = json{{"baseline", g.baseline},
                                {"baseline_rows", g.baseline_rows},
                                {"gated", g.gated},
                                {"gated_pass", g.gated_pass},
                                {"confirmation_rounds", g.confirmation_rounds},
                                {"evidence", g.evidence},
                                {"verdict", to_string(g.verdict)}};
  } else {
    j["summary"]["gate"] = nullptr;
  }
  escape_invalid_utf8(j);  // argv and probed text may hold any bytes; JSON needs UTF-8
  return j;
}

}  // namespace wslcuda
