#include "report/comparison_formats.hpp"

#include <iomanip>
#include <sstream>

#include "measure/units.hpp"
#include "model/printable.hpp"
#include "report/markdown.hpp"

namespace wslcuda {
namespace {

json context_to_json(const comparable_document& d) {
  const comparable_context& c = d.context;
  return json{{"source", d.source},
              {"kind", d.kind},
              {"gpu_name", c.gpu_name},
              {"compute_capability", c.compute_capability},
              {"driver_version", c.driver_version},
              {"cuda_driver_api_version", c.cuda_driver_api_version},
              {"os", c.os},
              {"kernel_release", c.kernel_release},
              {"is_wsl", c.is_wsl},
              {"captured_at", c.captured_at}};
}

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

}  // namespace

json comparison_to_json(const document_comparison& c, const comparable_document& baseline,
                        const comparable_document& candidate, const gate_policy& policy,
                        int exit_code) {
  json rows = json::array();
  for (const entry_comparison& e : c.rows) {
    rows.push_back(
        json{{"id", e.id},
             {"family", e.family},
             {"bound", to_string(e.bound)},
             {"gated", e.gated},
             {"why_not_gated", e.why_not_gated},
             {"baseline_central_s", e.baseline_central_s},
             {"candidate_central_s", e.candidate_central_s},
             {"ratio", e.ratio},
             {"ci95", e.ci ? json::array({e.ci->low, e.ci->high}) : json(nullptr)},
             {"min_ratio", e.min_ratio},
             {"noise", e.noise},
             {"noise_from", e.noise_from},
             {"threshold", e.threshold},
             {"executions",
              {{"baseline", e.baseline_executions}, {"candidate", e.candidate_executions}}},
             {"algorithms_differ",
              e.baseline_algorithm.empty()
                  ? json(nullptr)
                  : json{{"baseline", e.baseline_algorithm}, {"candidate", e.candidate_algorithm}}},
             {"verdict", to_string(e.verdict)},
             {"message", e.message}});
  }
  json out{{"schema_version", kComparisonSchemaVersion},
           {"kind", "wslcuda-comparison"},
           {"baseline", context_to_json(baseline)},
           {"candidate", context_to_json(candidate)},
           {"policy",
            {{"source", policy.source},
             {"policy_version", policy.policy_version},
             {"alpha", policy.alpha},
             {"noise_k", policy.noise_k},
             {"min_evidence_fraction", policy.min_evidence_fraction}}},
           {"comparable", c.comparable},
           {"why_not", c.why_not},
           {"gated", c.gated},
           {"gated_pass", c.gated_pass},
           {"evidence", c.evidence},
           {"rows", rows},
           {"only_in_baseline", c.only_in_baseline},
           {"only_in_candidate", c.only_in_candidate},
           {"verdict", to_string(c.verdict)},
           {"exit_code", exit_code}};
  escape_invalid_utf8(out);  // file names from the command line may hold any bytes
  return out;
}

std::string comparison_markdown(const document_comparison& c, const comparable_document& baseline,
                                const comparable_document& candidate, const gate_policy& policy) {
  std::ostringstream md;
  md << "# wslcuda compare: " << upper_case(to_string(c.verdict)) << "\n\n";
  md << "Baseline " << markdown_code(baseline.source) << " ("
     << markdown_cell(baseline.context.gpu_name) << ", "
     << (baseline.context.is_wsl ? "WSL" : "Linux") << ", driver "
     << markdown_cell(baseline.context.driver_version) << ", " << baseline.context.machines.size()
     << " machine(s)) vs candidate " << markdown_code(candidate.source) << " ("
     << markdown_cell(candidate.context.gpu_name) << ", "
     << (candidate.context.is_wsl ? "WSL" : "Linux") << ", driver "
     << markdown_cell(candidate.context.driver_version) << "). Policy "
     << markdown_cell(policy.policy_version) << ", noise k " << policy.noise_k << ".\n\n";
  if (!c.comparable) md << "> " << markdown_cell(c.why_not) << "\n\n";
  md << "The verdict rests on the gated rows: " << markdown_cell(c.evidence) << ".\n\n";
  bool any = false;
  for (const entry_comparison& e : c.rows) {
    if (e.verdict != status::fail && e.verdict != status::warn) continue;
    if (!any) md << "## Regressions\n\n";
    any = true;
    md << "- **" << to_string(e.verdict) << "** " << markdown_code(e.id) << ": "
       << markdown_cell(e.message) << "\n";
  }
  if (any) md << "\n";
  for (const bool gated : {true, false}) {
    std::map<std::string, std::vector<const entry_comparison*>> by_family;
    std::vector<std::string> order;
    for (const entry_comparison& e : c.rows) {
      if (e.gated != gated) continue;
      if (!by_family.count(e.family)) order.push_back(e.family);
      by_family[e.family].push_back(&e);
    }
    if (order.empty()) continue;
    md << (gated ? "## Gated rows\n\n" : "## Not gated (information only)\n\n");
    for (const std::string& family : order) {
      md << "### " << family << "\n\n| id | bound | baseline | candidate | ratio | 95 % CI | "
         << (gated ? "threshold | verdict" : "why not gated") << " |\n|---|---|---|---|---|---|---|"
         << (gated ? "---|" : "") << "\n";
      for (const entry_comparison* e : by_family[family]) {
        md << "| " << markdown_code(e->id) << " | " << to_string(e->bound) << " | "
           << format_seconds(e->baseline_central_s) << " | "
           << format_seconds(e->candidate_central_s) << " | " << fixed(e->ratio, 3) << " | "
           << (e->ci ? fixed(e->ci->low, 3) + "-" + fixed(e->ci->high, 3) : std::string("-"))
           << " | ";
        if (gated)
          md << fixed(e->threshold, 3) << " | " << to_string(e->verdict) << " |\n";
        else
          md << markdown_cell(e->why_not_gated) << " |\n";
      }
      md << "\n";
    }
  }
  if (!c.only_in_baseline.empty() || !c.only_in_candidate.empty()) {
    md << "## Not compared\n\n";
    for (const std::string& id : c.only_in_baseline)
      md << "- " << markdown_code(id) << ": only in the baseline\n";
    for (const std::string& id : c.only_in_candidate)
      md << "- " << markdown_code(id) << ": only in the candidate\n";
  }
  // Text from reports, baselines and paths may hold any byte: none reaches the Markdown raw.
  return terminal_safe(md.str());
}

void print_comparison(std::ostream& os, const document_comparison& c,
                      const comparable_document& baseline, const comparable_document& candidate) {
  os << "baseline:  " << terminal_safe(baseline.source) << " ("
     << terminal_safe(baseline.context.gpu_name) << ", "
     << (baseline.context.is_wsl ? "WSL" : "Linux") << ", " << baseline.context.machines.size()
     << " machine(s))\n";
  os << "candidate: " << terminal_safe(candidate.source) << " ("
     << terminal_safe(candidate.context.gpu_name) << ", "
     << (candidate.context.is_wsl ? "WSL" : "Linux") << ")\n";
  if (!c.comparable) os << terminal_safe(c.why_not) << "\n";
  std::size_t width = 2;
  for (const entry_comparison& e : c.rows) width = std::max(width, terminal_safe(e.id).size());
  for (const bool gated : {true, false}) {
    os << (gated ? "\ngated rows:\n" : "\nnot gated (information only):\n");
    os << std::left << std::setw(static_cast<int>(width)) << "id"
       << "  " << std::setw(11) << "baseline" << std::setw(11) << "candidate" << std::setw(8)
       << "ratio" << std::setw(14) << "95% CI" << std::setw(8) << (gated ? "min" : "")
       << (gated ? "verdict" : "why") << "\n";
    for (const entry_comparison& e : c.rows) {
      if (e.gated != gated) continue;
      os << std::left << std::setw(static_cast<int>(width)) << terminal_safe(e.id) << "  "
         << std::setw(11) << format_seconds(e.baseline_central_s) << std::setw(11)
         << format_seconds(e.candidate_central_s) << std::setw(8) << fixed(e.ratio, 3)
         << std::setw(14)
         << (e.ci ? fixed(e.ci->low, 3) + "-" + fixed(e.ci->high, 3) : std::string("-"));
      if (gated)
        os << std::setw(8) << fixed(e.threshold, 3) << to_string(e.verdict) << "\n";
      else
        os << "        " << terminal_safe(e.why_not_gated) << "\n";
    }
  }
  for (const std::string& id : c.only_in_baseline)
    os << terminal_safe(id) << ": only in the baseline\n";
  for (const std::string& id : c.only_in_candidate)
    os << terminal_safe(id) << ": only in the candidate\n";
  os << c.evidence << "\n";
  os << "verdict: " << upper_case(to_string(c.verdict)) << "\n";
}

}  // namespace wslcuda
