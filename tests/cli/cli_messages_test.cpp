// Messages that tell the truth (issue 27, item 6): what wslcuda writes it can read again (a large
// report gated again), --device names its range in words, and a run whose report folder was
// removed does not say its results are kept in a journal that went with it.

#include <cstdio>
#include <regex>

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

const std::string kQuickReport =
    WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-quick-1.json";

/// Writes a consistent report of `rows` timed rows with `samples` samples each (every sample
/// of row i is the same 17-digit time), compact: about 22 bytes per sample.
void write_large_report(const fs::path& path, int rows, int samples) {
  json doc = read_json(kQuickReport);
  const json model = doc["results"][0];  // gemm.own.f32.m1024n1024k1024, pass
  doc["results"] = json::array();
  std::string head = doc.dump();
  const std::string empty = "\"results\":[]";
  const std::size_t at = head.find(empty);
  ASSERT_NE(at, std::string::npos);
  std::FILE* out = std::fopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  std::fputs(head.substr(0, at + empty.size() - 1).c_str(), out);
  char value[40];
  for (int i = 0; i < rows; ++i) {
    json r = model;
    const double v = 1.2345678901234567e-3 * (1.0 + i * 1e-6);
    r["id"] = model["id"].get<std::string>() + ".copy" + std::to_string(i);
    json& t = r["timing"];
    t["samples"] = samples;
    for (const char* k : {"median_s", "mean_s", "min_s", "max_s", "p90_s", "p99_s"}) t[k] = v;
    t["ci95_s"] = {v, v};
    t["stdev_rel"] = 0.0;
    t["values_s"] = json::array();
    r["throughput"]["value"] = r["flops"].get<double>() / v;
    r["throughput"]["fraction_of_peak"] =
        r["throughput"]["value"].get<double>() / r["throughput"]["peak"].get<double>();
    std::string text = r.dump();
    const std::size_t values = text.find("\"values_s\":[]");
    std::fputs(((i == 0 ? "" : ",") + text.substr(0, values + 12)).c_str(), out);
    std::snprintf(value, sizeof value, "%.17g", v);
    for (int k = 0; k < samples; ++k) {
      if (k > 0) std::fputc(',', out);
      std::fputs(value, out);
    }
    std::fputs(text.substr(values + 12).c_str(), out);
  }
  std::fputs(head.substr(at + empty.size() - 1).c_str(), out);
  std::fclose(out);
}

// `gate` of a report close to the 256 MiB input limit: the gated report, indented, would pass
// the limit (each of the 8.8 million samples on its own line); wslcuda writes it compact, and
// reads it again.
TEST(CliMessages, ALargeReportGatedIsReadAgain) {
  const fs::path dir = fresh("large-report");
  const fs::path big = dir / "big.json", gated = dir / "gated.json", again = dir / "again.json";
  write_large_report(big, 88, 100000);
  const auto size = fs::file_size(big);
  EXPECT_GT(size, 180u << 20);
  EXPECT_LT(size, 256u << 20);
  const outcome first =
      wslcuda("gate '" + big.string() + "' --baseline none --json '" + gated.string() + "'");
  fs::remove(big);
  ASSERT_TRUE(fs::exists(gated)) << first.output;
  EXPECT_LE(fs::file_size(gated), 256u << 20);
  const outcome second =
      wslcuda("gate '" + gated.string() + "' --baseline none --json '" + again.string() + "'");
  EXPECT_NE(second.exit_code, 2) << second.output;
  EXPECT_EQ(second.output.find("larger than"), std::string::npos) << second.output;
  EXPECT_TRUE(fs::exists(again)) << second.output;
  fs::remove(gated);
  fs::remove(again);
}

// --device names its range in words, never DBL_MAX's 309 digits.
TEST(CliMessages, DeviceOrdinalErrorsAreShort) {
  for (const char* bad : {"abc", "-1", "1.5", "99999999999", "''"}) {
    const outcome o = wslcuda(std::string("run --device ") + bad);
    EXPECT_EQ(o.exit_code, 2) << bad << o.output;
    EXPECT_NE(o.output.find("device ordinal"), std::string::npos) << bad << o.output;
    EXPECT_FALSE(std::regex_search(o.output, std::regex("[0-9]{12,}")) &&
                 std::string(bad) != "99999999999")
        << bad << o.output;
    EXPECT_LT(o.output.size(), 300u) << o.output;
  }
}

// The report folder removed mid-run: exit 5, and no message that the results are kept in the
// journal that went with it. With the journal still there (the report path became a folder),
// the message names it, and it holds the finished result.
TEST(CliMessages, ARemovedReportFolderIsNotCalledAJournal) {
  const fs::path dir = fresh("folder-removed");
  const fs::path sub = dir / "reports";
  fs::create_directories(sub);
  const pid_t pid = spawn(hang_run(sub / "r.json"), dir / "log");
  ASSERT_GT(pid, 0);
  const bool started = wait_for_text(sub / "r.json.journal", "synthetic.host.f32.ok");
  fs::remove_all(sub);
  ::kill(pid, SIGINT);
  ASSERT_TRUE(started) << slurp(dir / "log");
  EXPECT_EQ(exit_status_of(pid), 5) << slurp(dir / "log");
  const std::string log = slurp(dir / "log");
  EXPECT_EQ(log.find("kept in"), std::string::npos) << log;
  EXPECT_NE(log.find("was removed during the run"), std::string::npos) << log;

  const fs::path here = dir / "still";
  fs::create_directories(here);
  const pid_t second = spawn(hang_run(here / "r.json"), dir / "log2");
  ASSERT_GT(second, 0);
  const bool running = wait_for_text(here / "r.json.journal", "synthetic.host.f32.ok");
  fs::create_directories(here / "r.json");  // the rename onto it fails
  ::kill(second, SIGINT);
  ASSERT_TRUE(running) << slurp(dir / "log2");
  EXPECT_EQ(exit_status_of(second), 5) << slurp(dir / "log2");
  EXPECT_NE(slurp(dir / "log2").find("kept in " + (here / "r.json.journal").string()),
            std::string::npos)
      << slurp(dir / "log2");
  EXPECT_NE(slurp(here / "r.json.journal").find("synthetic.host.f32.ok"), std::string::npos);
}

}  // namespace
}  // namespace wslcuda_cli_test
