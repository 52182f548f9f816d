#include "report/console.hpp"

#include <cstdio>

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "measure/units.hpp"
#include "model/printable.hpp"
#include "model/verdict.hpp"
#include "report/exit_code.hpp"

namespace wslcuda {
namespace {

std::string sci(double v) {
  std::ostringstream os;
  os << std::setprecision(2) << std::scientific << v;
  return os.str();
}

const char* exit_meaning(int code) {
  switch (code) {
    case exit_ok:
      return "everything that ran passed";
    case exit_failed:
      return "a correctness, performance or doctor failure";
    case exit_usage:
      return "usage or input error";
    case exit_unusable:
      return "environment not usable: nothing could be validated";
    case exit_internal:
      return "internal error";
    case exit_output:
      return "environment error writing an output";
    case exit_inconclusive:
      return "inconclusive: too little was judged for the gate to pass";
    case exit_interrupted:
      return "interrupted";
  }
  return "";
}

}  // namespace

void print_environment(std::ostream& os, const environment& env) {
  os << "host    " << (env.host.distro.empty() ? "unknown distro" : terminal_safe(env.host.distro))
     << ", kernel "
     << (env.host.kernel_release.empty() ? std::string("unknown")
                                         : terminal_safe(env.host.kernel_release))
     << (env.host.is_wsl                   ? ", WSL " + std::to_string(env.host.wsl_version)
         : env.host.kernel_release.empty() ? std::string(", WSL or not: cannot tell")
                                           : std::string(", not WSL"))
     << "\n";
  os << "driver  ";
  if (env.driver.cuda_driver_api > 0)
    os << "CUDA driver API " << cuda_version_string(env.driver.cuda_driver_api);
  else
    os << "no CUDA driver";
  if (env.driver.windows_driver_version)
    os << ", Windows driver " << terminal_safe(*env.driver.windows_driver_version);
  if (env.driver.nvml_driver_version)
    os << ", driver " << terminal_safe(*env.driver.nvml_driver_version);
  else if (env.driver.kernel_module_version)
    os << ", kernel module " << terminal_safe(*env.driver.kernel_module_version);
  os << "; runtime " << cuda_version_string(env.driver.cuda_runtime) << " (static)\n";
  for (const dxcore_adapter& a : env.dxcore.adapters) {
    os << "dxcore  " << terminal_safe(a.description) << (a.is_hardware ? "" : " (software)")
       << ", driver " << terminal_safe(a.driver_version)
       << (a.windows_driver_version ? " = " + terminal_safe(*a.windows_driver_version)
                                    : std::string())
       << "\n";
  }
  for (const device_record& d : env.devices) {
    os << "device  " << d.index << ": " << terminal_safe(d.name) << ", sm_" << d.cc_major
       << d.cc_minor << ", " << d.sm_count << " SMs, "
       << format_si(static_cast<double>(d.total_memory_bytes), "B") << ", peak "
       << format_si(d.peak_fp32_flops, "FLOP/s") << " fp32, "
       << format_si(d.peak_dram_bytes_per_s, "B/s") << " DRAM\n";
  }
}

void print_checks(std::ostream& os, const std::vector<check_record>& checks) {
  std::string area;
  for (const check_record& c : checks) {
    const std::string this_area = c.id.substr(0, c.id.find('.'));
    if (this_area != area) {
      area = this_area;
      os << area << "\n";
    }
    os << "  [" << std::left << std::setw(5) << upper_case(to_string(c.status)) << "] "
       << std::setw(22) << terminal_safe(c.id) << terminal_safe(c.message) << "\n";
    if (!c.remedy.empty()) os << "          remedy: " << terminal_safe(c.remedy) << "\n";
  }
}

void print_progress(std::ostream& os, const result_row& row) {
  os << "[" << std::left << std::setw(5) << upper_case(to_string(row.status)) << "] "
     << terminal_safe(row.id) << ": " << terminal_safe(row.message) << std::endl;
}

void progress_printer::operator()(const result_row& row) {
  if (row.status == status::skip && row.message == last_skip_) {
    ++repeats_;
    return;
  }
  flush();
  if (row.status == status::skip) last_skip_ = row.message;
  print_progress(os_, row);
}

void progress_printer::flush() {
  if (repeats_ > 0) os_ << "[SKIP ] … and " << repeats_ << " more for the same reason" << std::endl;
  repeats_ = 0;
}

void print_results_table(std::ostream& os, const std::vector<result_row>& rows) {
  std::size_t id_width = 2;
  for (const result_row& r : rows) id_width = std::max(id_width, terminal_safe(r.id).size());
  os << std::left << std::setw(static_cast<int>(id_width)) << "id"
     << "  " << std::setw(8) << "status" << std::setw(11) << "median" << std::setw(26)
     << "throughput (% of peak)"
     << "error / bound\n";
  // Rows of a family skipped for one reason (no driver, no device, a missing library) collapse
  // into one line, and each reason is said once below the table: 151 copies of "no CUDA
  // driver" help nobody, nor 40 copies of how to install cuDNN.
  std::map<std::pair<std::string, std::string>, std::size_t> skipped_alike;  // (family, reason)
  for (const result_row& r : rows)
    if (row_verdict(r) == status::skip) ++skipped_alike[{r.family, r.message}];
  std::vector<std::string> reasons;  // of the collapsed lines, in order of first mention
  for (const result_row& r : rows)
    if (row_verdict(r) == status::skip && skipped_alike[{r.family, r.message}] > 1 &&
        std::find(reasons.begin(), reasons.end(), r.message) == reasons.end())
      reasons.push_back(r.message);
  // "reason", or "reason 2" when there are several.
  const auto label = [&reasons](const std::string& message) {
    if (reasons.size() == 1) return std::string("reason");
    const auto at = std::find(reasons.begin(), reasons.end(), message);
    return "reason " + std::to_string(at - reasons.begin() + 1);
  };
  std::set<std::pair<std::string, std::string>> group_done;
  for (const result_row& r : rows) {
    const std::pair<std::string, std::string> group{r.family, r.message};
    const status verdict = row_verdict(r);
    if (verdict == status::skip && skipped_alike[group] > 1) {
      if (group_done.insert(group).second)
        os << std::left << std::setw(static_cast<int>(id_width)) << terminal_safe(r.family) + ".*"
           << "  " << std::setw(8) << "skip" << skipped_alike[group] << " workloads ("
           << label(r.message) << " below)\n";
      continue;
    }
    std::string median = r.timing ? format_seconds(r.timing->median_s) : "-";
    std::string tp = "-";
    if (r.throughput) {
      tp = format_si(r.throughput->value, r.throughput->unit);
      if (r.throughput->fraction_of_peak) {
        std::ostringstream pct;
        pct << std::fixed << std::setprecision(1) << 100.0 * *r.throughput->fraction_of_peak;
        tp += " (" + pct.str() + "%)";
      }
    }
    std::string err = "-";
    if (r.correctness) err = sci(r.correctness->value) + " / " + sci(r.correctness->bound);
    os << std::left << std::setw(static_cast<int>(id_width)) << terminal_safe(r.id) << "  "
       << std::setw(8) << to_string(verdict) << std::setw(11) << median << std::setw(26) << tp
       << err << "\n";
    if (verdict != status::pass) os << "    " << terminal_safe(row_message(r)) << "\n";
  }
  for (const std::string& reason : reasons)
    os << "skipped (" << label(reason) << "): " << terminal_safe(reason) << "\n";
}

void print_judgement(std::ostream& os, const gate_summary& g) {
  for (const std::string& w : g.warnings) os << "judge: " << terminal_safe(w) << "\n";
  if (g.judged_by == "baseline")
    os << "gate: " << upper_case(to_string(g.verdict)) << " against " << terminal_safe(g.baseline);
  else
    os << "gate: " << upper_case(to_string(g.verdict)) << " by the " << g.judged_by;
  os << "; " << terminal_safe(g.evidence);
  if (g.confirmation_rounds > 0) os << "; " << g.confirmation_rounds << " confirmation round(s)";
  os << "\n";
  if (g.inconclusive())
    os << "gate: inconclusive (" << to_string(g.reason)
       << "): the verdict cannot pass on this little evidence; run the full suite, use "
          "--repeat 3, or check why rows were skipped\n";
}

void print_verdict(std::ostream& os, const run_report& report) {
  if (report.timing) {
    const run_timing& t = *report.timing;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "wall time %.1f s: probe %.1f s, workloads %.1f s, gate %.1f s, other %.1f s",
                  t.wall_s, t.probe_s, t.measured_s(), t.judge_s, t.other_s);
    os << buf << "\n";
  }
  os << "verdict: " << upper_case(to_string(overall_verdict(report))) << " (exit "
     << report.exit_code << ": " << exit_meaning(report.exit_code) << ")\n";
  if (!report.env.no_device_reason.empty())
    os << "reason:  " << terminal_safe(report.env.no_device_reason) << "\n";
}

}  // namespace wslcuda
