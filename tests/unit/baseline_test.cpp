#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "baseline/baseline.hpp"
#include "baseline/bundled_baselines.hpp"
#include "baseline/documents.hpp"
#include "baseline/judge.hpp"
#include "baseline/policy.hpp"
#include "model/json_reader.hpp"
#include "model/report_json.hpp"
#include "model/row_json.hpp"
#include "model/verdict.hpp"
#include "report/comparison_formats.hpp"

namespace wslcuda {
namespace {

std::filesystem::path golden(const std::string& name) {
  return std::filesystem::path(WSLCUDA_FIXTURES_DIR) / "golden" / name;
}

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "baseline-tests";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const input_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Policy, DefaultMatchesTheCommittedFile) {
  const gate_policy file =
      read_policy_file(std::filesystem::path(WSLCUDA_SOURCE_DIR) / "ci" / "gate-policy.json");
  const gate_policy builtin = default_policy();
  EXPECT_DOUBLE_EQ(file.alpha, builtin.alpha);
  EXPECT_DOUBLE_EQ(file.default_min_ratio, builtin.default_min_ratio);
  EXPECT_EQ(file.family_min_ratio, builtin.family_min_ratio);
  EXPECT_EQ(file.overrides, builtin.overrides);
  EXPECT_EQ(file.bootstrap_resamples, builtin.bootstrap_resamples);
  EXPECT_DOUBLE_EQ(file.noise_k, builtin.noise_k);
  EXPECT_EQ(file.floor_ratio, builtin.floor_ratio);
  EXPECT_EQ(file.noise_floors, builtin.noise_floors);
  EXPECT_DOUBLE_EQ(file.min_evidence_fraction, builtin.min_evidence_fraction);
  EXPECT_DOUBLE_EQ(file.partial_slowdown_quantile, builtin.partial_slowdown_quantile);
  EXPECT_EQ(file.change_points, builtin.change_points);
  EXPECT_EQ(file.change_points.window, 50u);  // the file sets what the code defaults to
  EXPECT_EQ(file.change_points.min_segment, 3u);
  EXPECT_NE(builtin.source.find("ci/gate-policy.json"), std::string::npos);
}

TEST(Policy, EveryNumberHasASource) {
  const json doc =
      read_json_file(std::filesystem::path(WSLCUDA_SOURCE_DIR) / "ci" / "gate-policy.json");
  ASSERT_TRUE(doc.contains("sources") && doc["sources"].is_object());
  for (const auto& [key, value] : doc.items()) {
    if (key == "schema_version" || key == "sources") continue;
    const bool numeric =
        value.is_number() || (value.is_object() && !value.empty() && value.begin()->is_number());
    if (!numeric) continue;
    ASSERT_TRUE(doc["sources"].contains(key)) << key << " has no source";
    EXPECT_GT(doc["sources"][key].get<std::string>().size(), 40u) << key;
  }
  for (const json& floor : doc["noise_floors"]) {
    ASSERT_TRUE(floor.contains("source")) << floor.dump();
    EXPECT_NE(floor["source"].get<std::string>().find("H200"), std::string::npos);
  }
}

TEST(Policy, OverridesFamiliesAndDefault) {
  gate_policy p = default_policy();
  p.overrides = {{"reduce.own.*", 0.8}, {"reduce.*", 0.5}};
  EXPECT_DOUBLE_EQ(min_ratio_for(p, "reduce.own.f32.sum.n1", "reduce"), 0.8);  // first match wins
  EXPECT_DOUBLE_EQ(min_ratio_for(p, "reduce.cub.f32.sum.n1", "reduce"), 0.5);
  EXPECT_DOUBLE_EQ(min_ratio_for(p, "latency.runtime.none.launch", "latency"), 0.91);
  EXPECT_DOUBLE_EQ(min_ratio_for(p, "gemm.own.f32.x", "gemm"), 0.97);
}

TEST(Policy, BadFilesNameTheField) {
  const std::string head = R"({"schema_version": "1.0.0", "kind": "wslcuda-gate-policy", )";
  EXPECT_NE(error_of([&] {
              read_policy_file(temp_file("p1.json", head + R"("alpha": 0.7})"));
            }).find("/alpha"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_policy_file(temp_file("p2.json", head + R"("default_min_ratio": 1.5})"));
            }).find("/default_min_ratio"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_policy_file(temp_file("p3.json", head + R"("overrides": [{"id": 3}]})"));
            }).find("/overrides/0"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_policy_file(temp_file(
                  "p4.json", R"({"schema_version": "2.0.0", "kind": "wslcuda-gate-policy"})"));
            }).find("major 2 is not supported"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] {
        read_policy_file(temp_file("p5.json", R"({"schema_version": "1.0.0", "kind": "other"})"));
      }).find("/kind"),
      std::string::npos);
  EXPECT_NE(error_of([&] {
              read_policy_file(temp_file("p6.json", head + R"("change_points": {"window": 1}})"));
            }).find("/change_points/window"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] {
        read_policy_file(temp_file(
            "p7.json", head + R"("change_points": {"min_segment": 2, "min_last_segment": 3}})"));
      }).find("/change_points/min_last_segment"),
      std::string::npos);
  EXPECT_NE(error_of([&] {
              read_policy_file(temp_file("p8.json", head + R"("partial_slowdown_quantile": 0.9})"));
            }).find("/partial_slowdown_quantile"),
            std::string::npos);
}

TEST(Baseline, ReportsAreReadWithContextAndSamples) {
  const comparable_document d = load_comparable(golden("report-baremetal.json"));
  EXPECT_EQ(d.kind, "report");
  EXPECT_EQ(d.context.gpu_name, "Synthetic GPU (test fixture)");
  EXPECT_EQ(d.context.compute_capability, "9.0");
  EXPECT_EQ(d.context.driver_version, "580.65.06");
  EXPECT_FALSE(d.context.is_wsl);
  ASSERT_EQ(d.entries.size(), 3u);
  ASSERT_EQ(d.entries[0].executions.size(), 1u);  // a 1.0 report: one execution per row
  EXPECT_EQ(d.entries[0].executions[0].samples_s.size(), 20u);
  EXPECT_EQ(d.entries[0].executions[0].machine, "GPU-fixture");
  EXPECT_GT(d.entries[0].central_s, 0.0);
  EXPECT_EQ(d.context.machines, std::vector<std::string>{"GPU-fixture"});
}

TEST(Baseline, CaptureRoundTrip) {
  const comparable_document report = load_comparable(golden("report-baremetal.json"));
  const json b = baseline_to_json(report);
  EXPECT_EQ(b["kind"], "wslcuda-baseline");
  const comparable_document back = comparable_from_json(json::parse(b.dump()), "baseline.json");
  EXPECT_EQ(back.kind, "baseline");
  EXPECT_EQ(back.context.gpu_name, report.context.gpu_name);
  ASSERT_EQ(back.entries.size(), report.entries.size());
  for (std::size_t i = 0; i < back.entries.size(); ++i) {
    EXPECT_EQ(back.entries[i].id, report.entries[i].id);
    ASSERT_EQ(back.entries[i].executions.size(), 1u);
    // 20 samples: fewer than kBaselineQuantiles, so kept (sorted).
    std::vector<double> sorted = report.entries[i].executions[0].samples_s;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(back.entries[i].executions[0].samples_s, sorted);
    EXPECT_DOUBLE_EQ(back.entries[i].central_s, report.entries[i].central_s);
  }
  // A baseline compares like the report it came from.
  const comparable_document wsl = load_comparable(golden("report-wsl-slower.json"));
  const document_comparison from_report = compare_documents(report, wsl, default_policy());
  const document_comparison from_baseline = compare_documents(back, wsl, default_policy());
  ASSERT_EQ(from_report.rows.size(), from_baseline.rows.size());
  for (std::size_t i = 0; i < from_report.rows.size(); ++i)
    EXPECT_EQ(from_report.rows[i].verdict, from_baseline.rows[i].verdict);
}

TEST(Baseline, GoldenComparison) {
  const comparable_document base = load_comparable(golden("report-baremetal.json"));
  const document_comparison c =
      compare_documents(base, load_comparable(golden("report-wsl-slower.json")), default_policy());
  ASSERT_EQ(c.rows.size(), 3u);
  EXPECT_EQ(c.rows[0].id, "gemm.own.f32.m1024n1024k1024");
  EXPECT_EQ(c.rows[0].verdict, status::fail);
  // latency.launch: its noise floor (48.5 %, latency.*) is too wide for a device-timed row.
  EXPECT_FALSE(c.rows[1].gated);
  EXPECT_EQ(c.rows[1].verdict, status::skip);
  EXPECT_EQ(c.rows[2].verdict, status::pass);
  EXPECT_EQ(c.only_in_candidate,
            std::vector<std::string>{"conv.own.f32.direct.n1c1h8w8k1r3s3p1u1"});
  EXPECT_TRUE(c.only_in_baseline.empty());
  EXPECT_EQ(c.verdict, status::fail);
  const document_comparison same =
      compare_documents(base, load_comparable(golden("report-wsl-same.json")), default_policy());
  EXPECT_EQ(same.verdict, status::pass);
  const document_comparison other =
      compare_documents(base, load_comparable(golden("report-other-gpu.json")), default_policy());
  EXPECT_FALSE(other.comparable);
  EXPECT_EQ(other.verdict, status::skip);
  EXPECT_NE(other.why_not.find("no matching baseline"), std::string::npos);
}

TEST(Baseline, TheJudgementLeavesTheMeasurementAndDecidesTheVerdict) {
  const json wsl = read_json_file(golden("report-wsl-slower.json"));
  run_report report = report_from_json(wsl, "wsl").report;
  judge_inputs in;
  in.choice = baseline_choice::file;
  in.explicit_baseline = load_comparable(golden("report-baremetal.json"));
  in.policy = default_policy();
  const std::vector<result_row> measured = report.results;
  apply_judgement(report, judge_run(report, report.results, in));
  std::vector<result_row>& rows = report.results;
  // The measurement is untouched: same status and message as measured.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].status, measured[i].status) << rows[i].id;
    EXPECT_EQ(rows[i].message, measured[i].message) << rows[i].id;
  }
  EXPECT_EQ(rows[0].status, status::pass);
  EXPECT_EQ(row_verdict(rows[0]), status::fail);
  ASSERT_TRUE(rows[0].baseline && rows[0].baseline->ratio);
  EXPECT_EQ(rows[0].baseline->reason, reason_code::slower_every_execution);
  EXPECT_LT(*rows[0].baseline->ratio, 0.95);
  EXPECT_EQ(rows[0].baseline->unit, "FLOP/s");
  EXPECT_NE(row_message(rows[0]).find("; baseline: "), std::string::npos);
  EXPECT_EQ(row_verdict(rows[1]), status::pass);  // not gated: the judgement leaves it alone
  ASSERT_TRUE(rows[1].baseline && rows[1].baseline->gated);
  EXPECT_FALSE(*rows[1].baseline->gated);
  EXPECT_EQ(rows[1].baseline->reason, reason_code::too_noisy);
  EXPECT_EQ(row_verdict(rows[2]), status::pass);
  EXPECT_EQ(rows[3].baseline->verdict, status::skip);  // no entry in the baseline
  EXPECT_EQ(rows[3].baseline->reason, reason_code::no_entry);
  EXPECT_EQ(report.gate->judged_by, "baseline");
  EXPECT_EQ(report.gate->verdict, status::fail);
  // The row survives the JSON round trip: the measurement and its judgement both come back.
  const json j = to_json(rows[0]);
  EXPECT_EQ(j["status"], "fail");
  EXPECT_EQ(j["measured_status"], "pass");
  const result_row back = result_from_json(json::parse(j.dump()));
  EXPECT_EQ(back.status, status::pass);
  EXPECT_EQ(back.message, rows[0].message);
  ASSERT_TRUE(back.baseline && back.baseline->ci95_lo);
  EXPECT_EQ(back.baseline->verdict, status::fail);
  EXPECT_EQ(back.baseline->reason, reason_code::slower_every_execution);
  EXPECT_EQ(row_verdict(back), status::fail);
}

TEST(Baseline, BundledSearchNamesTheClosest) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "bundled";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const comparable_document report = load_comparable(golden("report-baremetal.json"));
  std::ofstream(dir / "synthetic.json") << baseline_to_json(report).dump();
  std::ofstream(dir / "broken.json") << "{";
  std::string why;
  std::vector<std::string> notes;
  const std::vector<comparable_document> bundled = load_bundled_baselines({dir}, notes);
  EXPECT_EQ(bundled.size(), 1u);
  EXPECT_EQ(notes.size(), 1u);  // the broken file, skipped with its error
  EXPECT_TRUE(find_bundled_baseline(bundled, report, why).has_value());
  comparable_document other = report;
  other.context.gpu_name = "NVIDIA GeForce RTX 4090";
  EXPECT_FALSE(find_bundled_baseline(bundled, other, why).has_value());
  EXPECT_NE(why.find("closest: Synthetic GPU (test fixture)"), std::string::npos) << why;
  EXPECT_FALSE(
      find_bundled_baseline(load_bundled_baselines({dir / "none"}, notes), other, why).has_value());
  EXPECT_EQ(why, "no matching baseline (no bundled baselines)");
}

TEST(Baseline, MalformedDocumentsNameThePointer) {
  json doc = read_json_file(golden("report-baremetal.json"));
  doc["results"][1]["id"] = doc["results"][0]["id"];
  EXPECT_NE(error_of([&] {
              comparable_from_json(doc, "r.json");
            }).find("r.json: /results/1/id: duplicate id"),
            std::string::npos);
  doc = read_json_file(golden("report-baremetal.json"));
  doc["results"][0]["timing"]["values_s"][3] = -1.0;
  EXPECT_NE(
      error_of([&] { comparable_from_json(doc, "r.json"); }).find("/results/0/timing/values_s/3"),
      std::string::npos);
  doc = read_json_file(golden("report-baremetal.json"));
  doc["schema_version"] = "2.1.0";
  EXPECT_NE(error_of([&] { comparable_from_json(doc, "r.json"); }).find("major 2"),
            std::string::npos);
  doc = read_json_file(golden("report-baremetal.json"));
  doc["schema_version"] = "1.7.0";  // a newer minor with fields this version does not know
  doc["something_new"] = {{"x", 1}};
  doc["results"][0]["new_field"] = true;
  EXPECT_EQ(comparable_from_json(doc, "r.json").entries.size(), 3u);
  EXPECT_NE(error_of([&] {
              comparable_from_json(json::array(), "r.json");
            }).find("expected a JSON object"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              comparable_from_json(json{{"x", 1}}, "r.json");
            }).find("neither a wslcuda report"),
            std::string::npos);
}

}  // namespace wslcuda
