// The gate on real data: the five reports of wslcuda's first runs on an NVIDIA H200 (2026-11-30,
// one machine, same binary, back to back; reports/examples/h200-linux-2026-11-30-*.json). Every
// pair of them is an A/A comparison, which a gate must not fail; a synthetic slowdown of the same
// data must fail. A seeded two-level noise simulation calibrated from these reports gives the
// false-failure rate and the power over many runs. No timing thresholds: everything here is
// computed from committed data.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "baseline/baseline.hpp"
#include "baseline/bundled_baselines.hpp"
#include "baseline/compare.hpp"
#include "baseline/documents.hpp"
#include "measure/statistics.hpp"
#include "report/comparison_formats.hpp"

namespace wslcuda {
namespace {

comparable_document h200(const std::string& run) {
  return load_comparable(std::string(WSLCUDA_SOURCE_DIR) +
                         "/reports/examples/h200-linux-2026-11-30-" + run + ".json");
}

/// Caches the parsed reports: each is 0.6 to 1.9 MB.
const comparable_document& report(const std::string& run) {
  static std::map<std::string, comparable_document> cache;
  auto it = cache.find(run);
  if (it == cache.end()) it = cache.emplace(run, h200(run)).first;
  return it->second;
}

std::size_t count(const document_comparison& c, status s) {
  std::size_t n = 0;
  for (const entry_comparison& e : c.rows) n += e.verdict == s ? 1 : 0;
  return n;
}

/// Every execution of every device-bound row of `doc` made `factor` times slower.
comparable_document slowed(comparable_document doc, double factor, bound_kind which) {
  for (comparable_entry& e : doc.entries) {
    if (e.bound != which) continue;
    for (comparable_execution& x : e.executions) {
      for (double& v : x.samples_s) v *= factor;
      x.value_s *= factor;
    }
    e.central_s *= factor;
  }
  return doc;
}

comparable_document on_machine(comparable_document doc, const std::string& uuid) {
  doc.context.machines = {uuid};
  for (comparable_entry& e : doc.entries)
    for (comparable_execution& x : e.executions) x.machine = uuid;
  return doc;
}

}  // namespace

TEST(GateH200, QuickRunsLeaveOneOutAreNotFail) {
  const char* runs[] = {"quick-1", "quick-2", "quick-3"};
  for (int i = 0; i < 3; ++i) {
    std::vector<comparable_document> others;
    for (int j = 0; j < 3; ++j)
      if (j != i) others.push_back(report(runs[j]));
    const comparable_document baseline = merge_documents(others);
    const document_comparison c = compare_documents(baseline, report(runs[i]), default_policy());
    EXPECT_TRUE(c.comparable);
    EXPECT_NE(c.verdict, status::fail) << runs[i] << ": " << c.evidence;
    EXPECT_EQ(count(c, status::fail), 0u) << runs[i];
    EXPECT_GT(c.gated, c.rows.size() / 2) << runs[i] << ": " << c.evidence;
  }
}

TEST(GateH200, FullRunAgainstAOneExecutionBaselineIsNotFail) {
  const comparable_document baseline = merge_documents({report("full-1")});
  const document_comparison c = compare_documents(baseline, report("full-2"), default_policy());
  EXPECT_NE(c.verdict, status::fail) << c.evidence;
  EXPECT_EQ(count(c, status::fail), 0u);
  for (const entry_comparison& e : c.rows) {
    EXPECT_EQ(e.baseline_executions, 1);
    if (e.gated) {
      EXPECT_NE(e.noise_from.find("noise floor"), std::string::npos) << e.id;
    }
  }
}

TEST(GateH200, ATwelvePercentSlowdownOfDeviceBoundRowsFails) {
  const comparable_document baseline = merge_documents({report("full-1"), report("full-2")});
  const comparable_document candidate = slowed(report("full-2"), 1.12, bound_kind::device);
  const document_comparison c = compare_documents(baseline, candidate, default_policy());
  std::size_t gated = 0, failed = 0;
  std::string missed;
  for (const entry_comparison& e : c.rows) {
    if (e.bound != bound_kind::device || !e.gated) continue;
    ++gated;
    if (e.verdict == status::fail)
      ++failed;
    else
      missed += e.id + " (" + e.message + ")\n";
  }
  std::printf("device-bound rows gated: %zu, failed at 1.12x: %zu\n", gated, failed);
  ASSERT_GT(gated, 30u);
  EXPECT_GE(static_cast<double>(failed), 0.95 * static_cast<double>(gated)) << missed;
  EXPECT_EQ(c.verdict, status::fail);
}

TEST(GateH200, HostBoundRowsFromAnotherMachineAreNotGated) {
  const comparable_document baseline = merge_documents({report("full-1"), report("full-2")});
  // The candidate on another machine, its host-bound rows twice as slow: information only.
  const comparable_document candidate =
      on_machine(slowed(report("full-2"), 2.0, bound_kind::host), "GPU-another-machine");
  const document_comparison c = compare_documents(baseline, candidate, default_policy());
  std::size_t host = 0;
  for (const entry_comparison& e : c.rows) {
    if (e.bound != bound_kind::host) continue;
    ++host;
    EXPECT_FALSE(e.gated) << e.id;
    EXPECT_EQ(e.verdict, status::skip) << e.id;
    EXPECT_LT(e.ratio, 0.75) << e.id;  // the slowdown is still shown
  }
  EXPECT_GT(host, 20u);
  EXPECT_NE(c.verdict, status::fail) << c.evidence;
  // On the same machine the same slowdown fails.
  const document_comparison same = compare_documents(
      baseline, slowed(report("full-2"), 2.0, bound_kind::host), default_policy());
  EXPECT_EQ(same.verdict, status::fail);
}

TEST(GateH200, MostRowsAreGated) {
  const comparable_document baseline = merge_documents({report("full-1"), report("full-2")});
  const document_comparison c = compare_documents(baseline, report("full-1"), default_policy());
  std::printf("full-1 against full-1 + full-2: %s\n", c.evidence.c_str());
  EXPECT_GE(static_cast<double>(c.gated),
            0.6 * static_cast<double>(report("full-1").entries.size()));
  EXPECT_EQ(c.verdict, status::pass);
}

TEST(GateH200, CaptureMergesMachinesAndRefusesOtherModels) {
  const comparable_document a = report("full-1");
  const comparable_document b = on_machine(report("full-2"), "GPU-second-h200");
  const comparable_document merged = merge_documents({a, b});
  EXPECT_EQ(merged.context.machines.size(), 2u);
  EXPECT_EQ(merged.context.sources.size(), 2u);
  ASSERT_FALSE(merged.entries.empty());
  EXPECT_EQ(merged.entries[0].executions.size(), 2u);
  EXPECT_NE(merged.entries[0].executions[0].machine, merged.entries[0].executions[1].machine);
  // The file keeps the machines and the executions; a 1.0-style reader still finds samples_s.
  const json file = baseline_to_json(merged);
  EXPECT_EQ(file["context"]["machines"].size(), 2u);
  EXPECT_EQ(file["entries"][0]["executions"].size(), 2u);
  EXPECT_FALSE(file["entries"][0]["samples_s"].empty());
  const comparable_document back = comparable_from_json(json::parse(file.dump()), "b.json");
  EXPECT_EQ(back.context.machines, merged.context.machines);
  ASSERT_EQ(back.entries.size(), merged.entries.size());
  for (std::size_t i = 0; i < back.entries.size(); ++i) {
    EXPECT_EQ(back.entries[i].executions.size(), merged.entries[i].executions.size());
    EXPECT_NEAR(back.entries[i].central_s, merged.entries[i].central_s,
                1e-9 * merged.entries[i].central_s);
  }
  // A baseline is an input too: merging it with a third run adds that run's executions.
  const comparable_document three = merge_documents({back, report("quick-1")});
  EXPECT_EQ(three.context.sources.size(), 3u);
  comparable_document other = report("quick-2");
  other.context.gpu_name = "NVIDIA H100 80GB HBM3";
  try {
    merge_documents({a, other});
    FAIL() << "models mixed";
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("full-1"), std::string::npos) << what;
    EXPECT_NE(what.find("quick-2"), std::string::npos) << what;
    EXPECT_NE(what.find("one GPU model"), std::string::npos) << what;
  }
}

TEST(GateH200, TheBundledBaselineSharingTheMostIdsIsChosen) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "bundled-h200";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a-full.json")
      << baseline_to_json(merge_documents({report("full-1"), report("full-2")})).dump();
  std::ofstream(dir / "b-quick.json")
      << baseline_to_json(merge_documents({report("quick-1"), report("quick-2")})).dump();
  std::string why;
  std::vector<std::string> notes;
  const std::vector<comparable_document> bundled = load_bundled_baselines({dir}, notes);
  const auto quick = find_bundled_baseline(bundled, report("quick-3"), why);
  ASSERT_TRUE(quick.has_value()) << why;
  EXPECT_EQ(quick->source, (dir / "b-quick.json").string());
  const auto full = find_bundled_baseline(bundled, report("full-2"), why);
  ASSERT_TRUE(full.has_value()) << why;
  EXPECT_EQ(full->source, (dir / "a-full.json").string());
  EXPECT_TRUE(notes.empty());
}

TEST(GateH200, EvidenceCountsWhatTheRunAttempted) {
  // A run filtered to the GEMMs is judged on the GEMMs: enough evidence to pass.
  const comparable_document baseline = merge_documents({report("full-1"), report("full-2")});
  comparable_document gemm = report("full-2");
  std::vector<comparable_entry> kept;
  for (const comparable_entry& e : gemm.entries)
    if (e.family == "gemm") kept.push_back(e);
  gemm.entries = kept;
  std::set<std::string> attempted;
  for (const comparable_entry& e : kept) attempted.insert(e.id);
  gemm.attempted = attempted;
  const document_comparison c = compare_documents(baseline, gemm, default_policy());
  EXPECT_EQ(c.verdict, status::pass) << c.evidence;
  EXPECT_NE(c.evidence.find("of the 28 baseline rows this run attempted"), std::string::npos)
      << c.evidence;
  // Rows it attempted but lost (an error, a skip) still count against it.
  for (const comparable_entry& e : baseline.entries)
    if (e.family != "gemm") gemm.attempted.insert(e.id);
  const document_comparison lost = compare_documents(baseline, gemm, default_policy());
  EXPECT_EQ(lost.verdict, status::warn) << lost.evidence;
}

TEST(GateH200, CaptureCountsEachExecutionOnceAndKeepsOnlyPassingRows) {
  const comparable_document twice = merge_documents({report("full-1"), report("full-1")});
  for (const comparable_entry& e : twice.entries) EXPECT_EQ(e.executions.size(), 1u) << e.id;
  // A baseline and one of the reports it was made from: still two executions per row.
  const comparable_document base = merge_documents({report("full-1"), report("full-2")});
  const comparable_document back =
      comparable_from_json(json::parse(baseline_to_json(base).dump()), "base.json");
  const comparable_document again = merge_documents({back, report("full-2")});
  for (const comparable_entry& e : again.entries) EXPECT_EQ(e.executions.size(), 2u) << e.id;
  // A failing row is no reference; an interrupted run is refused.
  comparable_document failing = report("quick-1");
  failing.entries[0].passed = false;
  const comparable_document without = merge_documents({failing});
  EXPECT_EQ(without.entries.size(), failing.entries.size() - 1);
  comparable_document stopped = report("quick-2");
  stopped.interrupted = true;
  EXPECT_THROW(merge_documents({stopped}), input_error);
}

// ---- simulation ------------------------------------------------------------------------------

namespace {

/// One row of the suite as a two-level noise model: per execution, the time is the row's
/// median × exp(N(0, sigma_e)) (execution level); within an execution, samples are drawn from
/// the row's real samples divided by their median (sample level).
struct row_model {
  std::string id, family;
  bound_kind bound = bound_kind::device;
  std::string bound_reason;
  double median_s = 0.0;
  double sigma_e = 0.0;
  std::vector<double> shape;  ///< real samples / their median, thinned to ≤ 101 quantiles
};

/// Calibration: sigma_e is the standard deviation of the log of the per-execution medians over
/// every H200 run that has the id (2 to 5), at least 0.5 %.
std::vector<row_model> calibrate() {
  std::map<std::string, std::vector<double>> medians;
  for (const char* run : {"full-1", "full-2", "quick-1", "quick-2", "quick-3"})
    for (const comparable_entry& e : report(run).entries)
      medians[e.id].push_back(e.executions.front().value_s);
  std::vector<row_model> rows;
  for (const comparable_entry& e : report("full-1").entries) {
    row_model m;
    m.id = e.id;
    m.family = e.family;
    m.bound = e.bound;
    m.bound_reason = e.bound_reason;
    m.median_s = e.central_s;
    const std::vector<double>& v = medians[e.id];
    double mean = 0.0, ss = 0.0;
    for (double x : v) mean += std::log(x) / static_cast<double>(v.size());
    for (double x : v) ss += (std::log(x) - mean) * (std::log(x) - mean);
    m.sigma_e =
        std::max(0.005, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0);
    const std::vector<double>& s = e.executions.front().samples_s;
    const double med = median_of(s);
    for (double q : spaced_percentiles(s, kBaselineQuantiles)) m.shape.push_back(q / med);
    rows.push_back(std::move(m));
  }
  return rows;
}

comparable_execution simulate_execution(const row_model& m, double factor, std::mt19937_64& rng) {
  std::normal_distribution<double> z(0.0, 1.0);
  const double level = m.median_s * factor * std::exp(m.sigma_e * z(rng));
  comparable_execution x;
  for (std::size_t i = 0; i < m.shape.size(); ++i)
    x.samples_s.push_back(level * m.shape[static_cast<std::size_t>(rng() % m.shape.size())]);
  x.value_s = median_of(x.samples_s);
  x.machine = "GPU-sim";
  return x;
}

comparable_entry simulate_entry(const row_model& m, int executions, double factor,
                                std::mt19937_64& rng) {
  comparable_entry e;
  e.id = m.id;
  e.family = m.family;
  e.bound = m.bound;
  e.bound_reason = m.bound_reason;
  std::vector<double> values;
  for (int i = 0; i < executions; ++i) {
    e.executions.push_back(simulate_execution(m, factor, rng));
    values.push_back(e.executions.back().value_s);
  }
  e.central_s = median_of(values);
  return e;
}

/// One simulated comparison of a row: a baseline of `baseline_executions`, a candidate of R = 3
/// executions slowed by `factor`, and up to 2 confirmation executions while it fails or warns, as
/// `wslcuda run --repeat 3 --confirm 2` does.
entry_comparison simulate_row(const row_model& m, int baseline_executions, double factor,
                              const gate_policy& policy, std::mt19937_64& rng) {
  const comparable_entry base = simulate_entry(m, baseline_executions, 1.0, rng);
  comparable_entry cand = simulate_entry(m, 3, factor, rng);
  entry_comparison r = compare_entry(base, cand, "GPU-sim", policy, 0);
  for (int round = 0; round < 2 && (r.verdict == status::fail || r.verdict == status::warn);
       ++round) {
    cand.executions.push_back(simulate_execution(m, factor, rng));
    std::vector<double> values;
    for (const comparable_execution& x : cand.executions) values.push_back(x.value_s);
    cand.central_s = median_of(values);
    r = compare_entry(base, cand, "GPU-sim", policy, 0);
  }
  return r;
}

}  // namespace

TEST(GateH200, SimulatedAaRunsRarelyFailAndTenPercentSlowdownsFail) {
  const std::vector<row_model> rows = calibrate();
  ASSERT_GT(rows.size(), 100u);
  gate_policy policy = default_policy();
  policy.bootstrap_resamples = 0;  // the verdict does not use the interval
  for (const int baseline_executions : {2, 6}) {
    std::mt19937_64 rng(20261130 + baseline_executions);
    int failed_runs = 0;
    constexpr int kRuns = 1000;
    for (int run = 0; run < kRuns; ++run) {
      bool any = false;
      for (const row_model& m : rows)
        any = simulate_row(m, baseline_executions, 1.0, policy, rng).verdict == status::fail || any;
      failed_runs += any ? 1 : 0;
    }
    // Power: each device-bound row 10 % slower (throughput × 0.9), 200 trials where it is gated.
    double power_sum = 0.0, power_min = 1.0;
    std::string weakest;
    int device_rows = 0;
    for (const row_model& m : rows) {
      if (m.bound != bound_kind::device) continue;
      int gated = 0, fails = 0;
      for (int t = 0; t < 200; ++t) {
        const entry_comparison r = simulate_row(m, baseline_executions, 1.0 / 0.9, policy, rng);
        if (!r.gated) continue;
        ++gated;
        fails += r.verdict == status::fail ? 1 : 0;
      }
      if (gated < 100) continue;  // a row gated in under half the trials is not a gated row
      const double p = static_cast<double>(fails) / gated;
      power_sum += p;
      ++device_rows;
      if (p < power_min) {
        power_min = p;
        weakest = m.id;
      }
    }
    const double false_rate = static_cast<double>(failed_runs) / kRuns;
    const double power = device_rows > 0 ? power_sum / device_rows : 0.0;
    std::printf(
        "baseline of %d executions, candidate R = 3 + 2 confirmations: %d of %d A/A suite runs "
        "fail (%.1f %%); 10 %% slowdown: mean power %.1f %% over %d gated device-bound rows, "
        "weakest %s %.1f %%\n",
        baseline_executions, failed_runs, kRuns, 100.0 * false_rate, 100.0 * power, device_rows,
        weakest.c_str(), 100.0 * power_min);
    EXPECT_LT(false_rate, 0.01);
    EXPECT_GE(power, 0.95);
    EXPECT_GT(device_rows, 30);
  }
}

}  // namespace wslcuda
