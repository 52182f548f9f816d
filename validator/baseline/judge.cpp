#include "baseline/judge.hpp"

#include <cstdio>
#include <map>

#include "baseline/bundled_baselines.hpp"
#include "baseline/compare.hpp"
#include "baseline/floors.hpp"
#include "model/executions.hpp"

namespace wslcuda {
namespace {

/// The baseline block of `row` from the comparison (or why it has none).
baseline_block block_for(const result_row& row, const entry_comparison* e,
                         const std::string& source) {
  baseline_block b;
  b.source = source;
  if (e == nullptr) {
    b.verdict = status::skip;
    b.reason = row.timing ? reason_code::no_entry : reason_code::not_timed;
    b.message = row.timing ? "no entry for this id in " + source : "not timed";
    return b;
  }
  b.ratio = e->ratio;
  if (e->ci) {
    b.ci95_lo = e->ci->low;
    b.ci95_hi = e->ci->high;
  }
  b.threshold = e->threshold;
  b.noise = e->noise;
  b.gated = e->gated;
  b.why_not_gated = e->why_not_gated;
  b.baseline_executions = e->baseline_executions;
  b.candidate_executions = e->candidate_executions;
  b.verdict = e->verdict;
  b.reason = e->reason;
  b.message = e->message;
  b.value = e->baseline_central_s;
  b.unit = "s";
  if (row.throughput && e->ratio > 0.0) {  // baseline throughput = candidate throughput / ratio
    b.value = row.throughput->value / e->ratio;
    b.unit = row.throughput->unit;
  }
  return b;
}

/// A block saying that no baseline judged the row, and why.
baseline_block unmatched_block(const std::string& why) {
  baseline_block b;
  b.verdict = status::skip;
  b.reason = reason_code::no_matching_baseline;
  b.message = why;
  return b;
}

/// The evidence of the health floors: of the rows a floor covers (latency information aside),
/// how many the floors judged and how many of those pass.
void floors_summary(const std::vector<result_row>& rows, const gate_policy& policy,
                    gate_summary& s) {
  std::size_t covered = 0, judged = 0, passed = 0;
  std::vector<status> verdicts;
  for (const result_row& r : rows) {
    if (floor_for(policy, r.id) == nullptr) continue;
    ++covered;
    if (!r.floor || r.floor->verdict == status::skip) continue;
    ++judged;
    passed += r.floor->verdict == status::pass ? 1 : 0;
    verdicts.push_back(r.floor->verdict);
  }
  s.judged_by = "health floors";
  s.baseline.clear();
  s.baseline_rows = covered;
  s.gated = judged;
  s.gated_pass = passed;
  char buf[240];
  if (covered == 0) {
    s.evidence = "health floors: no row of this run has a floor";
  } else {
    std::snprintf(buf, sizeof buf,
                  "health floors judged %zu of the %zu rows a floor covers in this run; %zu of "
                  "them pass",
                  judged, covered, passed);
    s.evidence = buf;
  }
  s.verdict = aggregate(verdicts);
  s.reason = apply_evidence_rule(covered, judged, passed, policy, s.verdict, s.evidence);
}

}  // namespace

std::string host_link_of(const environment& env, int device) {
  for (const device_record& d : env.devices)
    if (d.index == device) return d.host_link.description;
  return "";
}

judgement judge_run(const run_report& measured, const std::vector<result_row>& executions,
                    const judge_inputs& in) {
  judgement j;
  gate_summary& s = j.summary;
  run_report current = measured;
  std::vector<result_row> all = executions;

  // The baseline.
  std::optional<comparable_document> baseline;
  std::string why_not = "no baseline asked for (--baseline none)";
  bool use_bundled = false;
  switch (in.choice) {
    case baseline_choice::none:
      break;
    case baseline_choice::file:
      baseline = in.explicit_baseline;
      break;
    case baseline_choice::history:
      if (in.history_baseline) {
        baseline = in.history_baseline;
      } else {
        s.warnings.push_back("--baseline history: " + in.history_note +
                             "; judged as --baseline auto instead");
        use_bundled = true;
      }
      break;
    case baseline_choice::automatic:
      if (in.history_baseline && in.history_baseline->context.sources.size() >= 2)
        baseline = in.history_baseline;
      else
        use_bundled = true;
      break;
  }
  if (in.choice != baseline_choice::none)
    s.warnings.insert(s.warnings.end(), in.notes.begin(), in.notes.end());
  if (use_bundled)
    baseline = find_bundled_baseline(
        in.bundled, comparable_from_report(current, in.device, "this run"), why_not);

  // The comparison, with confirmation rounds while a gated row fails or warns.
  std::optional<document_comparison> compared;
  while (baseline) {
    document_comparison c = compare_documents(
        *baseline, comparable_from_report(current, in.device, "this run"), in.policy);
    if (!c.comparable) {
      why_not = c.why_not;
      break;
    }
    std::vector<std::string> suspects;
    for (const entry_comparison& e : c.rows)
      if (e.gated && (e.verdict == status::fail || e.verdict == status::warn))
        suspects.push_back(e.id);
    compared = std::move(c);
    if (suspects.empty() || s.confirmation_rounds >= in.confirm || !in.rerun) break;
    ++s.confirmation_rounds;
    std::vector<result_row> again = in.rerun(suspects);
    if (again.empty()) break;  // interrupted: judge on what there is
    for (result_row& r : again) {
      all.push_back(r);
      j.confirmations.push_back(std::move(r));
    }
    current.results = merge_by_id(all);
  }

  // Rows: the baseline blocks, then the floors (applied when no baseline judges) and the latency
  // information, on a copy of the measured rows.
  std::vector<result_row> rows = current.results;
  for (result_row& r : rows) {  // an earlier judgement (a report judged before) plays no part
    r.baseline.reset();
    r.floor.reset();
  }
  if (compared) {
    std::map<std::string, const entry_comparison*> by_id;
    for (const entry_comparison& e : compared->rows) by_id[e.id] = &e;
    for (result_row& r : rows) {
      const auto it = by_id.find(r.id);
      r.baseline = block_for(r, it == by_id.end() ? nullptr : it->second, baseline->source);
    }
  } else if (in.choice != baseline_choice::none) {
    for (result_row& r : rows) r.baseline = unmatched_block(why_not);
  }
  apply_floors(rows, in.policy, host_link_of(current.env, in.device), !compared);
  add_latency_information(rows, in.bundled);
  for (const result_row& r : rows) j.rows.push_back(row_judgement{r.id, r.baseline, r.floor});

  // What the verdict rests on.
  if (compared) {
    s.judged_by = "baseline";
    s.baseline = baseline->source;
    s.baseline_rows = baseline->entries.size();
    s.gated = compared->gated;
    s.gated_pass = compared->gated_pass;
    s.evidence = compared->evidence;
    s.reason = compared->evidence_reason;
    s.verdict = compared->verdict;
  } else {
    if (in.choice != baseline_choice::none) s.warnings.push_back(why_not);
    floors_summary(rows, in.policy, s);
  }
  return j;
}

judgement not_compared(const run_report& measured, const std::string& why) {
  judgement j;
  for (const result_row& r : measured.results) {
    baseline_block b;
    b.verdict = status::skip;
    b.reason = reason_code::not_compared;
    b.message = "not compared: " + why;
    j.rows.push_back(row_judgement{r.id, b, std::nullopt});
  }
  j.summary.judged_by = "nothing";
  j.summary.reason = reason_code::nothing_judged;
  j.summary.evidence = "not compared: " + why;
  j.summary.verdict = status::warn;
  j.summary.warnings.push_back("not compared: " + why);
  return j;
}

void apply_judgement(run_report& report, const judgement& j) {
  std::map<std::string, const row_judgement*> by_id;
  for (const row_judgement& r : j.rows) by_id[r.id] = &r;
  for (result_row& r : report.results) {
    const auto it = by_id.find(r.id);
    r.baseline = it == by_id.end() ? std::nullopt : it->second->baseline;
    r.floor = it == by_id.end() ? std::nullopt : it->second->floor;
  }
  report.gate = j.summary;
}

void clear_judgement(run_report& report) {
  for (result_row& r : report.results) {
    r.baseline.reset();
    r.floor.reset();
  }
  report.gate.reset();
}

}  // namespace wslcuda
