// One validation for every reader (issue 27, item 3): report_from_json refuses what a wslcuda run
// cannot have written, naming the file, the JSON pointer and the rule; every committed report
// still reads. And duplicate JSON keys are refused by the one JSON reader, with their position.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

#include "model/json_reader.hpp"
#include "model/report_json.hpp"
#include "model/report_validation.hpp"

namespace wslcuda {
namespace {

const std::string kSource = WSLCUDA_SOURCE_DIR;
const std::string kQuick = kSource + "/reports/examples/h200-linux-2026-11-30-quick-1.json";

json quick_report() {
  return read_json_file(kQuick);
}

/// The message report_from_json throws for `doc`, or "" when it reads.
std::string refusal(const json& doc) {
  try {
    report_from_json(doc, "r.json");
  } catch (const input_error& e) {
    return e.what();
  }
  return "";
}

struct mutation {
  const char* what;
  std::function<void(json& row)> change;
  const char* pointer;  ///< below /results/0
  const char* rule;     ///< a piece of the rule's wording
};

void expect_refused(const mutation& m, std::size_t row = 0) {
  json doc = quick_report();
  m.change(doc["results"][row]);
  const std::string e = refusal(doc);
  const std::string pointer = "r.json: /results/" + std::to_string(row) + m.pointer + ": ";
  EXPECT_EQ(e.rfind(pointer, 0), 0u) << m.what << ": " << e;
  EXPECT_NE(e.find(m.rule), std::string::npos) << m.what << ": " << e;
}

void scale_times(json& row, double f) {
  json& t = row["timing"];
  for (json& v : t["values_s"]) v = v.get<double>() * f;
  for (const char* k : {"median_s", "mean_s", "min_s", "max_s", "p90_s", "p99_s"})
    t[k] = t[k].get<double>() * f;
  for (json& c : t["ci95_s"]) c = c.get<double>() * f;
}

}  // namespace

TEST(ReportValidation, EveryCommittedReportReads) {
  std::size_t files = 0;
  for (const char* folder :
       {"/reports/examples", "/tests/fixtures/golden", "/tests/fuzz/corpus/report"}) {
    for (const auto& e : std::filesystem::directory_iterator(kSource + folder)) {
      if (e.path().extension() != ".json") continue;
      const json doc = read_json_file(e.path());
      const json* tool = find_member(doc, "tool");
      if (tool == nullptr || !doc.contains("results")) continue;  // baselines, workload lists
      EXPECT_NO_THROW(report_from_json(doc, e.path().string())) << e.path();
      ++files;
    }
  }
  EXPECT_GE(files, 12u);
}

TEST(ReportValidation, TheImpossibleIsRefusedWithFilePointerAndRule) {
  const std::vector<mutation> mutations = {
      {"5000 % of peak", [](json& r) { r["throughput"]["fraction_of_peak"] = 50.0; },
       "/throughput/fraction_of_peak", "fraction_of_peak equals value / peak"},
      {"5000 % of peak, value and peak consistent",
       [](json& r) {
         r["throughput"]["peak"] = r["throughput"]["value"].get<double>() / 50.0;
         r["throughput"]["fraction_of_peak"] = 50.0;
       },
       "/throughput/fraction_of_peak", "above 100 % of the peak is an error"},
      {"negative median", [](json& r) { r["timing"]["median_s"] = -1e-4; }, "/timing/median_s",
       "finite and > 0"},
      {"zero median", [](json& r) { r["timing"]["median_s"] = 0.0; }, "/timing/median_s",
       "finite and > 0"},
      {"pass above its bound",
       [](json& r) { r["correctness"]["value"] = r["correctness"]["bound"].get<double>() * 2; },
       "/correctness/value", "within its bound"},
      {"pass with an unknown error", [](json& r) { r["correctness"]["value"] = nullptr; },
       "/correctness/value", "within its bound"},
      {"pass with out_of_bound", [](json& r) { r["correctness"]["out_of_bound"] = 3; },
       "/correctness/out_of_bound", "no element out of its bound"},
      {"pass with non_finite", [](json& r) { r["correctness"]["non_finite"] = 1; },
       "/correctness/non_finite", "no non-finite element"},
      {"negative count", [](json& r) { r["correctness"]["compared"] = -4; },
       "/correctness/compared", "a count is >= 0"},
      {"min above max", [](json& r) { std::swap(r["timing"]["min_s"], r["timing"]["max_s"]); },
       "/timing/median_s", "min_s <= median_s <= max_s"},
      {"median above max",
       [](json& r) { r["timing"]["median_s"] = r["timing"]["max_s"].get<double>() * 2; },
       "/timing/median_s", "min_s <= median_s <= max_s"},
      {"median below min",
       [](json& r) { r["timing"]["median_s"] = r["timing"]["min_s"].get<double>() / 2; },
       "/timing/median_s", "min_s <= median_s <= max_s"},
      {"mean outside",
       [](json& r) { r["timing"]["mean_s"] = r["timing"]["max_s"].get<double>() * 3; },
       "/timing/mean_s", "min_s <= mean_s <= max_s"},
      {"reversed interval",
       [](json& r) { std::swap(r["timing"]["ci95_s"][0], r["timing"]["ci95_s"][1]); },
       "/timing/ci95_s", "not reversed"},
      {"p99 below p90", [](json& r) { std::swap(r["timing"]["p90_s"], r["timing"]["p99_s"]); },
       "/timing/p90_s", "median_s <= p90_s <= p99_s <= max_s"},
      {"zero samples with a time", [](json& r) { r["timing"]["samples"] = 0; }, "/timing/samples",
       "at least one sample"},
      {"samples disagree with values_s", [](json& r) { r["timing"]["samples"] = 3; },
       "/timing/samples", "samples equals the number of values_s"},
      {"a sample of 0 s", [](json& r) { r["timing"]["values_s"][2] = 0.0; }, "/timing/values_s/2",
       "finite and > 0"},
      {"median not that of the samples",
       [](json& r) {
         // Five samples whose median is 1.5 m, with every other statistic theirs; median_s m.
         json& t = r["timing"];
         const double m = t["median_s"].get<double>();
         t["values_s"] = {0.5 * m, m, 1.5 * m, 2 * m, 2.5 * m};
         t["samples"] = 5;
         t["min_s"] = 0.5 * m;
         t["max_s"] = 2.5 * m;
         t["mean_s"] = 1.5 * m;
         t["p90_s"] = 2.3 * m;
         t["p99_s"] = 2.48 * m;
         t["ci95_s"] = {0.5 * m, 2.5 * m};
       },
       "/timing/median_s", "median_s is the median of values_s"},
      {"every time / 1000, throughput kept", [](json& r) { scale_times(r, 1e-3); },
       "/throughput/value", "equals the row's flops per run"},
      {"throughput x 1000, time kept",
       [](json& r) {
         r["throughput"]["value"] = r["throughput"]["value"].get<double>() * 1000;
         r["throughput"]["peak"] = r["throughput"]["peak"].get<double>() * 1000;
       },
       "/throughput/value", "equals the row's flops per run"},
      {"negative throughput", [](json& r) { r["throughput"]["value"] = -1.0; }, "/throughput/value",
       "finite and > 0"},
      {"unknown unit", [](json& r) { r["throughput"]["unit"] = "furlongs/s"; }, "/throughput/unit",
       "FLOP/s or B/s"},
      {"throughput without timing", [](json& r) { r["timing"] = nullptr; }, "/throughput",
       "needs a timing block"},
      {"skip row with a timing", [](json& r) { r["status"] = "skip"; }, "/timing",
       "a skipped row carries no timing"},
      {"batch 0", [](json& r) { r["timing"]["batch"] = 0; }, "/timing/batch",
       "at least one run per sample"},
      {"negative stdev", [](json& r) { r["timing"]["stdev_rel"] = -0.1; }, "/timing/stdev_rel",
       "a finite number >= 0"},
      {"executions that disagree with their samples",
       [](json& r) {
         const json& t = r["timing"];
         r["executions"] = json::array({json{{"samples", t["samples"]},
                                             {"median_s", t["median_s"]},
                                             {"min_s", t["median_s"].get<double>() / 2},
                                             {"max_s", t["max_s"]}}});
       },
       "/executions/0", "those of the execution's samples"},
      {"reversed baseline interval",
       [](json& r) {
         r["baseline"] = json{{"source", "b"},      {"value", 1.0},      {"ratio", 1.0},
                              {"ci95", {1.2, 0.8}}, {"verdict", "pass"}, {"message", "m"}};
       },
       "/baseline/ci95", "not reversed"},
  };
  for (const mutation& m : mutations) expect_refused(m);
  // A warn row is held to its bound as a pass row is.
  expect_refused({"warn above its bound",
                  [](json& r) {
                    r["status"] = "warn";
                    r["correctness"]["value"] = r["correctness"]["bound"].get<double>() * 2;
                  },
                  "/correctness/value", "a warn row's error is finite and within its bound"},
                 5);
}

TEST(ReportValidation, WhatARunCanWriteStillReads) {
  json doc = quick_report();
  // Every time / 1000 with the throughput × 1000 (and its fraction): consistent, reads.
  json& r = doc["results"][0];
  scale_times(r, 1e-3);
  r["throughput"]["value"] = r["throughput"]["value"].get<double>() * 1e3;
  r["throughput"]["peak"] = r["throughput"]["peak"].get<double>() * 1e3;
  // A failing row may be above its bound; an error row may be above the peak (the runner's
  // verdict on such a figure); a row rounded to 3 significant digits is within the tolerance.
  json& failed = doc["results"][1];
  failed["status"] = "fail";
  failed["correctness"]["value"] = failed["correctness"]["bound"].get<double>() * 10;
  failed["correctness"]["out_of_bound"] = 7;
  json& error = doc["results"][2];
  error["status"] = "error";
  error["throughput"]["peak"] = error["throughput"]["value"].get<double>() / 1.5;
  error["throughput"]["fraction_of_peak"] = 1.5;
  json& rounded = doc["results"][3];
  const double v = rounded["throughput"]["value"].get<double>();
  rounded["throughput"]["value"] = v * 1.004;  // 0.4 % off: within the 1 % tolerance
  rounded["throughput"]["fraction_of_peak"] =
      rounded["throughput"]["fraction_of_peak"].get<double>() * 1.004;
  // The run store's form: samples not kept (values_s empty), statistics kept.
  doc["results"][4]["timing"]["values_s"] = json::array();
  EXPECT_EQ(refusal(doc), "");
}

TEST(ReportValidation, DuplicateRowIdsAreRefusedEverywhere) {
  json doc = quick_report();
  doc["results"][7]["id"] = doc["results"][2]["id"];
  const std::string e = refusal(doc);
  EXPECT_EQ(e.rfind("r.json: /results/7/id: duplicate id", 0), 0u) << e;
  EXPECT_NE(e.find("/results/2"), std::string::npos) << e;
}

TEST(ReportValidation, GpuModelsOfTheTimedRows) {
  loaded_report l = report_from_json(quick_report(), "r.json");
  EXPECT_EQ(gpu_models_of_rows(l.report), std::vector<std::string>{"NVIDIA H200"});
  device_record other = l.report.env.devices[0];
  other.index = 1;
  other.name = "NVIDIA H100 80GB HBM3";
  l.report.env.devices.push_back(other);
  l.report.results[5].device = 1;
  EXPECT_EQ(gpu_models_of_rows(l.report),
            (std::vector<std::string>{"NVIDIA H200", "NVIDIA H100 80GB HBM3"}));
  // Rows that never ran (no timing) on the other device do not count.
  l.report.results[5].device = 0;
  l.report.results.back().device = 1;
  ASSERT_FALSE(l.report.results.back().timing);
  EXPECT_EQ(gpu_models_of_rows(l.report).size(), 1u);
}

// Duplicate keys: nlohmann keeps the last one silently, so a second "results": [] emptied a
// report. The one JSON reader refuses them with the position of the second key and its pointer.
TEST(InputFile, ANumberOutOfRangeIsNamedWithItsPosition) {
  try {
    parse_json_text("{\"a\": 1,\n \"b\": 1e400}", "n.json");
    FAIL() << "1e400 was accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(std::string(e.what()), "n.json:2:11: number overflow parsing '1e400'");
  }
}

TEST(InputFile, DuplicateKeysAreRefusedWithTheirPosition) {
  const auto error = [](const std::string& text) {
    try {
      parse_json_text(text, "d.json");
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(R"({"a": 1, "a": 2})").rfind("d.json:1:10: /a: duplicate key \"a\"", 0), 0u)
      << error(R"({"a": 1, "a": 2})");
  EXPECT_EQ(error("{\"x\": {\"k\": 1,\n  \"k\": 2}}").rfind("d.json:2:3: /x/k: duplicate key", 0),
            0u)
      << error("{\"x\": {\"k\": 1,\n  \"k\": 2}}");
  EXPECT_EQ(error(R"([{"k": 1}, {"k": 1, "k": 2}])").rfind("d.json:1:21: /1/k: duplicate key", 0),
            0u)
      << error(R"([{"k": 1}, {"k": 1, "k": 2}])");
  // Escaped quotes and slashes in the key; the pointer escapes / as ~1 and ~ as ~0.
  EXPECT_EQ(
      error(R"({"a\"/~b": 1, "a\"/~b": 2})").rfind("d.json:1:15: /a\"~1~0b: duplicate key", 0), 0u)
      << error(R"({"a\"/~b": 1, "a\"/~b": 2})");
  // Keys that differ only by escaping are the same key.
  EXPECT_NE(error(R"({"\u0061": 1, "a": 2})").find("duplicate key \"a\""), std::string::npos);
  // The same key in different objects, and equal values, are fine.
  EXPECT_EQ(error(R"({"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}, {"k": 1}]})"), "");
  // A report with a second "results": [] is refused, not emptied.
  std::string text = quick_report().dump(1);
  text.insert(text.rfind('}'), ",\n\"results\": []\n");
  const std::string e = error(text);
  EXPECT_NE(e.find("/results: duplicate key \"results\""), std::string::npos) << e.substr(0, 200);
}

}  // namespace wslcuda
