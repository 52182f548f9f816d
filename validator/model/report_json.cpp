#include "model/report_json.hpp"
#include "model/report_validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <type_traits>

#include "model/executions.hpp"
#include "model/json_reader.hpp"
#include "model/printable.hpp"
#include "model/row_json.hpp"
#include "model/verdict.hpp"
#include "model/version.hpp"

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
  for (const auto& r : report.results) {
    const char* v = to_string(row_verdict(r));
    counts[v] = counts[v].get<int>() + 1;
  }
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
  j["summary"] = json{
      {"verdict", to_string(overall_verdict(report))},
      {"counts", counts},
      {"check_counts", check_counts},
      {"exit_code", report.exit_code},
      {"interrupted", report.interrupted},
      {"warnings", report.warnings},
      {"message", message},
      {"no_device_reason",
       report.env.no_device_reason.empty() ? json(nullptr) : json(report.env.no_device_reason)}};
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
    j["summary"]["gate"] = json{{"judged_by", g.judged_by},
                                {"baseline", g.baseline},
                                {"baseline_rows", g.baseline_rows},
                                {"gated", g.gated},
                                {"gated_pass", g.gated_pass},
                                {"confirmation_rounds", g.confirmation_rounds},
                                {"evidence", g.evidence},
                                {"reason", to_string(g.reason)},
                                {"inconclusive", g.inconclusive()},
                                {"verdict", to_string(g.verdict)},
                                {"warnings", g.warnings}};
  } else {
    j["summary"]["gate"] = nullptr;
  }
  if (report.history) {
    const history_record& h = *report.history;
    j["history"] = json{{"store", h.store.empty() ? json(nullptr) : json(h.store)},
                        {"run_key", h.run_key.empty() ? json(nullptr) : json(h.run_key)},
                        {"recorded", h.recorded},
                        {"pending", h.pending},
                        {"message", h.message}};
  }
  escape_invalid_utf8(j);  // argv and probed text may hold any bytes; JSON needs UTF-8
  return j;
}

// Reading a report back.

namespace {

std::optional<std::string> optional_str(const json& j, const char* key, const std::string& where) {
  const std::string s = optional_string_at(j, key, where);
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

/// The minor version of "1.MINOR.PATCH" (0 when it cannot be read: the oldest reports).
int schema_minor(const std::string& version) {
  int major = 0, minor = 0;
  return std::sscanf(version.c_str(), "%d.%d", &major, &minor) == 2 ? minor : 0;
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
  if (const json* libraries = optional_array(doc, "libraries", top)) {
    for (std::size_t i = 0; i < libraries->size(); ++i) {
      const json& l = (*libraries)[i];
      const std::string w = top + "/libraries/" + std::to_string(i);
      if (!l.is_object()) throw input_error(w + ": expected an object");
      library_record rec;
      rec.name = optional_string_at(l, "name", w);
      rec.loaded = optional_bool(l, "loaded", w);
      rec.path = optional_string_at(l, "path", w);
      rec.version = optional_string_at(l, "version", w);
      rec.error = optional_string_at(l, "error", w);
      rec.check_error = optional_string_at(l, "check_error", w);
      rec.detail = optional_string_at(l, "detail", w);
      rec.searched = optional_strings_at(l, "searched", w);
      r.env.libraries.push_back(std::move(rec));
    }
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
  validate_report_rows(r, source);  // one validation for every reader (model/report_validation)
  if (const json* s = optional_object(doc, "summary", top)) {
    const std::string w = top + "/summary";
    r.exit_code = optional_number<int>(*s, "exit_code", w, int{});
    r.interrupted = optional_bool(*s, "interrupted", w);
    r.warnings = optional_strings_at(*s, "warnings", w);
    r.env.no_device_reason = optional_string_at(*s, "no_device_reason", w);  // 1.3.0
    if (r.env.no_device_reason.empty()) {  // before: only in the summary's message
      const std::string message = optional_string_at(*s, "message", w);
      const std::string prefix = "nothing could be validated: ";
      if (message.rfind(prefix, 0) == 0) r.env.no_device_reason = message.substr(prefix.size());
    }
    if (find_member(*s, "wall_s") != nullptr) {  // 1.2.0: where the run's time went
      run_timing timing;
      timing.wall_s = optional_number<double>(*s, "wall_s", w, 0.0);
      if (const json* ph = optional_object(*s, "phases_s", w)) {
        const std::string pw = w + "/phases_s";
        timing.probe_s = optional_number<double>(*ph, "probe", pw, 0.0);
        timing.judge_s = optional_number<double>(*ph, "judge", pw, 0.0);
        timing.other_s = optional_number<double>(*ph, "other", pw, 0.0);
        if (const json* f = optional_object(*ph, "families", pw))
          for (const auto& [family, seconds] : f->items())
            timing.families_s.emplace_back(
                family, optional_number<double>(*f, family.c_str(), pw + "/families", 0.0));
      }
      r.timing = timing;
    }
    // Before 1.3.0 the judge's warnings were among the run's: moved to the gate, once, here.
    std::vector<std::string> judge_warnings;
    if (schema_minor(out.schema_version) < 3) {
      std::vector<std::string> own;
      for (std::string& x : r.warnings)
        (x.rfind("gate: ", 0) == 0 || x.rfind("skipped baseline ", 0) == 0 ? judge_warnings : own)
            .push_back(std::move(x));
      r.warnings = std::move(own);
    }
    if (const json* g = optional_object(*s, "gate", w)) {
      const std::string gw = w + "/gate";
      gate_summary gate;
      gate.judged_by = optional_string_at(*g, "judged_by", gw);
      if (gate.judged_by.empty()) gate.judged_by = "baseline";  // before 1.3.0: only baselines
      gate.baseline = optional_string_at(*g, "baseline", gw);
      gate.baseline_rows = optional_number<std::size_t>(*g, "baseline_rows", gw, std::size_t{});
      gate.gated = optional_number<std::size_t>(*g, "gated", gw, std::size_t{});
      gate.gated_pass = optional_number<std::size_t>(*g, "gated_pass", gw, std::size_t{});
      gate.confirmation_rounds = optional_number<int>(*g, "confirmation_rounds", gw, int{});
      gate.evidence = optional_string_at(*g, "evidence", gw);
      gate.verdict = status_at(*g, "verdict", gw);
      if (const std::string reason = optional_string_at(*g, "reason", gw); !reason.empty()) {
        const auto code = reason_from_string(reason);
        if (!code) throw input_error(gw + "/reason: \"" + reason + "\" is not a known reason code");
        gate.reason = *code;
      } else {  // before 1.3.0: the evidence in words
        gate.reason = gate.gated == 0 ? reason_code::nothing_judged
                      : gate.evidence.find("too little evidence") != std::string::npos
                          ? reason_code::too_little_evidence
                          : reason_code::enough_evidence;
      }
      gate.warnings = optional_strings_at(*g, "warnings", gw);
      gate.warnings.insert(gate.warnings.end(), judge_warnings.begin(), judge_warnings.end());
      r.gate = gate;
    }
  }
  if (const json* h = optional_object(doc, "history", top)) {  // 1.3.0
    const std::string w = top + "/history";
    history_record rec;
    rec.store = optional_string_at(*h, "store", w);
    rec.run_key = optional_string_at(*h, "run_key", w);
    rec.recorded = optional_bool(*h, "recorded", w);
    rec.pending = optional_bool(*h, "pending", w);
    rec.message = optional_string_at(*h, "message", w);
    r.history = rec;
  }
  return out;
}

loaded_report read_report_file(const std::filesystem::path& path) {
  return report_from_json(read_json_file(path), path.string());
}

}  // namespace wslcuda
