#include "report/markdown.hpp"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <map>
#include <sstream>

#include "measure/units.hpp"
#include "model/printable.hpp"
#include "model/verdict.hpp"

namespace wslcuda {

namespace {

/// Line breaks and tabs as spaces, then control bytes and invalid UTF-8 as \xNN
/// (model/printable.hpp terminal_safe).
std::string one_printable_line(const std::string& text) {
  std::string flat = text;
  for (char& c : flat)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return terminal_safe(flat);
}

}  // namespace

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : one_printable_line(text)) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '`':
        out += "\\`";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_code(const std::string& text) {
  std::string body;
  std::size_t run = 0, longest = 0;
  for (char c : one_printable_line(text)) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|')
      body += "\\|";
    else
      body += c;
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string markdown_summary(const run_report& report) {
  std::ostringstream md;
  md << "# wslcuda " << report.command << ": " << upper_case(to_string(overall_verdict(report)))
     << "\n\n";
  md << "Exit code " << report.exit_code;
  if (report.interrupted) md << " (interrupted)";
  md << ". ";
  if (!report.env.devices.empty()) {
    const device_record& d = report.env.devices.front();
    md << d.name << " (sm_" << d.cc_major << d.cc_minor << ")";
  } else {
    md << "No usable GPU";
  }
  if (report.env.driver.windows_driver_version)
    md << ", Windows driver " << *report.env.driver.windows_driver_version;
  else if (report.env.driver.nvml_driver_version)
    md << ", driver " << *report.env.driver.nvml_driver_version;
  md << ", "
     << (report.env.host.is_wsl ? "WSL " + std::to_string(report.env.host.wsl_version)
                                : std::string("Linux"))
     << ", kernel " << report.env.host.kernel_release << ".\n\n";
  if (!report.env.no_device_reason.empty())
    md << "> " << markdown_cell(report.env.no_device_reason) << "\n\n";
  for (const std::string& w : report.warnings) md << "> warning: " << markdown_cell(w) << "\n\n";
  if (report.gate) {
    const gate_summary& g = *report.gate;
    for (const std::string& w : g.warnings) md << "> judge: " << markdown_cell(w) << "\n\n";
    if (g.judged_by == "baseline")
      md << "Gate: " << upper_case(to_string(g.verdict)) << " against " << markdown_code(g.baseline)
         << "; " << markdown_cell(g.evidence)
         << ". Rows marked \"not gated\" are information only.\n\n";
    else
      md << "Gate: " << upper_case(to_string(g.verdict)) << ", judged by the "
         << markdown_cell(g.judged_by) << " (no baseline judged this run); "
         << markdown_cell(g.evidence) << ".\n\n";
    if (g.inconclusive())
      md << "**Inconclusive** (`" << to_string(g.reason)
         << "`): too little was judged for the gate to pass (exit 6).\n\n";
  }

  bool any_problem = false;
  std::ostringstream problems;
  for (const check_record& c : report.env.checks) {
    if (c.status != status::fail && c.status != status::error && c.status != status::warn) continue;
    any_problem = true;
    problems << "- **" << to_string(c.status) << "** " << markdown_code(c.id) << ": "
             << markdown_cell(c.message);
    if (!c.remedy.empty()) problems << "  \n  Remedy: " << markdown_cell(c.remedy);
    problems << "\n";
  }
  for (const result_row& r : report.results) {
    const status v = row_verdict(r);
    if (v != status::fail && v != status::error && v != status::warn) continue;
    any_problem = true;
    problems << "- **" << to_string(v) << "** " << markdown_code(r.id) << ": "
             << markdown_cell(row_message(r)) << "\n";
  }
  if (any_problem) md << "## Problems\n\n" << problems.str() << "\n";

  std::map<std::string, std::vector<const result_row*>> by_family;
  std::vector<std::string> order;
  for (const result_row& r : report.results) {
    if (!by_family.count(r.family)) order.push_back(r.family);
    by_family[r.family].push_back(&r);
  }
  if (!order.empty()) md << "## Results\n\n";
  for (const std::string& family : order) {
    md << "### " << family << "\n\n";
    md << "| id | status | median | throughput | % of peak | vs baseline |\n";
    md << "|---|---|---|---|---|---|\n";
    for (const result_row* r : by_family[family]) {
      md << "| " << markdown_code(r->id) << " | " << to_string(row_verdict(*r)) << " | "
         << (r->timing ? format_seconds(r->timing->median_s) : "-") << " | "
         << (r->throughput ? format_si(r->throughput->value, r->throughput->unit) : "-") << " | ";
      if (r->throughput && r->throughput->fraction_of_peak) {
        std::ostringstream pct;
        pct << std::fixed << std::setprecision(1) << 100.0 * *r->throughput->fraction_of_peak
            << " %";
        md << pct.str();
      } else {
        md << "-";
      }
      md << " | ";
      if (r->baseline && r->baseline->ratio) {
        std::ostringstream ratio;
        ratio << std::fixed << std::setprecision(3) << *r->baseline->ratio << "x (";
        if (r->baseline->gated && !*r->baseline->gated)
          ratio << "not gated: " << markdown_cell(r->baseline->why_not_gated) << ")";
        else
          ratio << to_string(r->baseline->verdict) << ", threshold " << std::setprecision(3)
                << r->baseline->threshold.value_or(0.0) << ")";
        md << ratio.str();
      } else if (r->baseline) {
        md << markdown_cell(r->baseline->message);
      } else {
        md << "-";
      }
      md << " |\n";
    }
    md << "\n";
  }
  if (!report.env.checks.empty()) {
    md << "<details><summary>Checks</summary>\n\n| id | status | message |\n|---|---|---|\n";
    for (const check_record& c : report.env.checks)
      md << "| " << markdown_code(c.id) << " | " << to_string(c.status) << " | "
         << markdown_cell(c.message) << " |\n";
    md << "\n</details>\n";
  }
  // Text from reports, baselines and paths may hold any byte: none reaches the Markdown raw.
  return terminal_safe(md.str());
}

}  // namespace wslcuda
