#include "baseline/gate.hpp"

#include <algorithm>
#include <map>

#include "model/executions.hpp"

namespace wslcuda {
void attach_comparison(std::vector<result_row>& results, const document_comparison& comparison,
                       const std::string& baseline_source) {
  std::map<std::string, const entry_comparison*> by_id;
  for (const entry_comparison& e : comparison.rows) by_id[e.id] = &e;
  for (result_row& r : results) {
    const auto it = by_id.find(r.id);
    baseline_block b;
    b.source = baseline_source;
    if (it == by_id.end()) {
      b.verdict = status::skip;
      b.message = r.timing ? "no entry for this id in " + baseline_source : "not timed";
      r.baseline = b;
      continue;
    }
    const entry_comparison& e = *it->second;
    b.ratio = e.ratio;
    if (e.ci) {
      b.ci95_lo = e.ci->low;
      b.ci95_hi = e.ci->high;
    }
    b.threshold = e.threshold;
    b.noise = e.noise;
    b.gated = e.gated;
    b.why_not_gated = e.why_not_gated;
    b.baseline_executions = e.baseline_executions;
    b.candidate_executions = e.candidate_executions;
    b.verdict = e.verdict;
    b.message = e.message;
    b.value = e.baseline_central_s;
    b.unit = "s";
    if (r.throughput && e.ratio > 0.0) {  // baseline throughput = candidate throughput / ratio
      b.value = r.throughput->value / e.ratio;
      b.unit = r.throughput->unit;
    }
    r.baseline = b;
    if (r.status == status::pass && (e.verdict == status::fail || e.verdict == status::warn)) {
      r.status = e.verdict;
      r.message += "; baseline: " + e.message;
    }
  }
}

document_comparison gate_report(
    run_report& report, std::vector<result_row>& executions, int device,
    const comparable_document& baseline, const gate_policy& policy, int confirm,
    const std::function<std::vector<result_row>(const std::vector<std::string>&)>& rerun,
    int* rounds) {
  int round = 0;
  for (;;) {
    report.results = merge_by_id(executions);
    const document_comparison c =
        compare_documents(baseline, comparable_from_report(report, device, "this run"), policy);
    if (!c.comparable) {
      attach_no_baseline(report.results, c.why_not);
      if (rounds != nullptr) *rounds = round;
      return c;
    }
    attach_comparison(report.results, c, baseline.source);
    std::vector<std::string> suspects;
    for (const entry_comparison& e : c.rows)
      if (e.gated && (e.verdict == status::fail || e.verdict == status::warn))
        suspects.push_back(e.id);
    if (suspects.empty() || round >= confirm || !rerun) {
      if (rounds != nullptr) *rounds = round;
      return c;
    }
    ++round;
    const std::vector<result_row> again = rerun(suspects);
    if (again.empty()) {  // interrupted: judge on what there is
      if (rounds != nullptr) *rounds = round;
      return c;
    }
    executions.insert(executions.end(), again.begin(), again.end());
  }
}

void clear_gate(result_row& row) {
  std::size_t cut = std::string::npos;
  for (const char* marker : {"; baseline: ", "; floor: "})
    cut = std::min(cut, row.message.find(marker));
  if (cut != std::string::npos) {
    row.message.erase(cut);
    // Only a passing measurement is ever folded into warn or fail.
    if (row.status == status::warn || row.status == status::fail) row.status = status::pass;
  }
  row.baseline.reset();
  row.floor.reset();
}

void attach_no_baseline(std::vector<result_row>& results, const std::string& why) {
  for (result_row& r : results) {
    baseline_block b;
    b.verdict = status::skip;
    b.message = why;
    r.baseline = b;
  }
}

}  // namespace wslcuda
