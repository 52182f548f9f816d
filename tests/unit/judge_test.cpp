// The judge as a value (baseline/judge.hpp): no process, no file. It never rewrites a
// measurement, prints nothing, gives byte-identical JSON when a report is judged twice, chooses
// its baseline as documented, keeps a gate from passing on nothing, and gives every decision a
// reason code (one test per code, here or beside its rule in gate_test.cpp and floors_test.cpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "baseline/compare.hpp"
#include "baseline/floors.hpp"
#include "baseline/judge.hpp"
#include "measure/statistics.hpp"
#include "model/executions.hpp"
#include "model/report_json.hpp"
#include "model/verdict.hpp"
#include "report/exit_code.hpp"

namespace wslcuda {
namespace {

/// One timed row of one execution: `n` samples around `seconds` (±0.1 % steps), measured pass.
result_row timed(const std::string& id, double seconds, int n = 11) {
  result_row r;
  r.id = id;
  r.family = id.substr(0, id.find('.'));
  r.implementation = "own";
  r.precision = "f32";
  r.status = status::pass;
  r.message = "ok";
  r.bound_reason = "timed on the device";
  r.flops = 2e9;
  timing_block t;
  for (int i = 0; i < n; ++i) t.values_s.push_back(seconds * (1.0 + 1e-3 * (i - n / 2)));
  std::vector<double> sorted = t.values_s;
  std::sort(sorted.begin(), sorted.end());
  t.samples = t.values_s.size();
  t.median_s = t.mean_s = median_of(sorted);
  t.min_s = sorted.front();
  t.max_s = sorted.back();
  t.ci95_lo_s = t.min_s;
  t.ci95_hi_s = t.max_s;
  t.mode = "scripted";
  t.stop_reason = "converged";
  r.timing = t;
  r.executions = {execution_stats{0, t.samples, t.median_s, t.min_s, t.max_s, 0.001}};
  throughput_block tp;
  tp.value = r.flops / t.median_s;
  tp.unit = "FLOP/s";
  r.throughput = tp;
  return r;
}

run_report h200_run(std::vector<result_row> rows, const std::string& uuid = "GPU-a") {
  run_report r;
  r.command = "run";
  r.started_at = "2026-12-01T00:00:00Z";
  device_record d;
  d.name = "NVIDIA H200";
  d.cc_major = 9;
  d.uuid = uuid;
  r.env.devices = {d};
  r.results = std::move(rows);
  return r;
}

/// A baseline of two executions per id at the given seconds (and 1 % above), from GPU-b.
comparable_document baseline_of(const std::vector<std::pair<std::string, double>>& rows,
                                const std::string& source = "base.json") {
  std::vector<comparable_document> runs;
  for (int k = 0; k < 2; ++k) {
    std::vector<result_row> timed_rows;
    for (const auto& [id, s] : rows) timed_rows.push_back(timed(id, s * (1.0 + 0.01 * k)));
    run_report r = h200_run(timed_rows, "GPU-b");
    r.started_at = "2026-11-30T00:0" + std::to_string(k) + ":00Z";
    runs.push_back(comparable_from_report(r, 0, source + "#" + std::to_string(k)));
  }
  comparable_document merged = merge_documents(runs);
  merged.source = source;
  return merged;
}

gate_policy plain_policy() {
  gate_policy p = default_policy();
  p.noise_floors.clear();
  return p;
}

judge_inputs against(const comparable_document& baseline) {
  judge_inputs in;
  in.choice = baseline_choice::file;
  in.explicit_baseline = baseline;
  in.policy = plain_policy();
  return in;
}

const result_row& row(const run_report& r, const std::string& id) {
  for (const result_row& x : r.results)
    if (x.id == id) return x;
  throw std::runtime_error("no row " + id);
}

}  // namespace

TEST(Judge, LeavesTheMeasurementAndPrintsNothing) {
  run_report report = h200_run({timed("gemm.own.f32.a", 1.2e-3), timed("gemm.own.f32.b", 1e-3)});
  const std::vector<result_row> measured = report.results;
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const judgement j =
      judge_run(report, report.results,
                against(baseline_of({{"gemm.own.f32.a", 1e-3}, {"gemm.own.f32.b", 1e-3}})));
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  apply_judgement(report, j);
  for (std::size_t i = 0; i < measured.size(); ++i) {
    EXPECT_EQ(report.results[i].status, measured[i].status);
    EXPECT_EQ(report.results[i].message, measured[i].message);
  }
  EXPECT_EQ(row_verdict(row(report, "gemm.own.f32.a")), status::fail);
  EXPECT_EQ(row_verdict(row(report, "gemm.own.f32.b")), status::pass);
  EXPECT_EQ(report.gate->judged_by, "baseline");
  EXPECT_EQ(report.gate->verdict, status::fail);
}

TEST(Judge, JudgingAReportTwiceGivesByteIdenticalJson) {
  run_report report = h200_run({timed("gemm.own.f32.a", 1.2e-3), timed("gemm.own.f32.b", 1e-3),
                                timed("reduce.own.f32.c", 5e-4)});
  const comparable_document base =
      baseline_of({{"gemm.own.f32.a", 1e-3}, {"gemm.own.f32.b", 1e-3}});
  apply_judgement(report, judge_run(report, report.results, against(base)));
  const std::string once = report_to_json(report).dump();
  // Read back (as `wslcuda gate` does) and judged again: no clearing step.
  run_report again = report_from_json(json::parse(once), "once.json").report;
  apply_judgement(again, judge_run(again, again.results, against(base)));
  EXPECT_EQ(report_to_json(again).dump(), once);
  // Judged again without a baseline: the floors' judgement replaces the baseline's entirely.
  judge_inputs none;
  none.choice = baseline_choice::none;
  none.policy = plain_policy();
  apply_judgement(again, judge_run(again, again.results, none));
  EXPECT_FALSE(again.results[0].baseline.has_value());
  EXPECT_EQ(again.gate->judged_by, "health floors");
}

TEST(Judge, ConfirmationRoundsAreReturnedNotMerged) {
  run_report report = h200_run({timed("gemm.own.f32.a", 1.2e-3)});
  judge_inputs in = against(baseline_of({{"gemm.own.f32.a", 1e-3}}));
  in.confirm = 2;
  int calls = 0;
  in.rerun = [&](const std::vector<std::string>& ids) {
    ++calls;
    std::vector<result_row> out;
    for (const std::string& id : ids) out.push_back(timed(id, 1e-3));  // back to speed
    return out;
  };
  const judgement j = judge_run(report, report.results, in);
  // One fresh execution at speed leaves the row overlapping (warn, still suspect); the second
  // outvotes the slow one.
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(j.summary.confirmation_rounds, 2);
  ASSERT_EQ(j.confirmations.size(), 2u);
  EXPECT_EQ(j.rows[0].baseline->verdict, status::pass);
  EXPECT_EQ(j.rows[0].baseline->candidate_executions, 3);
  EXPECT_EQ(report.results[0].executions.size(), 1u);  // the caller merges them
}

TEST(Judge, BaselineChoiceFollowsTheDocumentedOrder) {
  run_report report = h200_run({timed("gemm.own.f32.a", 1e-3)});
  comparable_document history = baseline_of({{"gemm.own.f32.a", 1e-3}}, "history: 2 runs");
  comparable_document bundled = baseline_of({{"gemm.own.f32.a", 1e-3}}, "bundled.json");
  judge_inputs in;
  in.policy = plain_policy();
  in.bundled = {bundled};
  // auto: the history baseline when it rests on two runs or more…
  in.history_baseline = history;
  EXPECT_EQ(judge_run(report, report.results, in).summary.baseline, "history: 2 runs");
  // …else the bundled one…
  in.history_baseline->context.sources = {"one.json"};
  EXPECT_EQ(judge_run(report, report.results, in).summary.baseline, "bundled.json");
  // …and `history` takes it whatever its size, or falls back and says so.
  in.choice = baseline_choice::history;
  EXPECT_EQ(judge_run(report, report.results, in).summary.baseline, "history: 2 runs");
  in.history_baseline.reset();
  in.history_note = "no earlier driver of this machine in the store";
  const judgement fallback = judge_run(report, report.results, in);
  EXPECT_EQ(fallback.summary.baseline, "bundled.json");
  ASSERT_FALSE(fallback.summary.warnings.empty());
  EXPECT_NE(fallback.summary.warnings[0].find("no earlier driver"), std::string::npos);
  // none: the floors alone, and no baseline block on any row.
  in.choice = baseline_choice::none;
  const judgement floors = judge_run(report, report.results, in);
  EXPECT_EQ(floors.summary.judged_by, "health floors");
  EXPECT_FALSE(floors.rows[0].baseline.has_value());
}

TEST(Judge, AGateIsNeverGreenOnNothing) {
  // Every row skipped (a device-lost night) and no rows at all: nothing judged.
  result_row lost = timed("gemm.cublas.f32.m4096n4096k4096", 1e-3);
  lost.status = status::skip;
  lost.message = "device lost";
  lost.timing.reset();
  lost.throughput.reset();
  lost.executions.clear();
  for (const std::vector<result_row>& rows :
       {std::vector<result_row>{lost}, std::vector<result_row>{}}) {
    run_report report = h200_run(rows);
    for (baseline_choice choice : {baseline_choice::none, baseline_choice::file}) {
      judge_inputs in = against(baseline_of({{"gemm.cublas.f32.m4096n4096k4096", 1e-3}}));
      in.choice = choice;
      const judgement j = judge_run(report, report.results, in);
      EXPECT_EQ(j.summary.reason, reason_code::nothing_judged);
      EXPECT_TRUE(j.summary.inconclusive());
      EXPECT_NE(j.summary.verdict, status::pass);
      apply_judgement(report, j);
      EXPECT_EQ(exit_code_for(true, overall_statuses(report), false, j.summary.inconclusive()),
                exit_inconclusive);
    }
  }
  // A gate that judged too little of what the baseline holds: too_little_evidence.
  run_report thin = h200_run({timed("gemm.own.f32.a", 1e-3)});
  const judgement j = judge_run(
      thin, thin.results,
      against(baseline_of(
          {{"gemm.own.f32.a", 1e-3}, {"gemm.own.f32.b", 1e-3}, {"gemm.own.f32.c", 1e-3}})));
  EXPECT_EQ(j.summary.reason, reason_code::enough_evidence);  // b and c were not attempted
  thin.results.push_back(timed("gemm.own.f32.b", 1e-3));
  thin.results.back().status = status::error;
  thin.results.back().timing.reset();
  thin.results.push_back(timed("gemm.own.f32.c", 1e-3));
  thin.results.back().status = status::error;
  thin.results.back().timing.reset();
  const judgement k = judge_run(
      thin, thin.results,
      against(baseline_of(
          {{"gemm.own.f32.a", 1e-3}, {"gemm.own.f32.b", 1e-3}, {"gemm.own.f32.c", 1e-3}})));
  EXPECT_EQ(k.summary.reason, reason_code::too_little_evidence);
  EXPECT_EQ(k.summary.verdict, status::warn);
}

TEST(Judge, InconclusiveHasItsOwnExitCode) {
  EXPECT_EQ(exit_code_for(true, {status::pass}, false, true), exit_inconclusive);
  EXPECT_EQ(exit_code_for(true, {status::pass}, false, true, true), exit_ok);  // opted out
  EXPECT_EQ(exit_code_for(true, {status::pass}, true, true), exit_failed);     // --strict
  EXPECT_EQ(exit_code_for(true, {status::fail}, false, true), exit_failed);    // a fail wins
  EXPECT_EQ(exit_code_for(false, {status::pass}, false, true), exit_unusable);
  EXPECT_EQ(exit_code_for(true, {status::pass}, false, false), exit_ok);
}

TEST(Judge, NotComparedSaysWhyOnEveryRow) {
  const run_report report = h200_run({timed("gemm.own.f32.a", 1e-3)});
  const judgement j = not_compared(report, "a timing out of range");
  ASSERT_EQ(j.rows.size(), 1u);
  EXPECT_EQ(j.rows[0].baseline->reason, reason_code::not_compared);
  EXPECT_EQ(j.summary.reason, reason_code::nothing_judged);
}

TEST(Judge, RowsWithoutABaselineEntryOrTimingSaySo) {
  result_row untimed = timed("gemm.own.f32.u", 1e-3);
  untimed.status = status::fail;
  untimed.timing.reset();
  run_report report = h200_run({timed("gemm.own.f32.new", 1e-3), untimed});
  const judgement j =
      judge_run(report, report.results, against(baseline_of({{"gemm.own.f32.a", 1e-3}})));
  EXPECT_EQ(j.rows[0].baseline->reason, reason_code::no_entry);
  EXPECT_EQ(j.rows[1].baseline->reason, reason_code::not_timed);
}

TEST(Judge, ABaselineOfAnotherModelIsNeverGatedAgainst) {
  run_report report = h200_run({timed("gemm.own.f32.a", 2e-3)});
  comparable_document other = baseline_of({{"gemm.own.f32.a", 1e-3}});
  other.context.gpu_name = "NVIDIA H100";
  const judgement j = judge_run(report, report.results, against(other));
  EXPECT_EQ(j.rows[0].baseline->reason, reason_code::no_matching_baseline);
  EXPECT_EQ(j.summary.judged_by, "health floors");
}

// The one-execution rule of an offline gate (policy partial_slowdown_quantile): interference
// during one execution slows some samples, a slower driver slows all of them.
TEST(Judge, OneExecutionSlowInPartOfItsSamplesWarnsAndSlowInAllFails) {
  const comparable_document base = baseline_of({{"gemm.own.f32.a", 1e-3}});
  result_row partly = timed("gemm.own.f32.a", 1e-3, 21);
  for (std::size_t i = 0; i < partly.timing->values_s.size(); ++i)
    if (i % 3 != 0) partly.timing->values_s[i] *= 1.25;  // two thirds of the samples disturbed
  run_report a = h200_run({partly});
  const judgement warned = judge_run(a, a.results, against(base));
  EXPECT_EQ(warned.rows[0].baseline->verdict, status::warn) << warned.rows[0].baseline->message;
  EXPECT_EQ(warned.rows[0].baseline->reason, reason_code::slower_some_samples);
  EXPECT_NE(warned.rows[0].baseline->message.find("re-run to confirm"), std::string::npos);

  run_report b = h200_run({timed("gemm.own.f32.a", 1.25e-3, 21)});  // every sample slower
  const judgement failed = judge_run(b, b.results, against(base));
  EXPECT_EQ(failed.rows[0].baseline->verdict, status::fail);
  EXPECT_EQ(failed.rows[0].baseline->reason, reason_code::slower_every_execution);
}

TEST(Judge, RowsTimedByDifferentMethodsAreNotGated) {
  comparable_document base = baseline_of({{"gemm.own.f32.a", 1e-3}});
  run_report replayed = h200_run({timed("gemm.own.f32.a", 0.5e-3)});
  replayed.results[0].timing->method = timing_method::cuda_graph;
  const judgement j = judge_run(replayed, replayed.results, against(base));
  EXPECT_FALSE(j.rows[0].baseline->gated.value_or(true));
  EXPECT_EQ(j.rows[0].baseline->reason, reason_code::timing_method_differs);
  // A baseline from before methods were recorded was timed as plain batches.
  base.entries[0].timing_method.clear();
  EXPECT_EQ(judge_run(replayed, replayed.results, against(base)).rows[0].baseline->reason,
            reason_code::timing_method_differs);
  run_report plain = h200_run({timed("gemm.own.f32.a", 1e-3)});
  EXPECT_EQ(judge_run(plain, plain.results, against(base)).rows[0].baseline->reason,
            reason_code::within_threshold);
}

TEST(Judge, NotGatedReasonsHaveCodes) {
  const gate_policy policy = plain_policy();
  const auto entry = [](const std::vector<double>& medians, const std::string& machine,
                        bound_kind bound = bound_kind::device) {
    comparable_entry e;
    e.id = "latency.runtime.none.launch";
    e.family = "latency";
    e.bound = bound;
    e.timing_method = "cuda_events";
    for (double m : medians) {
      comparable_execution x;
      x.samples_s = {m};
      x.value_s = m;
      x.machine = machine;
      e.executions.push_back(x);
    }
    std::vector<double> v = medians;
    e.central_s = median_of(v);
    return e;
  };
  EXPECT_EQ(compare_entry(entry({1e-3}, "a"), entry({1e-3}, "a"), "a", policy, 1).reason,
            reason_code::one_execution_no_floor);
  EXPECT_EQ(compare_entry(entry({1e-3, 2e-3}, "a"), entry({1e-3}, "a"), "a", policy, 1).reason,
            reason_code::too_noisy);
  EXPECT_EQ(compare_entry(entry({1e-3, 1.001e-3}, "b", bound_kind::host),
                          entry({1e-3}, "a", bound_kind::host), "a", policy, 1)
                .reason,
            reason_code::host_bound_other_machine);
}

TEST(Judge, LegacyReportsAreUnfoldedOnceInTheReader) {
  // A 1.2.0 row: a gated baseline warning folded into its status and message.
  result_row r = timed("gemm.own.f32.a", 1e-3);
  json j = to_json(r);
  j.erase("measured_status");
  j.erase("measured_message");
  j["status"] = "warn";
  j["message"] = "ok; baseline: 0.950x of baseline: slower than the policy allows";
  j["baseline"] = json{{"source", "b.json"}, {"value", nullptr},
                       {"ratio", 0.95},      {"ci95", nullptr},
                       {"gated", true},      {"why_not_gated", ""},
                       {"verdict", "warn"},  {"message", "0.950x of baseline"}};
  const result_row back = result_from_json(j, "old.json: /results/0");
  EXPECT_EQ(back.status, status::pass);
  EXPECT_EQ(back.message, "ok");
  EXPECT_EQ(back.baseline->reason, reason_code::slower_some_executions);
  EXPECT_EQ(row_verdict(back), status::warn);
  // A 1.3.0 row whose status does not follow from its measurement and judgement is refused.
  json k = to_json(r);
  k["status"] = "fail";
  EXPECT_THROW(result_from_json(k, "new.json: /results/0"), input_error);
}

TEST(Judge, EveryReasonCodeHasANameThatReadsBack) {
  for (int i = 0; i <= static_cast<int>(reason_code::nothing_judged); ++i) {
    const auto code = static_cast<reason_code>(i);
    const std::string name = to_string(code);
    EXPECT_NE(name, "unknown");
    EXPECT_EQ(reason_from_string(name), code) << name;
  }
  EXPECT_FALSE(reason_from_string("too noisy").has_value());
}

}  // namespace wslcuda
