// Recording and reading runs on every kind of store (history_test_support.hpp): the committed
// H200 reports imported once, their values in trends, reports rebuilt, baselines drawn from the
// store as `baseline capture` makes them, the `--baseline history` choice on seeded copies, and
// hostile strings.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "baseline/compare.hpp"
#include "baseline/documents.hpp"
#include "baseline/policy.hpp"
#include "history/codec.hpp"
#include "history/queries.hpp"
#include "history/record.hpp"
#include "history_test_support.hpp"
#include "measure/statistics.hpp"
#include "model/executions.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda_history_test;
using wslcuda_test::seed_options;
using wslcuda_test::seeded_copy;

class HistoryRecord : public store_test {};

/// `doc` (a report's JSON) without the samples and executions a store keeps as quantiles.
json without_samples(json doc) {
  for (json& r : doc["results"]) {
    if (r.contains("timing") && r["timing"].is_object()) r["timing"]["values_s"] = json::array();
    r.erase("executions");
  }
  doc.erase("tool");
  return doc;
}

TEST_P(HistoryRecord, ImportsEveryCommittedReportOnce) {
  auto c = open("import");
  const std::vector<import_entry> first = import_paths(*c, {examples_dir().string()});
  ASSERT_EQ(first.size(), 6u);  // five runs and a doctor report; README.md is no .json
  std::set<std::string> keys;
  for (const import_entry& e : first) {
    EXPECT_TRUE(e.added) << e.file << ": " << e.error;
    EXPECT_TRUE(e.error.empty()) << e.error;
    keys.insert(e.run_key);
  }
  EXPECT_EQ(keys.size(), 6u);
  const std::vector<run_summary> runs = list_runs(*c, {});
  ASSERT_EQ(runs.size(), 6u);
  for (const run_summary& r : runs) {
    EXPECT_EQ(r.gpu_model, "NVIDIA H200") << r.source;
    EXPECT_EQ(r.gpu_uuid, "GPU-c030374a-e620-594c-57a9-feab3fa99abc");
    EXPECT_EQ(r.driver_version, "580.159.04");
    EXPECT_EQ(r.cuda_driver_api, 13000);
    EXPECT_EQ(r.platform, "linux");
    EXPECT_EQ(r.verdict, "pass");
    EXPECT_FALSE(r.interrupted);
    EXPECT_EQ(r.tool_version, h200("full-1").tool_version);
  }
  EXPECT_EQ(runs.front().command, "doctor");  // started first (00:20:00), then quick-1
  EXPECT_EQ(runs[1].started_at, "2026-11-30T00:20:06Z");
  const std::int64_t results = count(*c, "SELECT count(*) FROM results");
  EXPECT_GE(results, 160 + 151 + 3 * 85);

  // Again, as files and as a folder: nothing is added, and it says so.
  const std::vector<import_entry> again = import_paths(
      *c,
      {(examples_dir() / "h200-linux-2026-11-30-full-1.json").string(), examples_dir().string()});
  ASSERT_EQ(again.size(), 7u);
  for (const import_entry& e : again) {
    EXPECT_FALSE(e.added) << e.file;
    EXPECT_TRUE(keys.count(e.run_key)) << e.file;
  }
  EXPECT_EQ(list_runs(*c, {}).size(), 6u);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM results"), results);

  // A run recorded from memory (as `run` records it) has the key of the file it writes, so
  // importing that file later adds nothing. (The committed files were written by an older
  // wslcuda, schema 1.1: their keys are those of their own text.)
  run_report fresh = h200("quick-2").report;
  fresh.started_at = "2026-12-03T00:00:00Z";
  const record_outcome from_memory = record_run(*c, fresh);
  EXPECT_TRUE(from_memory.added);
  const fs::path written = scratch("import-written") / "report.json";
  std::ofstream(written) << report_to_json(fresh).dump(2) << "\n";
  const std::vector<import_entry> file = import_paths(*c, {written.string()});
  ASSERT_EQ(file.size(), 1u);
  EXPECT_FALSE(file.front().added) << file.front().error;
  EXPECT_EQ(file.front().run_key, from_memory.run_key);
  EXPECT_EQ(run_key(fresh), from_memory.run_key);
}

TEST(HistoryRunKey, IgnoresLayoutAndWriterButNotContent) {
  const run_report& r = h200("quick-1").report;
  const std::string key = run_key(r);
  EXPECT_EQ(key.size(), 64u);
  // The file as written and read back (another layout, numbers re-parsed) has the same key.
  const fs::path file = scratch("run-key") / "report.json";
  std::ofstream(file) << report_to_json(r).dump(4) << "\n";
  const std::vector<import_entry> e = [&] {
    auto c = fresh_store("sqlite", "run-key");
    return import_paths(*c, {file.string()});
  }();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.front().run_key, key) << e.front().error;
  // Content changes the key; one sample in the last bit, one message.
  run_report sample = r;
  for (result_row& row : sample.results)
    if (row.timing && !row.timing->values_s.empty()) {
      row.timing->values_s.back() = std::nextafter(row.timing->values_s.back(), 1.0);
      break;
    }
  EXPECT_NE(run_key(sample), key);
  run_report message = r;
  message.results.back().message += ".";
  EXPECT_NE(run_key(message), key);
}

TEST_P(HistoryRecord, ListFilters) {
  auto c = open("filters");
  import_paths(*c, {examples_dir().string()});
  run_filter f;
  f.gpu = "*h200*";  // case-insensitive glob
  EXPECT_EQ(list_runs(*c, f).size(), 6u);
  f.gpu = "*H100*";
  EXPECT_TRUE(list_runs(*c, f).empty());
  f = {};
  f.platform = "wsl";
  EXPECT_TRUE(list_runs(*c, f).empty());
  f.platform = "linux";
  f.driver = "580.159.04";
  EXPECT_EQ(list_runs(*c, f).size(), 6u);
  f.driver = "580.159";
  EXPECT_TRUE(list_runs(*c, f).empty());
}

TEST_P(HistoryRecord, TrendHoldsTheReportsValues) {
  auto c = open("trend");
  import_paths(*c, {examples_dir().string()});
  const std::string id = "gemm.cublas.bf16.m8192n8192k8192";
  std::vector<const result_row*> expected;
  std::vector<std::string> started;
  for (const char* name : {"quick-1", "full-1", "quick-2", "full-2", "quick-3"})
    for (const result_row& r : h200(name).report.results)
      if (r.id == id) {
        expected.push_back(&r);
        started.push_back(h200(name).report.started_at);
      }
  ASSERT_GE(expected.size(), 2u) << "the reports lost " << id;
  const std::vector<trend_point> points = trend(*c, {id}, {});
  ASSERT_EQ(points.size(), expected.size());
  for (std::size_t i = 0; i < points.size(); ++i) {  // one driver: ordered by time
    const trend_point& p = points[i];
    EXPECT_EQ(p.workload_id, id);
    EXPECT_EQ(p.metric, "median_s");
    EXPECT_EQ(p.gpu_model, "NVIDIA H200");
    EXPECT_EQ(p.platform, "linux");
    EXPECT_EQ(p.driver_version, "580.159.04");
    EXPECT_EQ(p.started_at, started[i]);
    EXPECT_EQ(p.status, "pass");
    ASSERT_TRUE(p.value);
    EXPECT_EQ(*p.value, *central_seconds(*expected[i])) << i;
    ASSERT_TRUE(p.throughput);
    EXPECT_EQ(*p.throughput, expected[i]->throughput->value) << i;
    EXPECT_EQ(p.throughput_unit, "FLOP/s");
    EXPECT_EQ(p.executions, 1);
    EXPECT_EQ(*p.spread, 0.0);
  }
  // Globs, several ids, and filters that leave nothing.
  EXPECT_GT(trend(*c, {"gemm.cublas.*", "reduce.*"}, {}).size(), points.size());
  run_filter wsl;
  wsl.platform = "wsl";
  EXPECT_TRUE(trend(*c, {id}, wsl).empty());
  EXPECT_TRUE(trend(*c, {"no.such.id"}, {}).empty());
}

TEST_P(HistoryRecord, TrendOrdersByDriverThenTime) {
  auto c = open("trend-order");
  const run_report& base = h200("quick-1").report;
  // Recorded out of order: driver 580.65.06 is older than 580.159.04 though recorded later.
  struct copy {
    const char* driver;
    const char* at;
  };
  for (const copy& k :
       {copy{"580.159.04", "2026-12-01T00:00:00Z"}, copy{"580.65.06", "2026-12-05T00:00:00Z"},
        copy{"580.159.04", "2026-11-20T00:00:00Z"}, copy{"575.51.03", "2026-12-09T00:00:00Z"}}) {
    seed_options o;
    o.driver_version = k.driver;
    o.started_at = k.at;
    o.seed = std::hash<std::string>{}(k.at);
    ASSERT_TRUE(record_run(*c, seeded_copy(base, o)).added);
  }
  const std::vector<trend_point> p = trend(*c, {"gemm.cublas.bf16.m1024n1024k1024"}, {});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].driver_version, "575.51.03");
  EXPECT_EQ(p[1].driver_version, "580.65.06");
  EXPECT_EQ(p[2].driver_version, "580.159.04");
  EXPECT_EQ(p[2].started_at, "2026-11-20T00:00:00Z");
  EXPECT_EQ(p[3].started_at, "2026-12-01T00:00:00Z");
}

TEST_P(HistoryRecord, RebuiltReportIsTheReportWithQuantiles) {
  auto c = open("rebuild");
  const loaded_report& original = h200("full-1");
  const record_outcome r = record_loaded(*c, original);
  ASSERT_TRUE(r.added);
  const loaded_report rebuilt = rebuild_report(*c, r.run_id);
  EXPECT_EQ(rebuilt.source, original.source);
  EXPECT_EQ(rebuilt.tool_version, original.tool_version);
  EXPECT_EQ(rebuilt.git_revision, original.git_revision);
  EXPECT_EQ(rebuilt.schema_version, original.schema_version);
  EXPECT_EQ(without_samples(report_to_json(rebuilt.report)),
            without_samples(report_to_json(original.report)));
  ASSERT_EQ(rebuilt.report.results.size(), original.report.results.size());
  for (std::size_t i = 0; i < original.report.results.size(); ++i) {
    const result_row& a = original.report.results[i];
    const result_row& b = rebuilt.report.results[i];
    if (!a.timing) continue;
    const std::vector<execution_stats> xa = executions_of(a);
    ASSERT_EQ(b.executions.size(), xa.size()) << a.id;
    for (std::size_t k = 0; k < xa.size(); ++k) {
      EXPECT_EQ(execution_samples(b, b.executions[k]),
                spaced_percentiles(execution_samples(a, xa[k]), kBaselineQuantiles))
          << a.id;
      EXPECT_EQ(b.executions[k].median_s, xa[k].median_s) << a.id;
    }
    EXPECT_EQ(central_seconds(b), central_seconds(a)) << a.id;
  }
}

/// The rows a comparison gated and its verdict, as `wslcuda compare` shows them.
struct judged {
  std::vector<std::string> gated;
  std::vector<std::string> verdicts;
  status verdict = status::skip;
  std::size_t gated_pass = 0;
};

judged judge(const comparable_document& baseline, const comparable_document& candidate) {
  const document_comparison d = compare_documents(baseline, candidate, default_policy());
  judged j;
  for (const entry_comparison& e : d.rows) {
    if (e.gated) j.gated.push_back(e.id);
    j.verdicts.push_back(e.id + "=" + to_string(e.verdict));
  }
  j.verdict = d.verdict;
  j.gated_pass = d.gated_pass;
  return j;
}

TEST_P(HistoryRecord, BaselineFromTwoFullRunsJudgesLikeCapture) {
  auto c = open("baseline");
  const fs::path full1 = examples_dir() / "h200-linux-2026-11-30-full-1.json";
  const fs::path full2 = examples_dir() / "h200-linux-2026-11-30-full-2.json";
  import_paths(*c, {full1.string(), full2.string()});
  baseline_selection sel;
  sel.gpu = "NVIDIA H200";
  const stored_baseline from_history = baseline_from_store(*c, sel);
  ASSERT_EQ(from_history.runs.size(), 2u);
  const comparable_document captured =
      merge_documents({load_comparable(full1), load_comparable(full2)});

  // The same entries, executions and quantiles as `baseline capture --from full-1 --from
  // full-2`, through the file format both write.
  const json a = baseline_to_json(from_history.document);
  const json b = baseline_to_json(captured);
  ASSERT_EQ(a["entries"].size(), b["entries"].size());
  for (std::size_t i = 0; i < a["entries"].size(); ++i) {
    const json& x = a["entries"][i];
    const json& y = b["entries"][i];
    EXPECT_EQ(x["id"], y["id"]);
    for (const char* k : {"family", "precision", "bound", "bound_reason", "algorithm", "median_s",
                          "spread", "throughput"})
      EXPECT_EQ(x.value(k, json()), y.value(k, json())) << x["id"] << " " << k;
    ASSERT_EQ(x["executions"].size(), y["executions"].size()) << x["id"];
    for (std::size_t k = 0; k < x["executions"].size(); ++k)
      for (const char* m : {"median_s", "machine", "run_started_at", "index", "samples"})
        EXPECT_EQ(x["executions"][k][m], y["executions"][k][m]) << x["id"] << " " << m;
    // The same quantiles; the writer sorts what it is given, and percentiles interpolated
    // between equal samples may differ from them in the last bit, so compare them sorted.
    for (std::size_t k = 0; k < x["executions"].size(); ++k) {
      std::vector<double> qx = x["executions"][k]["samples_s"].get<std::vector<double>>();
      std::vector<double> qy = y["executions"][k]["samples_s"].get<std::vector<double>>();
      std::sort(qx.begin(), qx.end());
      std::sort(qy.begin(), qy.end());
      EXPECT_EQ(qx, qy) << x["id"];
    }
  }
  for (const char* k :
       {"gpu_name", "compute_capability", "memory_bytes", "driver_version",
        "cuda_driver_api_version", "os", "kernel_release", "is_wsl", "captured_at", "machines"})
    EXPECT_EQ(a["context"][k], b["context"][k]) << k;

  // Read back as files are, both judge full-2 alike: same rows gated, same verdicts.
  const comparable_document history_file = comparable_from_json(a, "history.json");
  const comparable_document capture_file = comparable_from_json(b, "capture.json");
  const comparable_document candidate = load_comparable(full2);
  const judged h = judge(history_file, candidate);
  const judged k = judge(capture_file, candidate);
  EXPECT_FALSE(h.gated.empty());
  EXPECT_EQ(h.gated, k.gated);
  EXPECT_EQ(h.verdicts, k.verdicts);
  EXPECT_EQ(h.verdict, k.verdict);
  EXPECT_EQ(h.gated_pass, k.gated_pass);
}

TEST_P(HistoryRecord, BaselineSelectionsAndRefusals) {
  auto c = open("baseline-select");
  const run_report& base = h200("quick-1").report;
  for (const char* driver : {"570.10.01", "575.51.03", "580.159.04"})
    for (int k = 0; k < 2; ++k) {
      seed_options o;
      o.driver_version = driver;
      o.started_at = wslcuda_test::hours_after("2026-11-01T00:00:00Z", 24 * k);
      o.seed = static_cast<std::uint64_t>(driver_sort_key(driver)) + static_cast<std::uint64_t>(k);
      record_run(*c, seeded_copy(base, o));
    }
  baseline_selection sel;
  sel.gpu = "*H200*";
  EXPECT_EQ(baseline_from_store(*c, sel).runs.front().driver_version, "580.159.04");
  sel.before = "580.159.04";
  EXPECT_EQ(baseline_from_store(*c, sel).runs.front().driver_version, "575.51.03");
  sel.before.clear();
  sel.driver = "570.10.01";
  const stored_baseline b = baseline_from_store(*c, sel);
  EXPECT_EQ(b.runs.size(), 2u);
  EXPECT_NE(b.why.find("570.10.01"), std::string::npos) << b.why;
  EXPECT_EQ(b.document.context.sources.size(), 2u);
  sel.driver = "999.1";
  EXPECT_THROW(baseline_from_store(*c, sel), input_error);
  sel.driver.clear();
  sel.platform = "wsl";
  EXPECT_THROW(baseline_from_store(*c, sel), input_error);
  sel.platform = "linux";
  sel.gpu = "NVIDIA H100";
  EXPECT_THROW(baseline_from_store(*c, sel), input_error);
}

/// The seeded fleet of the `--baseline history` tests: copies of full-1 on machine A (WSL) on
/// three Windows drivers, machine B (WSL, same model) on a newer driver, and bare-metal runs of
/// the model on two Linux drivers.
struct fleet {
  static constexpr const char* machine_a = "GPU-aaaaaaaa-0000-4000-8000-000000000001";
  static constexpr const char* machine_b = "GPU-bbbbbbbb-0000-4000-8000-000000000002";
  static constexpr const char* bare = "GPU-cccccccc-0000-4000-8000-000000000003";
};

run_report seeded(const char* uuid, bool wsl, const char* driver, const char* at,
                  std::uint64_t seed, double scale = 1.0) {
  seed_options o;
  o.gpu_uuid = uuid;
  o.wsl = wsl;
  o.driver_version = driver;
  o.started_at = at;
  o.seed = seed;
  o.scale = scale;
  return seeded_copy(h200("full-1").report, o);
}

TEST_P(HistoryRecord, HistoryBaselineIsThisMachineOnThePreviousDriver) {
  auto c = open("history-baseline");
  std::uint64_t seed = 11;
  record_run(*c, seeded(fleet::machine_a, true, "552.22", "2026-10-01T10:00:00Z", seed++));
  record_run(*c, seeded(fleet::machine_a, true, "560.70", "2026-11-01T10:00:00Z", seed++));
  record_run(*c, seeded(fleet::machine_a, true, "560.70", "2026-11-02T10:00:00Z", seed++));
  record_run(*c, seeded(fleet::machine_b, true, "565.90", "2026-11-15T10:00:00Z", seed++));
  record_run(*c, seeded(fleet::bare, false, "580.159.04", "2026-11-20T10:00:00Z", seed++));
  // Never a baseline: interrupted, failed, excluded.
  run_report interrupted = seeded(fleet::machine_a, true, "565.90", "2026-11-10T10:00:00Z", seed++);
  interrupted.interrupted = true;
  interrupted.exit_code = 130;
  record_run(*c, interrupted);
  run_report failed = seeded(fleet::machine_a, true, "565.90", "2026-11-11T10:00:00Z", seed++);
  failed.exit_code = 1;
  record_run(*c, failed);
  const record_outcome excluded =
      record_run(*c, seeded(fleet::machine_a, true, "565.90", "2026-11-12T10:00:00Z", seed++));
  exclude_run(*c, excluded.run_key.substr(0, 12), "fan failure during the run");

  // A candidate on 566.14: the baseline is machine A on 560.70 (the two runs), not machine B,
  // not the interrupted, failed or excluded runs on 565.90.
  const run_report candidate = seeded(fleet::machine_a, true, "566.14", "2026-12-01T10:00:00Z", 99);
  std::string why;
  const std::optional<comparable_document> b = history_baseline(*c, candidate, why);
  ASSERT_TRUE(b) << why;
  EXPECT_EQ(b->context.sources.size(), 2u);  // the count `--baseline auto` looks at
  EXPECT_EQ(b->context.machines, std::vector<std::string>{fleet::machine_a});
  EXPECT_NE(why.find("this machine"), std::string::npos) << why;
  EXPECT_NE(why.find("560.70"), std::string::npos) << why;
  EXPECT_NE(why.find("2026-11-01T10:00:00Z"), std::string::npos) << why;
  EXPECT_NE(why.find("2026-11-02T10:00:00Z"), std::string::npos) << why;
  EXPECT_EQ(why.find("565.90"), std::string::npos) << why;
  EXPECT_NE(b->source.find("560.70"), std::string::npos) << b->source;

  // Judged against it: the same speed passes, 30 % slower fails.
  const comparable_document same = comparable_from_report(candidate, 0, "candidate");
  EXPECT_EQ(judge(*b, same).verdict, status::pass);
  const run_report slower_run =
      seeded(fleet::machine_a, true, "566.14", "2026-12-01T11:00:00Z", 100, 1.30);
  EXPECT_EQ(judge(*b, comparable_from_report(slower_run, 0, "slower")).verdict, status::fail);

  // A candidate on 560.70 rests on 552.22 (one run; its own driver's runs are not older).
  std::string why_560;
  const auto b560 = history_baseline(
      *c, seeded(fleet::machine_a, true, "560.70", "2026-11-03T10:00:00Z", 98), why_560);
  ASSERT_TRUE(b560) << why_560;
  EXPECT_EQ(b560->context.sources.size(), 1u);
  EXPECT_NE(why_560.find("552.22"), std::string::npos) << why_560;

  // A run already in the store is never its own baseline.
  std::string why_self;
  const run_report self = seeded(fleet::machine_a, true, "552.22", "2026-10-01T10:00:00Z", 11);
  const auto own = history_baseline(*c, self, why_self);
  ASSERT_TRUE(own) << why_self;  // nothing older of A: the bare-metal runs instead
  EXPECT_NE(why_self.find("bare metal"), std::string::npos) << why_self;
}

TEST_P(HistoryRecord, HistoryBaselineFallsBackToBareMetalAndSaysSo) {
  auto c = open("history-fallback");
  record_run(*c, seeded(fleet::machine_b, true, "565.90", "2026-11-15T10:00:00Z", 1));
  const run_report candidate = seeded(fleet::machine_a, true, "566.14", "2026-12-01T10:00:00Z", 2);
  std::string why;
  EXPECT_FALSE(history_baseline(*c, candidate, why));  // B is another machine, and WSL
  EXPECT_NE(why.find("no history baseline"), std::string::npos) << why;
  EXPECT_NE(why.find("566.14"), std::string::npos) << why;
  EXPECT_NE(why.find(fleet::machine_a), std::string::npos) << why;

  record_run(*c, seeded(fleet::bare, false, "575.51.03", "2026-11-18T10:00:00Z", 3));
  record_run(*c, seeded(fleet::bare, false, "580.159.04", "2026-11-20T10:00:00Z", 4));
  record_run(*c, seeded(fleet::bare, false, "580.159.04", "2026-11-21T10:00:00Z", 5));
  const std::optional<stored_baseline> b = choose_history_baseline(*c, candidate);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->runs.size(), 2u);
  EXPECT_EQ(b->runs.front().driver_version, "580.159.04");
  EXPECT_EQ(b->runs.front().platform, "linux");
  EXPECT_NE(b->why.find("no usable run of this machine"), std::string::npos) << b->why;
  EXPECT_NE(b->why.find("bare metal"), std::string::npos) << b->why;
  EXPECT_NE(b->why.find("2026-11-21T10:00:00Z"), std::string::npos) << b->why;
  EXPECT_FALSE(b->document.context.is_wsl);

  // A Linux candidate takes the model's bare-metal runs not newer than its own driver.
  const auto linux_b = choose_history_baseline(
      *c, seeded(fleet::machine_a, false, "578.00", "2026-12-02T10:00:00Z", 6));
  ASSERT_TRUE(linux_b);
  EXPECT_EQ(linux_b->runs.front().driver_version, "575.51.03");
}

TEST_P(HistoryRecord, AReportJudgedAgainIsNotItsOwnBaseline) {
  auto c = open("self");
  const run_report recorded = seeded(fleet::bare, false, "580.159.04", "2026-11-20T10:00:00Z", 7);
  ASSERT_TRUE(record_run(*c, recorded).added);
  // `gate` of that report: its judgement cleared. The key is that of the measurement alone
  // (history/record.hpp), so it is the same run, and never its own baseline.
  run_report again = recorded;
  again.gate.reset();
  for (result_row& r : again.results) r.baseline.reset();
  ASSERT_EQ(run_key(again), run_key(recorded));
  std::string why;
  EXPECT_FALSE(history_baseline(*c, again, why)) << why;
  // Another run of the model on that driver is a baseline for it.
  record_run(*c, seeded(fleet::bare, false, "580.159.04", "2026-11-21T10:00:00Z", 8));
  const auto b = choose_history_baseline(*c, again);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->runs.size(), 1u);
  EXPECT_EQ(b->runs.front().started_at, "2026-11-21T10:00:00Z");
}

TEST_P(HistoryRecord, InterruptedRunsAreMarked) {
  auto c = open("interrupted");
  run_report r = h200("quick-3").report;
  r.interrupted = true;
  r.exit_code = 130;
  r.results.resize(10);
  ASSERT_TRUE(record_run(*c, r).added);
  const std::vector<run_summary> runs = list_runs(*c, {});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs.front().interrupted);
  EXPECT_EQ(runs.front().results, 10);
  EXPECT_FALSE(usable_as_baseline(runs.front()));
  baseline_selection sel;
  sel.gpu = "NVIDIA H200";
  EXPECT_THROW(baseline_from_store(*c, sel), input_error);
}

TEST_P(HistoryRecord, ExcludeNeedsAKeyAndAReason) {
  auto c = open("exclude");
  const record_outcome a = record_loaded(*c, h200("quick-1"));
  const record_outcome b = record_loaded(*c, h200("quick-2"));
  EXPECT_THROW(exclude_run(*c, "xyz", "why"), input_error);
  EXPECT_THROW(exclude_run(*c, a.run_key.substr(0, 7), "why"), input_error);  // too short
  EXPECT_THROW(exclude_run(*c, a.run_key.substr(0, 12), ""), input_error);
  EXPECT_THROW(exclude_run(*c, "0123456789abcdef", "why"), input_error);  // no such run
  EXPECT_THROW(exclude_run(*c, "'; DROP TABLE runs; --", "why"), input_error);
  const run_summary s = exclude_run(*c, a.run_key.substr(0, 10), "thermal throttling");
  EXPECT_EQ(s.run_key, a.run_key);
  run_filter keep;
  keep.include_excluded = false;
  const std::vector<run_summary> left = list_runs(*c, keep);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.front().run_key, b.run_key);
  const std::vector<run_summary> all = list_runs(*c, {});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all.front().excluded);
  EXPECT_EQ(all.front().excluded_reason, "thermal throttling");
}

TEST_P(HistoryRecord, HostileStringsRoundTrip) {
  auto c = open("hostile");
  run_report r = h200("quick-1").report;
  const std::vector<std::string> hostile = {"it's \"quoted\"",
                                            "'; DROP TABLE runs; --",
                                            "Robert'); DELETE FROM results; --",
                                            std::string("nul\0inside", 10),
                                            "invalid \xff\xfe UTF-8",
                                            "\xce\xa9 \xe2\x9c\x93 ?, $1, %s"};
  r.env.host.cpu = hostile[1];
  r.env.host.distro = hostile[0];
  r.env.devices.at(0).name = hostile[2] + " H200";
  r.env.driver.kernel_module_version = hostile[5];
  r.argv = hostile;
  r.warnings = hostile;
  r.results.at(0).id = hostile[3];
  r.results.at(1).id = hostile[4];
  r.results.at(2).message = hostile[1];
  const record_outcome rec = record_run(*c, r);
  ASSERT_TRUE(rec.added);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM runs"), 1);  // every table still there

  const loaded_report back = rebuild_report(*c, rec.run_id);
  EXPECT_EQ(without_samples(report_to_json(back.report)), without_samples(report_to_json(r)));
  EXPECT_EQ(back.report.env.host.cpu, hostile[1]);
  EXPECT_EQ(back.report.results.at(0).id, hostile[3]);  // NUL kept in the report (JSON \u0000)
  EXPECT_EQ(back.report.results.at(2).message, hostile[1]);

  const std::vector<run_summary> runs = list_runs(*c, {});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs.front().cpu, hostile[1]);
  EXPECT_EQ(runs.front().gpu_model, hostile[2] + " H200");
  EXPECT_EQ(runs.front().driver_version, hostile[5]);
  run_filter f;
  f.driver = hostile[5];
  EXPECT_EQ(list_runs(*c, f).size(), 1u);
  EXPECT_EQ(trend(*c, {"*DROP*"}, {}).size(), 0u);  // ids are what they are, no SQL
  const std::vector<trend_point> nul = trend(*c, {"nul*inside"}, {});
  ASSERT_EQ(nul.size(), 1u);
  EXPECT_EQ(nul.front().workload_id, "nul\\x00inside");
  EXPECT_EQ(nul.front().gpu_model, hostile[2] + " H200");
  EXPECT_EQ(record_run(*c, r).added, false);  // the same key again
}

INSTANTIATE_TEST_SUITE_P(Stores, HistoryRecord, ::testing::ValuesIn(store_kinds()), kind_name);

}  // namespace
