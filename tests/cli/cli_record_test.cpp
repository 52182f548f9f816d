// `run` records every report it writes in the history store, and `run` and `gate` judge against
// the store with --baseline history (this machine on its previous driver) or auto: the report
// says where the run was recorded, a store that cannot be written costs neither the report nor
// the exit code, and a bad --history is a usage error before any work.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

const std::string kExamples = WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-";

/// A synthetic run recording into `store` (a --history value), its report in `json`.
outcome synthetic_run(const std::string& store, const std::string& json_name) {
  return wslcuda(
      "run --synthetic --quick --no-progress --filter 'synthetic.host.f32.ok' "
      "--history '" +
      store + "' --json " + json_name);
}

/// A copy of a committed H200 report as if measured on `driver` at `started_at`.
void write_on_driver(const std::string& run, const std::string& driver,
                     const std::string& started_at, const fs::path& out) {
  json r = read_json(kExamples + run + ".json");
  r["driver"]["kernel_module_version"] = driver;
  r["driver"]["nvml_driver_version"] = driver;
  r["started_at"] = started_at;
  std::ofstream(out) << r.dump();
}

}  // namespace

TEST(Cli, RunRecordsItsReportAndSaysWhere) {
  const fs::path dir = fresh("record");
  const std::string store = "sqlite:" + (dir / "history.db").string();
  const outcome o = synthetic_run(store, "record/r.json");
  EXPECT_EQ(o.exit_code, 3) << o.output;  // no GPU here: the exit code is what it would be
  EXPECT_NE(o.output.find("history: recorded in " + store), std::string::npos) << o.output;
  const json r = read_json(dir / "r.json");
  ASSERT_TRUE(r.contains("history")) << r.dump().substr(0, 400);
  EXPECT_EQ(r["history"]["recorded"], true);
  EXPECT_EQ(r["history"]["store"], store);
  const std::string key = r["history"]["run_key"];
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(validate_with_schema(dir / "r.json", "report.schema.json"), 0);
  // The same measurement judged again is the same run: importing the file or its re-gated copy
  // adds nothing.
  EXPECT_EQ(wslcuda("gate record/r.json --baseline none --json record/g.json").exit_code, 3);
  const outcome imported =
      wslcuda("history import record/r.json record/g.json --history '" + store + "'");
  EXPECT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_NE(imported.output.find("0 added, 2 already recorded"), std::string::npos)
      << imported.output;
  const json list = json::parse(wslcuda("history list --json --history '" + store + "'").output);
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["run_key"], key);
  // --history none: nothing recorded, nothing said, no history member.
  const outcome none = synthetic_run("none", "record/none.json");
  EXPECT_EQ(none.exit_code, 3) << none.output;
  EXPECT_EQ(none.output.find("history:"), std::string::npos) << none.output;
  EXPECT_FALSE(read_json(dir / "none.json").contains("history"));
}

TEST(Cli, AStoreThatCannotBeWrittenCostsNeitherTheReportNorTheExitCode) {
  const fs::path dir = fresh("record-fault");
  std::ofstream(dir / "notes.db") << "my notes, not a database\n";
  const outcome o = synthetic_run("sqlite:" + (dir / "notes.db").string(), "record-fault/r.json");
  EXPECT_EQ(o.exit_code, 3) << o.output;
  const json r = read_json(dir / "r.json");
  EXPECT_EQ(r["history"]["recorded"], false);
  EXPECT_NE(r["history"]["message"].get<std::string>().find("not recorded"), std::string::npos);
  EXPECT_EQ(r["results"].size(), 1u);
  EXPECT_EQ(slurp(dir / "notes.db"), "my notes, not a database\n");  // never "repaired"
  // Said once on stderr as a warning.
  std::size_t warnings = 0;
  for (std::size_t at = o.output.find("the run is not recorded"); at != std::string::npos;
       at = o.output.find("the run is not recorded", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << o.output;
  // A store spec that is not one is a usage error before any work.
  const outcome bad = wslcuda("run --history bogus --json record-fault/never.json");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_FALSE(fs::exists(dir / "never.json"));
  EXPECT_EQ(wslcuda("gate '" + kExamples + "quick-2.json' --history bogus").exit_code, 2);
}

// --baseline history: the same machine (GPU UUID) on the newest driver older than the
// candidate's; without one, the judge falls back to --baseline auto and says so.
TEST(Cli, GateAgainstThisMachinesPreviousDriver) {
  const fs::path dir = fresh("record-history");
  const std::string store = "sqlite:" + (dir / "history.db").string();
  const std::string candidate = kExamples + "full-2.json";  // driver 580.159.04
  // Nothing older yet: fall back, and say so.
  const outcome empty = wslcuda("gate '" + candidate + "' --baseline history --history '" + store +
                                "' --json record-history/fallback.json");
  EXPECT_EQ(empty.exit_code, 0) << empty.output;
  EXPECT_NE(empty.output.find("--baseline history: nothing recorded yet"), std::string::npos)
      << empty.output;
  EXPECT_NE(read_json(dir / "fallback.json")["summary"]["gate"]["baseline"].get<std::string>().find(
                "nvidia-h200.json"),
            std::string::npos);
  // The same machine's full-1 as if on an older driver.
  write_on_driver("full-1", "580.65.06", "2026-11-20T00:20:51Z", dir / "older.json");
  ASSERT_EQ(wslcuda("history import record-history/older.json --history '" + store + "'").exit_code,
            0);
  const outcome judged = wslcuda("gate '" + candidate + "' --baseline history --history '" + store +
                                 "' --json record-history/judged.json");
  EXPECT_EQ(judged.exit_code, 0) << judged.output;
  const json g = read_json(dir / "judged.json")["summary"]["gate"];
  EXPECT_EQ(g["judged_by"], "baseline");
  EXPECT_NE(g["baseline"].get<std::string>().find("580.65.06"), std::string::npos) << g.dump();
  EXPECT_GT(g["gated"].get<int>(), 50) << g.dump();
  // A newer driver's runs are never the baseline of an older candidate.
  write_on_driver("full-1", "590.10.01", "2026-12-01T00:20:51Z", dir / "newer.json");
  ASSERT_EQ(wslcuda("history import record-history/newer.json --history '" + store + "'").exit_code,
            0);
  EXPECT_EQ(wslcuda("gate '" + candidate + "' --baseline history --history '" + store +
                    "' --json record-history/again.json")
                .exit_code,
            0);
  const json again = read_json(dir / "again.json");
  EXPECT_NE(again["summary"]["gate"]["baseline"].get<std::string>().find("580.65.06"),
            std::string::npos)
      << again["summary"]["gate"].dump();
  // No output of gate or run replaces the store: exit 2 before any work, the store unchanged.
  const fs::path db = dir / "history.db";
  const auto size = fs::file_size(db);
  const outcome gate_over =
      wslcuda("gate '" + candidate + "' --history '" + store + "' --json '" + db.string() + "'");
  EXPECT_EQ(gate_over.exit_code, 2) << gate_over.output;
  EXPECT_NE(gate_over.output.find("--history"), std::string::npos) << gate_over.output;
  const outcome run_over =
      wslcuda("run --history '" + store + "' --markdown record-history/history.db");
  EXPECT_EQ(run_over.exit_code, 2) << run_over.output;
  EXPECT_EQ(fs::file_size(db), size);
  EXPECT_EQ(wslcuda("history list --history '" + store + "'").exit_code, 0);
}

}  // namespace wslcuda_cli_test
