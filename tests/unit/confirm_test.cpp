// Confirmation runs with synthetic workloads on a scripted clock: a row slow only in its first
// execution passes once fresh executions outvote it; a row slow in every execution fails; the
// report shows the executions the verdict rests on.

#include <gtest/gtest.h>

#include <map>

#include "baseline/baseline.hpp"
#include "baseline/judge.hpp"
#include "model/executions.hpp"
#include "model/row_json.hpp"
#include "model/verdict.hpp"
#include "suite/runner.hpp"
#include "synthetic_workloads.hpp"

namespace wslcuda {
namespace {

using testing::scripted_context;
using testing::synthetic_spec;
using testing::synthetic_workload;

/// One execution of a synthetic workload whose runs take `seconds` each (virtual time).
result_row execution(const std::string& id, double seconds) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.id = id;
  spec.seconds_per_run = seconds;
  synthetic_workload w(spec);
  target_info target;
  target.usable = true;
  target.compute_capability = 90;
  runner_options options;
  options.wall_clock = [&ctx] { return ctx.now(); };
  return run_workload(w, &ctx, target, options);
}

run_report h200_report() {
  run_report r;
  device_record d;
  d.name = "NVIDIA H200";
  d.cc_major = 9;
  d.uuid = "GPU-a";
  r.env.devices = {d};
  return r;
}

/// Judges `report` (whose results become merge_by_id(executions)) against `baseline` with up to
/// `confirm` confirmation rounds through `rerun`, as `run` does: the confirmations join the
/// executions, the judgement is applied, and the summary returned.
gate_summary judge_with(run_report& report, std::vector<result_row>& executions,
                        const comparable_document& baseline, const gate_policy& policy, int confirm,
                        const rerun_fn& rerun) {
  report.results = merge_by_id(executions);
  judge_inputs in;
  in.choice = baseline_choice::file;
  in.explicit_baseline = baseline;
  in.policy = policy;
  in.confirm = confirm;
  in.rerun = rerun;
  const judgement j = judge_run(report, executions, in);
  executions.insert(executions.end(), j.confirmations.begin(), j.confirmations.end());
  report.results = merge_by_id(executions);
  apply_judgement(report, j);
  return j.summary;
}

const char* kTransient = "gemm.own.f32.transient";
const char* kPersistent = "gemm.own.f32.persistent";

}  // namespace

TEST(Confirm, ATransientDipPassesAndAPersistentSlowdownFails) {
  // The baseline: two executions of each row at 1 ms per run.
  run_report base = h200_report();
  for (int i = 0; i < 2; ++i)
    for (const char* id : {kTransient, kPersistent}) base.results.push_back(execution(id, 1e-3));
  run_report first = base;
  first.started_at = "2026-11-30T00:00:00Z";
  first.results = {base.results[0], base.results[1]};
  run_report second = base;
  second.started_at = "2026-11-30T00:05:00Z";
  second.results = {base.results[2], base.results[3]};
  const comparable_document baseline = merge_documents(
      {comparable_from_report(first, 0, "base-1"), comparable_from_report(second, 0, "base-2")});
  gate_policy policy = default_policy();
  policy.noise_floors.clear();  // the baseline's own spread (0 here) decides

  // The candidate: both rows 20 % slower in their first execution; confirmation runs find the
  // transient row back at 1 ms and the persistent one still at 1.2 ms.
  run_report report = h200_report();
  std::vector<result_row> executions = {execution(kTransient, 1.2e-3),
                                        execution(kPersistent, 1.2e-3)};
  std::map<std::string, int> reruns;
  const auto rerun = [&](const std::vector<std::string>& ids) {
    std::vector<result_row> rows;
    for (const std::string& id : ids) {
      ++reruns[id];
      rows.push_back(execution(id, id == kTransient ? 1e-3 : 1.2e-3));
    }
    return rows;
  };
  const gate_summary c = judge_with(report, executions, baseline, policy, 2, rerun);
  EXPECT_EQ(c.confirmation_rounds, 2);
  EXPECT_EQ(reruns[kTransient], 2);
  EXPECT_EQ(reruns[kPersistent], 2);
  ASSERT_EQ(report.results.size(), 2u);
  for (const result_row& r : report.results) {
    ASSERT_TRUE(r.baseline.has_value()) << r.id;
    ASSERT_EQ(r.executions.size(), 3u) << r.id;  // the report shows every execution
    EXPECT_EQ(r.baseline->candidate_executions, 3) << r.id;
    EXPECT_EQ(r.baseline->baseline_executions, 2) << r.id;
    ASSERT_TRUE(r.baseline->gated && *r.baseline->gated) << r.id;
  }
  const result_row& transient = report.results[0];
  const result_row& persistent = report.results[1];
  EXPECT_EQ(transient.id, kTransient);
  EXPECT_EQ(row_verdict(transient), status::pass) << row_message(transient);
  EXPECT_EQ(transient.baseline->verdict, status::pass);
  EXPECT_EQ(transient.baseline->reason, reason_code::within_threshold);
  EXPECT_NEAR(transient.executions[0].median_s, 1.2e-3, 1e-12);  // virtual time, summed
  EXPECT_NEAR(transient.executions[2].median_s, 1e-3, 1e-12);
  // The measurement stays what it was; the judgement fails the row.
  EXPECT_EQ(persistent.status, status::pass) << persistent.message;
  EXPECT_EQ(row_verdict(persistent), status::fail) << row_message(persistent);
  EXPECT_EQ(persistent.baseline->reason, reason_code::slower_every_execution);
  EXPECT_NE(row_message(persistent).find("in every execution"), std::string::npos);
  EXPECT_EQ(c.verdict, status::fail);

  // Without confirmation the transient dip alone would have failed the row.
  // (Its samples are all slow, so the one-execution rule does not soften it to a warning.)
  run_report once = h200_report();
  std::vector<result_row> one = {execution(kTransient, 1.2e-3)};
  EXPECT_EQ(judge_with(once, one, baseline, policy, 0, rerun).confirmation_rounds, 0);
  EXPECT_EQ(row_verdict(once.results[0]), status::fail);
}

TEST(Confirm, RepeatedExecutionsMergeIntoOneRow) {
  const std::vector<result_row> rows = {execution("gemm.own.f32.a", 1e-3),
                                        execution("gemm.own.f32.b", 2e-3),
                                        execution("gemm.own.f32.a", 3e-3)};
  const std::vector<result_row> merged = merge_by_id(rows);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].id, "gemm.own.f32.a");
  ASSERT_EQ(merged[0].executions.size(), 2u);
  EXPECT_EQ(merged[0].executions[1].first_sample, merged[0].executions[0].samples);
  EXPECT_EQ(merged[0].timing->values_s.size(),
            merged[0].executions[0].samples + merged[0].executions[1].samples);
  EXPECT_NE(merged[0].message.find("(2 executions)"), std::string::npos);
  // Throughput follows the pooled median (bytes / median).
  ASSERT_TRUE(merged[0].throughput.has_value());
  EXPECT_NEAR(merged[0].throughput->value, 1e6 / merged[0].timing->median_s, 1e-6);
  // The row survives the JSON round trip with its executions.
  const result_row back = result_from_json(json::parse(to_json(merged[0]).dump()));
  ASSERT_EQ(back.executions.size(), 2u);
  EXPECT_NEAR(back.executions[1].median_s, 3e-3, 1e-12);
  EXPECT_EQ(back.bound, bound_kind::device);
  json broken = to_json(merged[0]);
  broken["executions"][0]["samples"] = 1;
  EXPECT_THROW(result_from_json(broken, "r.json: /results/0"), input_error);
}

}  // namespace wslcuda
