// `wslcuda history …` and `html`/`export --history` on the committed H200 reports: import once,
// list, trend values, a baseline from stored runs judged as `baseline capture`'s, exclude, and
// the stores that are refused (exit 2, the file left alone).

#include <set>

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

const std::string kExamples = WSLCUDA_SOURCE_DIR "/reports/examples/";

std::string quoted(const fs::path& p) {
  return "'" + p.string() + "'";
}

/// `--history sqlite:DIR/history.db` for a fresh folder `name`.
struct store {
  fs::path dir, file;
  explicit store(const std::string& name) : dir(fresh(name)), file(dir / "history.db") {}
  std::string flag() const { return "--history 'sqlite:" + file.string() + "'"; }
};

json stdout_json(const outcome& o) {
  // stdout and stderr are merged; the JSON document is all of a successful --json output.
  return json::parse(o.output);
}

TEST(CliHistory, ImportListsEachRunOnceAndAgainAddsNothing) {
  const store s("history-import");
  const outcome first = wslcuda("history import " + s.flag() + " '" + kExamples + "'");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("history: 6 added, 0 already recorded"), std::string::npos)
      << first.output;

  const outcome list = wslcuda("history list --json " + s.flag());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  const json runs = stdout_json(list);
  ASSERT_TRUE(runs.is_array());
  ASSERT_EQ(runs.size(), 6u);
  std::set<std::string> keys, sources;
  for (const json& r : runs) {
    EXPECT_EQ(r["gpu"], "NVIDIA H200");
    EXPECT_EQ(r["driver"], "580.159.04");
    EXPECT_EQ(r["platform"], "linux");
    EXPECT_EQ(r["gpu_uuid"], "GPU-c030374a-e620-594c-57a9-feab3fa99abc");
    keys.insert(r["run_key"].get<std::string>());
    sources.insert(fs::path(r["source"].get<std::string>()).filename().string());
  }
  EXPECT_EQ(keys.size(), 6u);
  EXPECT_EQ(sources.size(), 6u);
  EXPECT_TRUE(sources.count("h200-linux-2026-11-30-full-1.json"));

  const outcome again = wslcuda("history import " + s.flag() + " '" + kExamples +
                                "h200-linux-2026-11-30-full-2.json' '" + kExamples + "'");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("history: 0 added, 7 already recorded"), std::string::npos)
      << again.output;
  EXPECT_EQ(stdout_json(wslcuda("history list --json " + s.flag())).size(), 6u);

  // The text listing, with filters.
  const outcome text = wslcuda("history list --gpu '*h200*' --platform linux " + s.flag());
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("history: 6 runs in sqlite:"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("580.159.04"), std::string::npos);
  EXPECT_EQ(stdout_json(wslcuda("history list --json --platform wsl " + s.flag())).size(), 0u);
  EXPECT_EQ(stdout_json(wslcuda("history list --json --driver 575.1 " + s.flag())).size(), 0u);
  EXPECT_EQ(wslcuda("history list --platform windows " + s.flag()).exit_code, 2);
}

TEST(CliHistory, TrendOfAGemmRowHoldsTheReportsValues) {
  const store s("history-trend");
  ASSERT_EQ(wslcuda("history import " + s.flag() + " '" + kExamples + "'").exit_code, 0);
  const std::string id = "gemm.cublas.bf16.m8192n8192k8192";
  const outcome t = wslcuda("history trend " + id + " --json " + s.flag());
  ASSERT_EQ(t.exit_code, 0) << t.output;
  const json points = stdout_json(t);
  ASSERT_EQ(points.size(), 2u);  // in the two full runs
  const char* files[] = {"h200-linux-2026-11-30-full-1.json", "h200-linux-2026-11-30-full-2.json"};
  for (std::size_t i = 0; i < 2; ++i) {
    const json report = read_json(kExamples + files[i]);
    json row;
    for (const json& r : report["results"])
      if (r["id"] == id) row = r;
    ASSERT_FALSE(row.is_null()) << files[i];
    const json& p = points[i];
    EXPECT_EQ(p["started_at"], report["started_at"]);
    EXPECT_EQ(p["value"].get<double>(), row["timing"]["median_s"].get<double>());  // 1 execution
    EXPECT_EQ(p["throughput"].get<double>(), row["throughput"]["value"].get<double>());
    EXPECT_EQ(p["throughput_unit"], "FLOP/s");
    EXPECT_EQ(p["executions"], 1);
    EXPECT_EQ(p["status"], "pass");
    EXPECT_EQ(p["driver"], "580.159.04");
  }
  const outcome csv = wslcuda("history trend " + id + " --csv " + s.flag());
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(std::count(csv.output.begin(), csv.output.end(), '\n'), 3);
  EXPECT_EQ(csv.output.rfind("id,metric,gpu,platform,driver,", 0), 0u) << csv.output;
  const outcome text = wslcuda("history trend 'gemm.cublas.bf16.*' " + s.flag());
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find(id + " on NVIDIA H200, linux"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("TFLOP/s"), std::string::npos);
  EXPECT_EQ(wslcuda("history trend no.such.row " + s.flag()).exit_code, 2);
  EXPECT_EQ(wslcuda("history trend " + id + " --json --csv " + s.flag()).exit_code, 2);
}

/// The gated rows and the verdict of a `compare --json` document.
std::pair<std::vector<std::string>, std::string> judged(const json& comparison) {
  std::vector<std::string> rows;
  for (const json& r : comparison["rows"])
    rows.push_back(r["id"].get<std::string>() + (r["gated"].get<bool>() ? " gated " : " not ") +
                   r["verdict"].get<std::string>());
  return {rows, comparison["verdict"].get<std::string>()};
}

TEST(CliHistory, BaselineFromTwoFullRunsJudgesLikeBaselineCapture) {
  const store s("history-baseline");
  const std::string full1 = kExamples + "h200-linux-2026-11-30-full-1.json";
  const std::string full2 = kExamples + "h200-linux-2026-11-30-full-2.json";
  ASSERT_EQ(wslcuda("history import " + s.flag() + " '" + full1 + "' '" + full2 + "'").exit_code,
            0);
  const fs::path from_history = s.dir / "from-history.json";
  const fs::path captured = s.dir / "captured.json";
  const outcome b = wslcuda("history baseline --gpu 'NVIDIA H200' --out " + quoted(from_history) +
                            " " + s.flag());
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(b.output.find("2 stored run(s)"), std::string::npos) << b.output;
  EXPECT_NE(b.output.find("580.159.04"), std::string::npos) << b.output;
  EXPECT_EQ(validate_with_schema(from_history, "baseline.schema.json"), 0);
  ASSERT_EQ(wslcuda("baseline capture --from '" + full1 + "' --from '" + full2 + "' --out " +
                    quoted(captured))
                .exit_code,
            0);

  const fs::path h = s.dir / "h.json", c = s.dir / "c.json";
  const outcome oh =
      wslcuda("compare " + quoted(from_history) + " '" + full2 + "' --json " + quoted(h));
  const outcome oc =
      wslcuda("compare " + quoted(captured) + " '" + full2 + "' --json " + quoted(c));
  EXPECT_EQ(oh.exit_code, oc.exit_code) << oh.output << oc.output;
  const auto [rows_h, verdict_h] = judged(read_json(h));
  const auto [rows_c, verdict_c] = judged(read_json(c));
  EXPECT_EQ(rows_h, rows_c);
  EXPECT_EQ(verdict_h, verdict_c);
  EXPECT_GT(read_json(h)["gated"].get<int>(), 0);
  EXPECT_EQ(read_json(h)["gated"], read_json(c)["gated"]);

  // --out must not name the store; nothing to build from is bad input.
  EXPECT_EQ(wslcuda("history baseline --gpu 'NVIDIA H200' --out " + quoted(s.file) + " " + s.flag())
                .exit_code,
            2);
  EXPECT_EQ(wslcuda("history baseline --gpu 'NVIDIA H100' --out x.json " + s.flag()).exit_code, 2);
  EXPECT_EQ(wslcuda("history baseline --gpu 'NVIDIA H200' --platform wsl --out x.json " + s.flag())
                .exit_code,
            2);
  EXPECT_EQ(
      wslcuda("history baseline --gpu 'NVIDIA H200' --driver 1 --before 2 --out x.json " + s.flag())
          .exit_code,
      2);
}

TEST(CliHistory, ExcludedRunLeavesTheBaseline) {
  const store s("history-exclude");
  ASSERT_EQ(wslcuda("history import " + s.flag() + " '" + kExamples +
                    "h200-linux-2026-11-30-full-1.json' '" + kExamples +
                    "h200-linux-2026-11-30-full-2.json'")
                .exit_code,
            0);
  const json runs = stdout_json(wslcuda("history list --json " + s.flag()));
  ASSERT_EQ(runs.size(), 2u);
  const std::string key = runs[0]["run_key"].get<std::string>();
  const outcome ex = wslcuda("history exclude " + key.substr(0, 10) +
                             " --reason 'fans failed; see ticket 42' " + s.flag());
  ASSERT_EQ(ex.exit_code, 0) << ex.output;
  EXPECT_NE(ex.output.find("excluded " + key.substr(0, 12)), std::string::npos) << ex.output;
  const json after = stdout_json(wslcuda("history list --json " + s.flag()));
  EXPECT_TRUE(after[0]["excluded"].get<bool>());
  EXPECT_EQ(after[0]["excluded_reason"], "fans failed; see ticket 42");
  const outcome b = wslcuda("history baseline --gpu '*H200*' --out b.json " + s.flag());
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(b.output.find("1 stored run(s)"), std::string::npos) << b.output;
  EXPECT_EQ(wslcuda("history exclude " + key.substr(0, 10) + " " + s.flag()).exit_code, 2);
  EXPECT_EQ(wslcuda("history exclude deadbeefdeadbeef --reason x " + s.flag()).exit_code, 2);
}

TEST(CliHistory, HtmlAndExportReadTheStore) {
  const store s("history-html");
  ASSERT_EQ(wslcuda("history import " + s.flag() + " '" + kExamples + "'").exit_code, 0);
  const outcome csv =
      wslcuda("export --csv " + quoted(s.dir / "runs.csv") + " --gpu '*H200*' " + s.flag());
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  const std::string table = slurp(s.dir / "runs.csv");
  // One line per result of the five runs (the doctor report has none) and the header.
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 1 + 85 + 160 + 85 + 151 + 85);
  const outcome html = wslcuda("html --out " + quoted(s.dir / "runs.html") + " " + s.flag());
  ASSERT_EQ(html.exit_code, 0) << html.output;
  EXPECT_NE(html.output.find("6 report(s)"), std::string::npos) << html.output;
  EXPECT_NE(slurp(s.dir / "runs.html").find("NVIDIA H200"), std::string::npos);
  // Report files or a store, not both; filters only with a store; nothing matching is bad input.
  EXPECT_EQ(
      wslcuda("export --csv x.csv '" + kExamples + "h200-linux-2026-11-30-full-1.json' " + s.flag())
          .exit_code,
      2);
  EXPECT_EQ(wslcuda("export --csv x.csv --gpu '*H200*' '" + kExamples +
                    "h200-linux-2026-11-30-full-1.json'")
                .exit_code,
            2);
  EXPECT_EQ(wslcuda("export --csv x.csv --platform wsl " + s.flag()).exit_code, 2);
  EXPECT_EQ(wslcuda("html --out " + quoted(s.file) + " " + s.flag()).exit_code, 2);
}

TEST(CliHistory, StoresThatAreNotOursAreRefusedAndLeftAlone) {
  const fs::path dir = fresh("history-refused");
  const fs::path text = dir / "notes.db";
  std::ofstream(text) << "not a database\n";
  const outcome t = wslcuda("history list --history 'sqlite:" + text.string() + "'");
  EXPECT_EQ(t.exit_code, 2) << t.output;
  EXPECT_NE(t.output.find(text.string()), std::string::npos) << t.output;
  EXPECT_EQ(slurp(text), "not a database\n");
  const outcome i = wslcuda("history import --history 'sqlite:" + text.string() + "' '" +
                            kExamples + "h200-linux-2026-11-30-doctor.json'");
  EXPECT_EQ(i.exit_code, 2) << i.output;
  EXPECT_EQ(slurp(text), "not a database\n");

  // A store made by a newer wslcuda: refused naming both versions, never altered.
  const store s("history-newer");
  ASSERT_EQ(wslcuda("history import " + s.flag() + " '" + kExamples +
                    "h200-linux-2026-11-30-doctor.json'")
                .exit_code,
            0);
  const std::string py = std::string("'") + WSLCUDA_PYTHON +
                         "' -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                         "c.execute(\"INSERT INTO wslcuda_migrations VALUES (99, \\\"x\\\", "
                         "\\\"2030-01-01T00:00:00Z\\\", \\\"9.9.9\\\")\"); c.commit()' " +
                         quoted(s.file);
  ASSERT_EQ(std::system(py.c_str()), 0);
  const std::string before = slurp(s.file);
  const outcome newer = wslcuda("history list " + s.flag());
  EXPECT_EQ(newer.exit_code, 2) << newer.output;
  EXPECT_NE(newer.output.find("schema version 99"), std::string::npos) << newer.output;
  EXPECT_NE(newer.output.find("9.9.9"), std::string::npos) << newer.output;
  EXPECT_EQ(slurp(s.file), before);

  // Specs that name no store.
  EXPECT_EQ(wslcuda("history list --history none").exit_code, 2);
  EXPECT_EQ(wslcuda("history list --history mysql://x").exit_code, 2);
  EXPECT_EQ(wslcuda("history list --history sqlite:").exit_code, 2);
  // A server that cannot be reached (port 1 of this machine) is the environment's fault: 5.
  const outcome pg = wslcuda("history list --history postgresql://u:secret@127.0.0.1:1/x");
  EXPECT_EQ(pg.exit_code, 5) << pg.output;
  EXPECT_EQ(pg.output.find("secret"), std::string::npos) << pg.output;
  EXPECT_NE(pg.output.find("postgresql://u:***@127.0.0.1:1/x"), std::string::npos) << pg.output;
}

TEST(CliHistory, ReadingAMissingStoreCreatesNothing) {
  const fs::path dir = fresh("history-missing");
  const fs::path file = dir / "sub" / "history.db";
  const outcome l = wslcuda("history list --history 'sqlite:" + file.string() + "'");
  EXPECT_EQ(l.exit_code, 0) << l.output;
  EXPECT_NE(l.output.find("no runs recorded yet"), std::string::npos) << l.output;
  EXPECT_EQ(wslcuda("history list --json --history 'sqlite:" + file.string() + "'").output, "[]\n");
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(dir / "sub"));
}

TEST(CliHistory, EnvironmentNamesTheStore) {
  const store s("history-env");
  ::setenv("WSLCUDA_HISTORY", ("sqlite:" + s.file.string()).c_str(), 1);
  const outcome i = wslcuda("history import '" + kExamples + "h200-linux-2026-11-30-quick-1.json'");
  const outcome l = wslcuda("history list --json");
  ::unsetenv("WSLCUDA_HISTORY");
  EXPECT_EQ(i.exit_code, 0) << i.output;
  EXPECT_TRUE(fs::exists(s.file));
  EXPECT_EQ(stdout_json(l).size(), 1u) << l.output;
}

}  // namespace
}  // namespace wslcuda_cli_test
