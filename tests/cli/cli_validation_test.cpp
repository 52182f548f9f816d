// One validation for every reader (issue 27, item 3): every command that reads a report refuses
// the impossible the same way (exit 2 naming the file, the JSON pointer and the rule), duplicate
// JSON keys with their position, and `baseline capture` a report whose rows ran on two GPU models.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

const std::string kQuickReport =
    WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-quick-1.json";

/// Every command that reads `report` (a path), each writing nothing it could be blamed for.
std::vector<std::string> readers_of(const std::string& report) {
  const std::string r = "'" + report + "'", good = "'" + kQuickReport + "'";
  return {"gate " + r + " --baseline none --json out.json",
          "gate " + r + " --json out.json",
          "gate " + r + " --baseline " + good + " --json out.json",
          "compare " + good + " " + r,
          "compare " + r + " " + good,
          "baseline capture --from " + r + " --out out-baseline.json",
          "html " + r + " --out out.html",
          "export " + r + " --csv out.csv",
          "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress --baseline " + r +
              " --json out.json"};
}

struct violation {
  const char* name;
  std::function<void(json& doc)> change;
  const char* pointer;
  const char* rule;
};

TEST(CliValidation, EveryReaderRefusesTheImpossibleTheSameWay) {
  const fs::path dir = fresh("validation");
  const std::vector<violation> violations = {
      {"5000 % of peak",
       [](json& d) {
         json& t = d["results"][0]["throughput"];
         t["peak"] = t["value"].get<double>() / 50.0;
         t["fraction_of_peak"] = 50.0;
       },
       "/results/0/throughput/fraction_of_peak", "above 100 % of the peak is an error"},
      {"negative median", [](json& d) { d["results"][3]["timing"]["median_s"] = -1e-5; },
       "/results/3/timing/median_s", "finite and > 0"},
      {"pass above its bound",
       [](json& d) {
         json& c = d["results"][4]["correctness"];
         c["value"] = c["bound"].get<double>() * 3;
       },
       "/results/4/correctness/value", "within its bound"},
      {"times / 1000, throughput kept",
       [](json& d) {
         json& t = d["results"][1]["timing"];
         for (json& v : t["values_s"]) v = v.get<double>() / 1000;
         for (const char* k : {"median_s", "mean_s", "min_s", "max_s", "p90_s", "p99_s"})
           t[k] = t[k].get<double>() / 1000;
         for (json& c : t["ci95_s"]) c = c.get<double>() / 1000;
       },
       "/results/1/throughput/value", "equals the row's flops per run"},
      {"duplicate ids", [](json& d) { d["results"][9]["id"] = d["results"][8]["id"]; },
       "/results/9/id", "duplicate id"},
      {"skipped row with a timing", [](json& d) { d["results"][6]["status"] = "skip"; },
       "/results/6/timing", "a skipped row carries no timing"},
  };
  for (const violation& v : violations) {
    json doc = read_json(kQuickReport);
    v.change(doc);
    const fs::path report = dir / "impossible.json";
    std::ofstream(report) << doc.dump(1);
    for (const std::string& cmd : readers_of(report.string())) {
      const outcome o = wslcuda(cmd);
      EXPECT_EQ(o.exit_code, 2) << v.name << ": " << cmd << "\n" << o.output;
      EXPECT_NE(o.output.find(report.string() + ": " + v.pointer + ": "), std::string::npos)
          << v.name << ": " << cmd << "\n"
          << o.output;
      EXPECT_NE(o.output.find(v.rule), std::string::npos) << v.name << ": " << cmd << "\n"
                                                          << o.output;
      EXPECT_EQ(o.output.find("running"), std::string::npos) << cmd << ": work was done";
    }
  }
}

TEST(CliValidation, DuplicateKeysAreRefusedWithTheirPositionByEveryReader) {
  const fs::path dir = fresh("duplicate-keys");
  // A second "results": [] would have emptied the report (nlohmann keeps the last key).
  std::string text = read_json(kQuickReport).dump(1);
  text.insert(text.rfind('}'), ",\n\"results\": []\n");
  const fs::path report = dir / "twice.json";
  std::ofstream(report) << text;
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  for (const std::string& cmd : readers_of(report.string())) {
    const outcome o = wslcuda(cmd);
    EXPECT_EQ(o.exit_code, 2) << cmd << "\n" << o.output;
    EXPECT_NE(o.output.find(report.string() + ":" + std::to_string(lines) +
                            ":1: /results: duplicate key \"results\""),
              std::string::npos)
        << cmd << "\n"
        << o.output;
  }
  // In a row, and in a policy file.
  json doc = read_json(kQuickReport);
  std::string row_text = doc.dump();
  const std::string status = "\"status\":\"pass\"";
  row_text.insert(row_text.find(status) + status.size(), ",\"status\":\"fail\"");
  std::ofstream(dir / "row.json") << row_text;
  const outcome row = wslcuda("gate '" + (dir / "row.json").string() + "' --baseline none");
  EXPECT_EQ(row.exit_code, 2) << row.output;
  EXPECT_NE(row.output.find("/status: duplicate key \"status\""), std::string::npos) << row.output;
  std::ofstream(dir / "policy.json") << R"({"schema_version": "1.0.0", "schema_version": "1.0.0"})";
  const outcome policy =
      wslcuda("gate '" + kQuickReport + "' --policy '" + (dir / "policy.json").string() + "'");
  EXPECT_EQ(policy.exit_code, 2) << policy.output;
  EXPECT_NE(policy.output.find("policy.json:1:29: /schema_version: duplicate key"),
            std::string::npos)
      << policy.output;
}

// A report whose timed rows ran on two GPU models is not captured whole as the first model.
TEST(CliValidation, CaptureRefusesAReportWhoseRowsRanOnTwoGpuModels) {
  const fs::path dir = fresh("two-models");
  json doc = read_json(kQuickReport);
  json other = doc["devices"][0];
  other["index"] = 1;
  other["name"] = "NVIDIA H100 80GB HBM3";
  doc["devices"].push_back(other);
  for (std::size_t i = 10; i < 20; ++i) doc["results"][i]["device"] = 1;
  const fs::path report = dir / "mixed.json";
  std::ofstream(report) << doc.dump(1);
  for (const std::string& cmd : {"baseline capture --from '" + report.string() + "' --out '" +
                                     (dir / "refused.json").string() + "'",
                                 "compare '" + kQuickReport + "' '" + report.string() + "'"}) {
    const outcome o = wslcuda(cmd);
    EXPECT_EQ(o.exit_code, 2) << cmd << "\n" << o.output;
    EXPECT_NE(o.output.find("\"NVIDIA H200\" and \"NVIDIA H100 80GB HBM3\""), std::string::npos)
        << o.output;
    EXPECT_NE(o.output.find(report.string()), std::string::npos) << o.output;
  }
  EXPECT_FALSE(fs::exists(dir / "refused.json"));
  // The second device named but no timed row on it: one model, captured.
  for (std::size_t i = 10; i < 20; ++i) doc["results"][i]["device"] = 0;
  std::ofstream(report) << doc.dump(1);
  const outcome one = wslcuda("baseline capture --from '" + report.string() + "' --out '" +
                              (dir / "b.json").string() + "'");
  EXPECT_EQ(one.exit_code, 0) << one.output;
}

}  // namespace
}  // namespace wslcuda_cli_test
