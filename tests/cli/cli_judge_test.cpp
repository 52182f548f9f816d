// `wslcuda compare`, `gate` and `baseline capture`: golden and real H200 reports, bad inputs.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

TEST(Cli, CompareGoldenReports) {
  const outcome slower = wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                                 "report-wsl-slower.json' --json cmp.json --markdown cmp.md");
  EXPECT_EQ(slower.exit_code, 1) << slower.output;
  EXPECT_NE(slower.output.find("verdict: FAIL"), std::string::npos);
  EXPECT_NE(slower.output.find("only in the candidate"), std::string::npos);
  EXPECT_EQ(validate_with_schema(work_dir() / "cmp.json", "comparison.schema.json"), 0);
  const json c = read_json(work_dir() / "cmp.json");
  EXPECT_EQ(c["verdict"], "fail");
  EXPECT_EQ(c["exit_code"], 1);
  std::ifstream md(work_dir() / "cmp.md");
  std::string first;
  std::getline(md, first);
  EXPECT_EQ(first, "# wslcuda compare: FAIL");

  EXPECT_EQ(wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                    "report-wsl-same.json'")
                .exit_code,
            0);
  const outcome other = wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                                "report-other-gpu.json'");
  EXPECT_EQ(other.exit_code, 0);
  EXPECT_NE(other.output.find("no matching baseline"), std::string::npos);
  // A policy file without noise floors gates nothing between two one-execution reports: not a
  // failure, but not a pass either (a gate cannot pass on nothing), so --strict fails it.
  std::ofstream(work_dir() / "loose.json")
      << R"({"schema_version": "1.0.0", "kind": "wslcuda-gate-policy", "default_min_ratio": 0.5,
             "family_min_ratio": {"latency": 0.5}})";
  const outcome loose = wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                                "report-wsl-slower.json' --policy loose.json");
  EXPECT_EQ(loose.exit_code, 0) << loose.output;
  EXPECT_NE(loose.output.find("too little evidence"), std::string::npos) << loose.output;
  EXPECT_NE(loose.output.find("verdict: WARN"), std::string::npos) << loose.output;
  EXPECT_EQ(wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                    "report-wsl-slower.json' --policy loose.json --strict")
                .exit_code,
            1);
}

TEST(Cli, CompareInputErrorsExit2AndWriteNothing) {
  std::ofstream(work_dir() / "truncated.json")
      << R"({"schema_version": "1.0.0", "tool": {"name": "wsl)";
  fs::remove(work_dir() / "never.json");
  const outcome o =
      wslcuda("compare truncated.json '" + kGolden + "report-wsl-same.json' --json never.json");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("truncated.json:1:"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(work_dir() / "never.json"));
  std::ofstream(work_dir() / "future.json")
      << R"({"schema_version": "2.0.0", "tool": {"name": "wslcuda"}})";
  const outcome future = wslcuda("compare future.json '" + kGolden + "report-wsl-same.json'");
  EXPECT_EQ(future.exit_code, 2);
  EXPECT_NE(future.output.find("major 2 is not supported"), std::string::npos) << future.output;
  EXPECT_EQ(wslcuda("compare . '" + kGolden + "report-wsl-same.json'").exit_code, 2);
  EXPECT_EQ(wslcuda("compare only-one.json").exit_code, 2);
}

TEST(Cli, BaselineCapture) {
  fs::remove(work_dir() / "baseline.json");
  fs::remove(work_dir() / "wsl-baseline.json");
  const outcome ok =
      wslcuda("baseline capture --from '" + kGolden + "report-baremetal.json' --out baseline.json");
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(validate_with_schema(work_dir() / "baseline.json", "baseline.schema.json"), 0);
  const json b = read_json(work_dir() / "baseline.json");
  EXPECT_EQ(b["context"]["gpu_name"], "Synthetic GPU (test fixture)");
  EXPECT_EQ(b["entries"].size(), 3u);
  // The baseline gates the WSL report exactly like the report it came from.
  EXPECT_EQ(wslcuda("compare baseline.json '" + kGolden + "report-wsl-slower.json'").exit_code, 1);
  const outcome wsl = wslcuda("baseline capture --from '" + kGolden +
                              "report-wsl-same.json' --out wsl-baseline.json");
  EXPECT_EQ(wsl.exit_code, 2);
  EXPECT_NE(wsl.output.find("--allow-wsl"), std::string::npos);
  EXPECT_FALSE(fs::exists(work_dir() / "wsl-baseline.json"));
  EXPECT_EQ(wslcuda("baseline capture --from '" + kGolden +
                    "report-wsl-same.json' --out wsl-baseline.json --allow-wsl")
                .exit_code,
            0);
  // Several inputs, a baseline among them: their executions are merged.
  const outcome merged = wslcuda("baseline capture --from baseline.json --from '" + kGolden +
                                 "report-wsl-same.json' --allow-wsl --out merged.json");
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  EXPECT_NE(merged.output.find("6 executions from 2 file(s)"), std::string::npos) << merged.output;
  EXPECT_EQ(validate_with_schema(work_dir() / "merged.json", "baseline.schema.json"), 0);
  EXPECT_EQ(read_json(work_dir() / "merged.json")["entries"][0]["executions"].size(), 2u);
  // Mixed GPU models, an input that is also the output, an empty output: exit 2, named.
  const outcome mixed =
      wslcuda("baseline capture --from '" + kGolden + "report-baremetal.json' --from '" + kGolden +
              "report-other-gpu.json' --allow-wsl --out mixed.json");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.output.find("report-other-gpu.json"), std::string::npos) << mixed.output;
  EXPECT_NE(mixed.output.find("one GPU model"), std::string::npos) << mixed.output;
  EXPECT_FALSE(fs::exists(work_dir() / "mixed.json"));
  EXPECT_EQ(wslcuda("baseline capture --from baseline.json --out baseline.json").exit_code, 2);
  EXPECT_EQ(wslcuda("baseline capture --from baseline.json --out ''").exit_code, 2);
}

TEST(Cli, GateJudgesExistingReportsAgainFloorsAlone) {
  const std::string examples = WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-";
  for (const char* run : {"full-1", "full-2", "quick-1", "quick-2", "quick-3"}) {
    const outcome o =
        wslcuda("gate '" + examples + run + ".json' --baseline none --json gated.json");
    EXPECT_EQ(o.exit_code, 0) << run << o.output;
    EXPECT_EQ(validate_with_schema(work_dir() / "gated.json", "report.schema.json"), 0) << run;
    const json j = read_json(work_dir() / "gated.json");
    int floors = 0;
    for (const json& r : j["results"]) {
      if (!r.contains("floor")) continue;
      const std::string verdict = r["floor"]["verdict"];
      floors += verdict == "pass" ? 1 : 0;
      // skip: not judged, e.g. a 2^24 reduction that fits in L2 has no DRAM peak.
      EXPECT_TRUE(verdict == "pass" || verdict == "skip") << run << " " << r["floor"].dump();
      // Floors apply (no baseline); latency rows carry information only.
      EXPECT_EQ(r["floor"]["applied"].get<bool>(), r["family"] != "latency") << r["id"];
    }
    EXPECT_GE(floors, 10) << run;
    // The floors judged the run, and say on how many rows the verdict rests.
    EXPECT_EQ(j["summary"]["gate"]["judged_by"], "health floors") << run;
    EXPECT_EQ(j["summary"]["gate"]["reason"], "enough_evidence") << run;
    EXPECT_EQ(j["summary"]["gate"]["inconclusive"], false) << run;
    EXPECT_NE(o.output.find("by the health floors"), std::string::npos) << o.output;
  }
  // A copy with the pinned H2D copy at 20 % of the link: the floor fails it, naming the cause.
  json defect = read_json(examples + "full-1.json");
  for (json& r : defect["results"]) {
    if (r["id"] != "transfer.ce.u8.h2d_pinned.b268435456") continue;
    // Slower by the factor that brings it to 20 % of the link (its time follows).
    slow_down(r, r["throughput"]["fraction_of_peak"].get<double>() / 0.20);
  }
  std::ofstream(work_dir() / "defect.json") << defect.dump();
  const outcome bad = wslcuda("gate defect.json --baseline none --json defect-gated.json");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  const json g = read_json(work_dir() / "defect-gated.json");
  for (const json& r : g["results"]) {
    if (r["id"] != "transfer.ce.u8.h2d_pinned.b268435456") continue;
    EXPECT_EQ(r["status"], "fail");
    EXPECT_NE(r["floor"]["message"].get<std::string>().find("lower generation or width"),
              std::string::npos);
  }
  // Gating again starts from the measurement: a report gated once gates the same way twice.
  const outcome again = wslcuda("gate defect-gated.json --baseline none --json twice.json");
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_EQ(read_json(work_dir() / "twice.json")["results"], g["results"]);
  EXPECT_EQ(read_json(work_dir() / "twice.json")["summary"]["gate"], g["summary"]["gate"]);
  // With the bundled baseline the floors are information and the gate summary says what it
  // rested on.
  const outcome base = wslcuda("gate '" + examples + "quick-2.json' --json based.json");
  EXPECT_EQ(base.exit_code, 0) << base.output;
  EXPECT_NE(base.output.find("nvidia-h200-quick.json"), std::string::npos) << base.output;
  EXPECT_EQ(read_json(work_dir() / "based.json")["summary"]["gate"]["verdict"], "pass");
  // A card no baseline knows (the H200's peaks stay in the report): no baseline matches, the
  // floors apply with the card's own peaks.
  json renamed = read_json(examples + "full-1.json");
  renamed["devices"][0]["name"] = "NVIDIA GeForce RTX 4090";
  renamed["devices"][0]["compute_capability"] = "8.9";
  std::ofstream(work_dir() / "renamed.json") << renamed.dump();
  const outcome consumer = wslcuda("gate renamed.json --json renamed-gated.json");
  EXPECT_EQ(consumer.exit_code, 0) << consumer.output;
  const json rg = read_json(work_dir() / "renamed-gated.json");
  EXPECT_EQ(rg["summary"]["gate"]["judged_by"], "health floors");
  int applied = 0;
  for (const json& r : rg["results"]) {
    if (r.contains("floor") && r["floor"]["applied"].get<bool>()) ++applied;
    if (r["baseline"].is_object()) {
      EXPECT_NE(r["baseline"]["message"].get<std::string>().find("no matching baseline"),
                std::string::npos);
    }
  }
  EXPECT_GE(applied, 25);
  // Gating a gated report again leaves the same warnings, not one more each time.
  wslcuda("gate '" + examples +
          "quick-2.json' --baseline '" WSLCUDA_SOURCE_DIR
          "/reports/baselines/nvidia-h200.json' --json thin1.json");
  wslcuda("gate thin1.json --baseline '" WSLCUDA_SOURCE_DIR
          "/reports/baselines/nvidia-h200.json' --json thin2.json");
  EXPECT_EQ(read_json(work_dir() / "thin1.json")["summary"]["warnings"],
            read_json(work_dir() / "thin2.json")["summary"]["warnings"]);
  EXPECT_EQ(read_json(work_dir() / "thin1.json")["summary"]["gate"],
            read_json(work_dir() / "thin2.json")["summary"]["gate"]);
  // An interrupted run stays interrupted.
  json stopped = read_json(examples + "quick-3.json");
  stopped["summary"]["interrupted"] = true;
  std::ofstream(work_dir() / "stopped.json") << stopped.dump();
  EXPECT_EQ(wslcuda("gate stopped.json --baseline none").exit_code, 130);
  EXPECT_EQ(wslcuda("baseline capture --from stopped.json --out never.json").exit_code, 2);
  // Bad input: exit 2 naming the file; a doctor report is not a run.
  EXPECT_EQ(wslcuda("gate no-such.json").exit_code, 2);
  const outcome doctor = wslcuda("gate '" + examples + "doctor.json'");
  EXPECT_EQ(doctor.exit_code, 2);
  EXPECT_NE(doctor.output.find("doctor"), std::string::npos) << doctor.output;
}

TEST(Cli, CompareRealH200ReportsAgainstTheBundledBaseline) {
  const std::string examples = WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-";
  const std::string bundled = WSLCUDA_SOURCE_DIR "/reports/baselines/nvidia-h200.json";
  // full-2 is one of the baseline's two runs; full-1 the other: A/A, never a failure.
  const outcome o = wslcuda("compare '" + bundled + "' '" + examples +
                            "full-1.json' --json h200-cmp.json --markdown h200-cmp.md");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("verdict: PASS"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("not gated (information only):"), std::string::npos);
  EXPECT_EQ(validate_with_schema(work_dir() / "h200-cmp.json", "comparison.schema.json"), 0);
  const json c = read_json(work_dir() / "h200-cmp.json");
  EXPECT_GT(c["gated"].get<int>(), 100);
  for (const json& row : c["rows"]) {
    EXPECT_EQ(row["executions"]["baseline"], 2) << row["id"];
    if (!row["gated"].get<bool>()) {
      EXPECT_FALSE(row["why_not_gated"].get<std::string>().empty()) << row["id"];
    }
  }
  std::ifstream md(work_dir() / "h200-cmp.md");
  const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("## Gated rows"), std::string::npos);
  EXPECT_NE(text.find("## Not gated (information only)"), std::string::npos);
}

// Row 5: a 250 MB file of tiny arrays is refused at a cost proportional to its size.
TEST(Cli, AHugeInputIsRefusedWithBoundedMemory) {
  const fs::path dir = fresh("huge");
  const fs::path big = dir / "big.json";
  {
    std::ofstream out(big, std::ios::binary);
    std::string chunk;
    for (int i = 0; i < (1 << 20); ++i) chunk += "[],";
    out << "[";
    const std::size_t target = 250u << 20;
    for (std::size_t written = 0; written + chunk.size() < target; written += chunk.size())
      out << chunk;
    out << "[]]";
  }
  const auto size = fs::file_size(big);
  const pid_t pid =
      spawn({"compare", kGolden + "report-baremetal.json", big.string()}, dir / "log");
  ASSERT_GT(pid, 0);
  int status = 0;
  rusage usage{};
  ASSERT_EQ(::wait4(pid, &status, 0, &usage), pid);
  fs::remove(big);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << slurp(dir / "log");
  const double peak = static_cast<double>(usage.ru_maxrss) * 1024.0;  // kB
  EXPECT_LE(peak, 4.0 * static_cast<double>(size))
      << "peak RSS " << peak / 1e6 << " MB for a " << size / 1e6 << " MB input";
}

// Row 13: statistics that overflow are an input error naming the row, never a pass on NaN.
TEST(Cli, NonFiniteComparisonStatisticsAreAnInputError) {
  const fs::path dir = fresh("huge-timings");
  const json base = read_json(kGolden + "report-baremetal.json");
  std::ofstream(dir / "slow.json") << with_timings(base, 1.7e308).dump();
  std::ofstream(dir / "fast.json") << with_timings(base, 1e-3).dump();
  const outcome o = wslcuda("compare '" + (dir / "slow.json").string() + "' '" +
                            (dir / "fast.json").string() + "'");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("not a finite number"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(base["results"][0]["id"].get<std::string>()), std::string::npos);
  EXPECT_EQ(o.output.find("nan"), std::string::npos) << o.output;
}

}  // namespace
}  // namespace wslcuda_cli_test

namespace wslcuda_cli_test {
namespace {

const std::string kExamples = WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-";

/// Linear-interpolation percentile of sorted values, p in [0, 1] (NumPy's default).
double percentile(const std::vector<double>& sorted, double p) {
  const double at = p * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(at);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (at - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// Row `id` of a report slowed by `factor`: every sample, or two thirds of them (interference
/// during one execution); its timing statistics and throughput follow the samples.
void slow_down(json& report, const std::string& id, double factor, bool every_sample) {
  for (json& r : report["results"]) {
    if (r["id"] != id) continue;
    json& t = r["timing"];
    const double old_median = t["median_s"];
    std::vector<double> v = t["values_s"].get<std::vector<double>>();
    for (std::size_t i = 0; i < v.size(); ++i)
      if (every_sample || i % 3 != 0) v[i] *= factor;
    t["values_s"] = v;
    std::sort(v.begin(), v.end());
    double sum = 0.0;
    for (double x : v) sum += x;
    t["median_s"] = percentile(v, 0.5);
    t["mean_s"] = sum / static_cast<double>(v.size());
    t["min_s"] = v.front();
    t["max_s"] = v.back();
    t["p90_s"] = percentile(v, 0.9);
    t["p99_s"] = percentile(v, 0.99);
    t["ci95_s"] = json::array({v.front(), v.back()});
    const double scale = old_median / t["median_s"].get<double>();
    r["throughput"]["value"] = r["throughput"]["value"].get<double>() * scale;
    if (r["throughput"]["fraction_of_peak"].is_number())
      r["throughput"]["fraction_of_peak"] =
          r["throughput"]["fraction_of_peak"].get<double>() * scale;
  }
}

std::string gated_reason(const json& report, const std::string& id) {
  for (const json& r : report["results"])
    if (r["id"] == id) return r["baseline"]["reason"];
  return "missing";
}

}  // namespace

// An offline gate cannot measure again: a one-execution row slower in only part of its samples
// warns ("re-run to confirm"); slower in all of them, it fails (policy partial_slowdown_quantile).
TEST(Cli, AnOfflineGateWarnsWhenOnlyPartOfOneExecutionIsSlow) {
  const std::string id = "gemm.own.f32.m1024n1024k1024";
  json partly = read_json(kExamples + "quick-2.json");
  slow_down(partly, id, 1.3, false);
  std::ofstream(work_dir() / "partly.json") << partly.dump();
  const outcome warned = wslcuda("gate partly.json --json partly-gated.json");
  EXPECT_EQ(warned.exit_code, 0) << warned.output;  // a warning: the gate is not failed
  const json pg = read_json(work_dir() / "partly-gated.json");
  EXPECT_EQ(gated_reason(pg, id), "slower_some_samples");
  EXPECT_EQ(result_of(pg, id).first, "warn");
  EXPECT_NE(result_of(pg, id).second.find("re-run to confirm"), std::string::npos);
  EXPECT_EQ(wslcuda("gate partly.json --strict").exit_code, 1);

  json every = read_json(kExamples + "quick-2.json");
  slow_down(every, id, 1.3, true);
  std::ofstream(work_dir() / "every.json") << every.dump();
  const outcome failed = wslcuda("gate every.json --json every-gated.json");
  EXPECT_EQ(failed.exit_code, 1) << failed.output;
  const json eg = read_json(work_dir() / "every-gated.json");
  EXPECT_EQ(gated_reason(eg, id), "slower_every_execution");
  EXPECT_EQ(result_of(eg, id).first, "fail");
}

// A report with no results, or with every row skipped (a "device lost" night), never passes:
// the gate is inconclusive (exit 6) with the bundled baseline and with the floors alone, says
// so on the console and in Markdown; --allow-inconclusive makes it 0, --strict 1.
TEST(Cli, AGateIsNeverGreenOnNothing) {
  json empty = read_json(kExamples + "quick-2.json");
  empty["results"] = json::array();
  std::ofstream(work_dir() / "empty.json") << empty.dump();
  json lost = read_json(kExamples + "quick-2.json");
  for (json& r : lost["results"]) {
    r["status"] = "skip";
    r["message"] = "device lost: cudaErrorDeviceUninitialized in an earlier workload";
    for (const char* k : {"measured_status", "measured_message", "bound", "bound_reason",
                          "executions", "clocks", "floor", "phases_s"})
      r.erase(k);
    for (const char* k : {"timing", "throughput", "correctness", "baseline"}) r[k] = nullptr;
  }
  std::ofstream(work_dir() / "lost.json") << lost.dump();
  for (const char* name : {"empty.json", "lost.json"}) {
    for (const char* baseline : {"auto", "none"}) {
      const std::string args = std::string("gate ") + name + " --baseline " + baseline;
      const outcome o = wslcuda(args + " --json nothing.json --markdown nothing.md");
      EXPECT_EQ(o.exit_code, 6) << args << "\n" << o.output;
      EXPECT_NE(o.output.find("inconclusive"), std::string::npos) << o.output;
      const json j = read_json(work_dir() / "nothing.json");
      EXPECT_EQ(j["summary"]["gate"]["inconclusive"], true) << args;
      EXPECT_EQ(j["summary"]["gate"]["reason"], "nothing_judged") << args;
      EXPECT_EQ(j["summary"]["exit_code"], 6) << args;
      std::ifstream md(work_dir() / "nothing.md");
      const std::string text((std::istreambuf_iterator<char>(md)), {});
      EXPECT_NE(text.find("Inconclusive"), std::string::npos) << text;
      EXPECT_EQ(validate_with_schema(work_dir() / "nothing.json", "report.schema.json"), 0);
      EXPECT_EQ(wslcuda(args + " --allow-inconclusive").exit_code, 0) << args;
      EXPECT_EQ(wslcuda(args + " --strict").exit_code, 1) << args;
    }
  }
  // The floors path says that the floors judged the run, and on how many rows.
  const outcome floors =
      wslcuda("gate '" + kExamples + "full-1.json' --baseline none --markdown floors.md");
  EXPECT_EQ(floors.exit_code, 0) << floors.output;
  EXPECT_NE(floors.output.find("health floors judged"), std::string::npos) << floors.output;
  std::ifstream md(work_dir() / "floors.md");
  const std::string text((std::istreambuf_iterator<char>(md)), {});
  EXPECT_NE(text.find("judged by the health floors"), std::string::npos) << text;
}

}  // namespace wslcuda_cli_test
