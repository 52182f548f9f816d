// Change points in the store (history/change_store.hpp) on every kind of store: histories of
// seeded copies of a real report across drivers with a step at one driver, found in each scope
// and stored once; triage kept across analyses and shared by the scopes of a row and driver; a
// tentative change promoted when more runs arrive; a change no longer found marked, and found
// again with its triage; a regression a later driver restored marked fixed; the committed H200
// reports giving none; `--baseline history` resting on runs after an acknowledged change.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "history/change_store.hpp"
#include "history/queries.hpp"
#include "history/record.hpp"
#include "history_test_support.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda_history_test;

const std::string kRow = "gemm.cublas.f32.m1024n1024k1024";
/// A row timed on the host clock (bound "host"): analysed per machine only.
const std::string kHostRow = "latency.runtime.none.launch";
const std::vector<std::string> kDrivers = {"580.65.06",  "580.82.07",  "580.95.05",
                                           "580.105.08", "580.126.09", "580.159.04"};

/// Where a seeded run ran and which rows it moves.
struct run_spec {
  std::string rows = kRow;  ///< glob of the row ids scaled
  std::string gpu_uuid;     ///< "" keeps the H200's (the machine)
};

/// Copy `i` of the quick H200 report on `driver`, the rows of `spec` times `scale`; every row's
/// noise 0.1 % (far under the 1 % minimum magnitude: the step is the only change).
run_report seeded(int i, const std::string& driver, double scale, const run_spec& spec = {}) {
  wslcuda_test::seed_options o;
  o.seed = 1000 + static_cast<std::uint64_t>(i);
  o.started_at = wslcuda_test::hours_after("2026-10-01T00:00:00Z", i);
  o.driver_version = driver;
  o.scale = scale;
  o.scale_ids = spec.rows;
  o.gpu_uuid = spec.gpu_uuid;
  o.noise = 0.001;
  return wslcuda_test::seeded_copy(h200("quick-2").report, o);
}

/// Records `per_driver` runs on each of the first `drivers` drivers, the rows of `spec`
/// `scale(d)` on driver d; the run keys, oldest first. `next` counts runs across calls (their
/// start times and seeds).
std::vector<std::string> record_history(connection& c, std::size_t drivers, int per_driver,
                                        const std::function<double(std::size_t)>& scale, int& next,
                                        const run_spec& spec = {}) {
  std::vector<std::string> keys;
  for (std::size_t d = 0; d < drivers; ++d)
    for (int r = 0; r < per_driver; ++r)
      keys.push_back(record_run(c, seeded(next++, kDrivers[d], scale(d), spec)).run_key);
  return keys;
}

/// A 10 % step at kDrivers[3].
double step_at_3(std::size_t d) {
  return d >= 3 ? 1.10 : 1.0;
}

std::vector<const change_record*> of_row(const std::vector<change_record>& changes,
                                         const std::string& id = kRow) {
  std::vector<const change_record*> out;
  for (const change_record& r : changes)
    if (r.scope.workload_id == id) out.push_back(&r);
  return out;
}

const change_record* machine_scope(const std::vector<const change_record*>& rs) {
  for (const change_record* r : rs)
    if (!r->scope.across_machines()) return r;
  return nullptr;
}

const change_record* model_scope(const std::vector<const change_record*>& rs) {
  for (const change_record* r : rs)
    if (r->scope.across_machines()) return r;
  return nullptr;
}

class HistoryChanges : public store_test {};

TEST_P(HistoryChanges, StepAtOneDriverIsFoundInEachScopeAndStoredOnce) {
  auto c = open("changes-step");
  int next = 0;
  const auto keys = record_history(*c, 6, 3, step_at_3, next);
  const change_analysis a = reanalyse_runs(*c, keys, default_policy());
  ASSERT_EQ(a.changes.size(), 2u) << "only kRow moved";
  EXPECT_EQ(a.inserted, 2u);
  EXPECT_TRUE(a.stored);
  EXPECT_TRUE(a.instabilities.empty());
  const auto rows = of_row(a.changes);
  const change_record* m = machine_scope(rows);
  const change_record* g = model_scope(rows);
  ASSERT_NE(m, nullptr);
  ASSERT_NE(g, nullptr);
  for (const change_record* r : {m, g}) {
    EXPECT_EQ(r->driver, kDrivers[3]);
    EXPECT_EQ(r->driver_before, kDrivers[2]);
    EXPECT_EQ(r->direction, change_direction::regression);
    EXPECT_NEAR(r->relative_change, 0.10, 0.01);
    EXPECT_LT(r->p_value, 0.001);
    EXPECT_EQ(r->state, change_state::new_);
    EXPECT_EQ(r->key.size(), 64u);
    EXPECT_GT(r->id, 0);
    EXPECT_EQ(r->scope.gpu_model, "NVIDIA H200");
    EXPECT_EQ(r->scope.platform, "linux");
    EXPECT_EQ(r->runs_before, 9u);
    EXPECT_EQ(r->runs_after, 9u);
    EXPECT_NE(r->parameters.find("\"max_p\":0.001"), std::string::npos) << r->parameters;
  }
  EXPECT_EQ(m->points_before, 9u);  // one point per run
  EXPECT_EQ(m->points_after, 9u);
  EXPECT_EQ(g->points_before, 3u);  // one point per driver
  EXPECT_EQ(g->points_after, 3u);
  EXPECT_NE(m->key, g->key);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM change_points"), 2);

  // The same runs again: nothing written, the same rows.
  const change_analysis again = analyse_store(*c, {}, default_policy());
  EXPECT_EQ(again.inserted + again.updated + again.retracted, 0u);
  ASSERT_EQ(again.changes.size(), 2u);
  for (const change_record& r : again.changes) EXPECT_TRUE(r.id == m->id || r.id == g->id);
  const std::vector<change_record> stored = stored_changes(*c, {});
  ASSERT_EQ(stored.size(), 2u);
  for (const change_record& r : stored) {
    EXPECT_TRUE(r.found);
    EXPECT_EQ(r.state, change_state::new_);
    EXPECT_NEAR(r.relative_change, 0.10, 0.01);
  }
}

TEST_P(HistoryChanges, TriageIsKeptAcrossAnalysesAndCoversEveryScope) {
  auto c = open("changes-triage");
  int next = 0;
  auto keys = record_history(*c, 6, 3, step_at_3, next);
  const change_analysis a = reanalyse_runs(*c, keys, default_policy());
  const change_record* m = machine_scope(of_row(a.changes));
  ASSERT_NE(m, nullptr);
  const triage_outcome t =
      triage_change(*c, m->key.substr(0, 8), change_state::acknowledged, "new cuBLAS heuristics");
  EXPECT_EQ(t.key, m->key);
  ASSERT_EQ(t.covered.size(), 2u);  // the machine's and the model's
  for (const change_record& r : t.covered) {
    EXPECT_EQ(r.state, change_state::acknowledged);
    EXPECT_EQ(r.note, "new cuBLAS heuristics");
    EXPECT_EQ(r.analysis_state, change_state::new_);
  }

  // More runs on the newest driver: analysed again, the decision stays.
  keys = {record_run(*c, seeded(next++, kDrivers[5], 1.10)).run_key};
  const change_analysis b = reanalyse_runs(*c, keys, default_policy());
  const auto rows = of_row(b.changes);
  ASSERT_EQ(rows.size(), 2u);
  for (const change_record* r : rows) {
    EXPECT_EQ(r->state, change_state::acknowledged);
    EXPECT_EQ(r->note, "new cuBLAS heuristics");
  }
  EXPECT_EQ(machine_scope(rows)->id, m->id);
  EXPECT_EQ(machine_scope(rows)->points_after, 10u);
  EXPECT_GE(b.updated, 1u);  // the machine's segment after grew

  // An empty note keeps the one before; `new` undoes the decision.
  EXPECT_EQ(triage_change(*c, m->key, change_state::fixed, "").note, "new cuBLAS heuristics");
  const triage_outcome undone = triage_change(*c, m->key.substr(0, 6), change_state::new_, "");
  for (const change_record& r : undone.covered) EXPECT_EQ(r.state, change_state::new_);

  EXPECT_THROW(triage_change(*c, "xyz!", change_state::acknowledged, ""), input_error);
  EXPECT_THROW(triage_change(*c, "abc", change_state::acknowledged, ""), input_error);  // short
  EXPECT_THROW(triage_change(*c, m->key, change_state::tentative, ""), input_error);
  EXPECT_THROW(triage_change(*c, m->key, change_state::invalid, ""), input_error);  // no reason
  const std::string other = m->key[0] == '0' ? "1111111111" : "0000000000";
  EXPECT_THROW(triage_change(*c, other, change_state::acknowledged, ""), input_error);
  EXPECT_EQ(triage_change(*c, m->key, change_state::invalid, "fan failure").state,
            change_state::invalid);
}

TEST_P(HistoryChanges, TentativeChangeIsPromotedWhenMoreRunsArrive) {
  auto c = open("changes-tentative");
  int next = 0;
  record_history(
      *c, 5, 3, [](std::size_t) { return 1.0; }, next);
  std::int64_t first_id = 0;
  for (int k = 1; k <= 3; ++k) {
    const std::string key = record_run(*c, seeded(next++, kDrivers[5], 1.10)).run_key;
    const change_analysis a = reanalyse_run(*c, key, default_policy());
    const auto rows = of_row(a.changes);
    const change_record* m = machine_scope(rows);
    ASSERT_NE(m, nullptr) << k << " runs after";
    EXPECT_EQ(m->driver, kDrivers[5]);
    EXPECT_EQ(m->points_after, static_cast<std::size_t>(k));
    EXPECT_EQ(m->state, k < 3 ? change_state::tentative : change_state::new_) << k;
    if (first_id == 0) first_id = m->id;
    EXPECT_EQ(m->id, first_id) << "the same change point, promoted";
    const change_record* g = model_scope(rows);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->state, change_state::tentative);  // one driver after it
    EXPECT_EQ(g->runs_after, static_cast<std::size_t>(k));
  }
}

TEST_P(HistoryChanges, ChangeNoLongerFoundIsMarkedAndComesBackWithItsTriage) {
  auto c = open("changes-retracted");
  int next = 0;
  record_history(
      *c, 5, 3, [](std::size_t) { return 1.0; }, next);
  const std::string stepped = record_run(*c, seeded(next++, kDrivers[5], 1.10)).run_key;
  const change_analysis a = reanalyse_run(*c, stepped, default_policy());
  const change_record* m = machine_scope(of_row(a.changes));
  ASSERT_NE(m, nullptr);
  triage_change(*c, m->key, change_state::acknowledged, "known");
  exclude_run(*c, stepped.substr(0, 12), "the wrong driver was installed");
  const change_analysis b = analyse_store(*c, {}, default_policy());
  EXPECT_TRUE(b.changes.empty());
  EXPECT_EQ(b.retracted, 2u);
  const std::vector<change_record> kept = stored_changes(*c, {});
  ASSERT_EQ(kept.size(), 2u);  // marked, not deleted
  for (const change_record& r : kept) {
    EXPECT_FALSE(r.found);
    EXPECT_EQ(r.state, change_state::acknowledged);
    EXPECT_EQ(r.note, "known");
  }
  const std::string again = record_run(*c, seeded(next++, kDrivers[5], 1.10)).run_key;
  const change_analysis back = reanalyse_run(*c, again, default_policy());
  const auto rows = of_row(back.changes);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(machine_scope(rows)->id, m->id);
  for (const change_record* r : rows) EXPECT_EQ(r->state, change_state::acknowledged);
  for (const change_record& r : stored_changes(*c, {})) EXPECT_TRUE(r.found);
}

TEST_P(HistoryChanges, RegressionALaterDriverRestoredIsFixed) {
  auto c = open("changes-fixed");
  int next = 0;
  // 6 runs | 9 runs 10 % slower | 3 runs back. (An A | B | A of equal thirds is missed by
  // e-divisive's first pass, in Otava too: its single split leaves p ≈ 0.03 > 0.01.)
  const auto keys = record_history(
      *c, 6, 3, [](std::size_t d) { return d >= 2 && d <= 4 ? 1.10 : 1.0; }, next);
  const change_analysis a = reanalyse_runs(*c, keys, default_policy());
  std::vector<const change_record*> machine;
  for (const change_record* r : of_row(a.changes))
    if (!r->scope.across_machines()) machine.push_back(r);
  ASSERT_EQ(machine.size(), 2u);
  EXPECT_EQ(machine[0]->driver, kDrivers[2]);
  EXPECT_EQ(machine[0]->analysis_state, change_state::fixed);
  EXPECT_EQ(machine[0]->direction, change_direction::regression);
  EXPECT_EQ(machine[0]->state, change_state::fixed);
  EXPECT_EQ(machine[0]->restored_by, kDrivers[5]);
  EXPECT_EQ(machine[1]->driver, kDrivers[5]);
  EXPECT_EQ(machine[1]->direction, change_direction::improvement);
  EXPECT_EQ(machine[1]->state, change_state::new_);
  bool stored_fixed = false;
  for (const change_record& r : stored_changes(*c, {}))
    if (r.id == machine[0]->id)
      stored_fixed = r.state == change_state::fixed && r.restored_by == kDrivers[5];
  EXPECT_TRUE(stored_fixed);
}

TEST_P(HistoryChanges, CommittedH200ReportsGiveNoChangePoints) {
  auto c = open("changes-h200");
  std::optional<change_analysis> after_import;
  import_analysis analysis;
  analysis.done = [&](const change_analysis& a) { after_import = a; };
  analysis.failed = [](const std::string& why) { ADD_FAILURE() << why; };
  import_paths(*c, {examples_dir().string()}, {}, analysis);
  ASSERT_TRUE(after_import.has_value());
  for (const change_analysis* a : {&*after_import}) {
    EXPECT_TRUE(a->changes.empty());
    EXPECT_TRUE(a->instabilities.empty());
    EXPECT_GT(a->analysed, 0u);        // rows in all five runs (one machine, one driver)
    EXPECT_FALSE(a->too_few.empty());  // the full runs' rows: two points
  }
  const change_analysis whole = analyse_store(*c, {"*H200*", "linux"}, default_policy());
  EXPECT_TRUE(whole.changes.empty());
  EXPECT_EQ(whole.analysed, after_import->analysed);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM change_points"), 0);
}

TEST_P(HistoryChanges, HistoryBaselineRestsOnRunsAfterAnAcknowledgedChange) {
  auto c = open("changes-baseline");
  int next = 0;
  const auto keys = record_history(
      *c, 4, 3, [](std::size_t d) { return d == 3 ? 1.10 : 1.0; }, next);
  const change_analysis a = reanalyse_runs(*c, keys, default_policy());
  const change_record* m = machine_scope(of_row(a.changes));
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->driver, kDrivers[3]);
  const run_report candidate = seeded(next++, kDrivers[3], 1.10);  // a new run on that driver
  const auto central = [&](const stored_baseline& b, const std::string& id) {
    for (const comparable_entry& e : b.document.entries)
      if (e.id == id) return e.central_s;
    return -1.0;
  };
  const std::string other = "gemm.cublas.tf32.m1024n1024k1024";
  const std::optional<stored_baseline> before = choose_history_baseline(*c, candidate);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->runs.front().driver_version, kDrivers[2]);

  triage_change(*c, m->key, change_state::acknowledged, "expected");
  const std::optional<stored_baseline> after = choose_history_baseline(*c, candidate);
  ASSERT_TRUE(after.has_value());
  EXPECT_NEAR(central(*after, kRow) / central(*before, kRow), 1.10, 0.01);  // after the change
  EXPECT_EQ(central(*after, other), central(*before, other));               // other rows: as before
  EXPECT_EQ(after->document.entries.size(), before->document.entries.size());  // one per id
  EXPECT_NE(after->why.find("acknowledged at " + kDrivers[3]), std::string::npos) << after->why;
  EXPECT_EQ(after->document.context.sources.size(), 6u);  // driver 3's runs and driver 4's
}

TEST_P(HistoryChanges, GpuModelScopeIsTheMedianAcrossMachines) {
  auto c = open("changes-model");
  int next = 0;
  record_history(*c, 6, 3, step_at_3, next);
  record_history(*c, 6, 2, step_at_3, next, {kRow, "GPU-second-h200"});
  const change_analysis a = analyse_store(*c, {}, default_policy());
  const auto rows = of_row(a.changes);
  ASSERT_EQ(rows.size(), 3u);  // each machine's and the model's
  std::set<std::string> machines;
  for (const change_record* r : rows) {
    EXPECT_EQ(r->driver, kDrivers[3]);
    if (!r->scope.across_machines()) machines.insert(r->scope.machine_key);
  }
  EXPECT_EQ(machines.size(), 2u);
  const change_record* g = model_scope(rows);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->scope.machines, 2u);
  EXPECT_EQ(g->scope.machine_key, "");
  EXPECT_EQ(g->points_before, 3u);  // one per driver
  EXPECT_EQ(g->runs_before, 15u);   // 9 on one machine, 6 on the other
  EXPECT_EQ(g->runs_after, 15u);
  EXPECT_NEAR(g->relative_change, 0.10, 0.01);
}

TEST_P(HistoryChanges, HostBoundRowsAreAnalysedOnlyPerMachine) {
  auto c = open("changes-host");
  int next = 0;
  // kHostRow is timed on the host clock: bound by the host, not by the GPU model. Its
  // noise floor (ci/gate-policy.json, latency.*) is 48.5 %: a 60 % step.
  const auto keys = record_history(*c, 6, 3, [](std::size_t d) { return d >= 3 ? 1.6 : 1.0; }, next,
                                   {kHostRow, ""});
  const change_analysis a = reanalyse_runs(*c, keys, default_policy());
  const auto rows = of_row(a.changes, kHostRow);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows.front()->scope.across_machines());
  EXPECT_EQ(rows.front()->driver, kDrivers[3]);
  EXPECT_TRUE(of_row(a.changes).empty());  // kRow did not move
  for (const unanalysed_scope& u : a.too_few)
    EXPECT_FALSE(u.scope.workload_id == kHostRow && u.scope.across_machines());
}

TEST_P(HistoryChanges, FewerThanFivePointsAreNotAnalysedAndSaySo) {
  auto c = open("changes-few");
  int next = 0;
  const auto keys = record_history(
      *c, 2, 2, [](std::size_t d) { return d == 1 ? 1.5 : 1.0; }, next);
  const change_analysis a = reanalyse_runs(*c, keys, default_policy());
  EXPECT_TRUE(a.changes.empty());
  EXPECT_EQ(a.analysed, 0u);
  EXPECT_EQ(a.too_few.size(), a.scopes);
  bool machine = false, model = false;
  for (const unanalysed_scope& u : a.too_few) {
    if (u.scope.workload_id != kRow) continue;
    if (u.scope.across_machines()) {
      model = true;
      EXPECT_EQ(u.points, 2u);  // one per driver
    } else {
      machine = true;
      EXPECT_EQ(u.points, 4u);
    }
  }
  EXPECT_TRUE(machine);
  EXPECT_TRUE(model);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM change_points"), 0);

  // A fifth run on the first driver makes five points on the machine, three before the step:
  // analysed now.
  const change_analysis b =
      reanalyse_run(*c, record_run(*c, seeded(next++, kDrivers[0], 1.0)).run_key, default_policy());
  EXPECT_GT(b.analysed, 0u);
  const auto rows = of_row(b.changes);
  ASSERT_EQ(rows.size(), 1u);  // the machine's; the model has two points
  EXPECT_EQ(rows.front()->driver, kDrivers[1]);
  EXPECT_EQ(rows.front()->state, change_state::tentative);  // two points after it
}

TEST_P(HistoryChanges, RecordingReanalysesOnlyTheSeriesAndScopesItTouched) {
  auto c = open("changes-touched");
  int next = 0;
  const std::string second = "GPU-second-h200";
  record_history(*c, 6, 3, step_at_3, next);  // recorded, never analysed
  record_run(*c, h200("full-1").report);      // rows a quick run does not have
  const auto keys = record_history(*c, 6, 3, step_at_3, next, {kRow, second});
  EXPECT_EQ(count(*c, "SELECT count(*) FROM change_points"), 0);
  const change_analysis a = reanalyse_run(*c, keys.back(), default_policy());
  const run_report& quick = h200("quick-2").report;
  EXPECT_LE(a.series, quick.results.size());  // the run's series only
  EXPECT_GT(a.series, 0u);
  const auto rows = of_row(a.changes);
  ASSERT_EQ(rows.size(), 2u);  // the second machine's and the model's; not the first machine's
  const change_record* m = machine_scope(rows);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(model_scope(rows), nullptr);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM change_points"), 2);

  // The first machine has the same step: a whole analysis (not stored) finds it, the
  // re-analysis of the second machine's run left it alone.
  const change_analysis whole = analyse_store(*c, {}, default_policy(), false);
  EXPECT_FALSE(whole.stored);
  const auto all = of_row(whole.changes);
  ASSERT_EQ(all.size(), 3u);
  std::size_t first_machine = 0;
  for (const change_record* r : all)
    if (!r->scope.across_machines() && r->scope.machine_key != m->scope.machine_key) {
      ++first_machine;
      EXPECT_EQ(r->id, 0) << "never stored";
    }
  EXPECT_EQ(first_machine, 1u);
  EXPECT_GT(whole.series, a.series);  // full runs' rows are not in the quick run
  EXPECT_EQ(count(*c, "SELECT count(*) FROM change_points"), 2);
}

INSTANTIATE_TEST_SUITE_P(Stores, HistoryChanges, ::testing::ValuesIn(store_kinds()), kind_name);

}  // namespace
