// `wslcuda history changes`, `history triage` and `history platforms` end to end
// (docs/change-points.md): seeded copies of the quick H200 report with a known 10 % regression of
// one row at one driver, written as report files and imported through the binary (which
// re-analyses them); the changes in JSON, Markdown and HTML; exit 1 at that driver, 0 at another
// and 0 once acknowledged; bad keys and states named with exit 2; WSL against bare metal from
// seeded runs of both platforms.

#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "cli_support.hpp"
#include "model/report_json.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda_cli_test;

const std::string kRow = "gemm.cublas.f32.m1024n1024k1024";       // 10 % slower from kDrivers[3]
const std::string kWslRow = "gemm.cublas.tf32.m1024n1024k1024";   // 20 % slower on WSL
const std::string kPlainRow = "gemm.cublas.f16.m1024n1024k1024";  // never scaled
const std::vector<std::string> kDrivers = {"580.65.06",  "580.82.07",  "580.95.05",
                                           "580.105.08", "580.126.09", "580.159.04"};
const std::string kWslDriver = "581.42";

/// The built binary with `args` (cli_support.hpp's wslcuda()).
outcome cli(const std::string& args) {
  return wslcuda_cli_test::wslcuda(args);
}

const wslcuda::run_report& quick() {
  static const wslcuda::run_report r =
      wslcuda::read_report_file(WSLCUDA_SOURCE_DIR
                                "/reports/examples/h200-linux-2026-11-30-quick-2.json")
          .report;
  return r;
}

/// Writes seeded copy `i` of the quick H200 report to DIR/run-i.json.
void write_copy(const fs::path& dir, int i, const std::string& driver, double scale,
                const std::string& rows, bool wsl = false) {
  wslcuda_test::seed_options o;
  o.seed = 500 + static_cast<std::uint64_t>(i);
  o.started_at = wslcuda_test::hours_after("2026-10-01T00:00:00Z", i);
  o.driver_version = driver;
  o.scale = scale;
  o.scale_ids = rows;
  o.noise = 0.001;
  if (wsl) o.wsl = true;
  std::ofstream(dir / ("run-" + std::to_string(i) + ".json"))
      << wslcuda::report_to_json(wslcuda_test::seeded_copy(quick(), o)).dump(1);
}

/// A store in `dir` with `per_driver` runs on each of the first `drivers` drivers, kRow
/// `scale(d)` on driver d, imported through the binary; its --history argument.
std::string seeded_store(const fs::path& dir, std::size_t drivers, int per_driver,
                         double (*scale)(std::size_t)) {
  const fs::path reports = dir / "reports";
  fs::create_directories(reports);
  int i = 0;
  for (std::size_t d = 0; d < drivers; ++d)
    for (int r = 0; r < per_driver; ++r) write_copy(reports, i++, kDrivers[d], scale(d), kRow);
  const std::string spec = "--history 'sqlite:" + (dir / "history.db").string() + "'";
  const outcome imported = cli("history import " + spec + " '" + reports.string() + "'");
  EXPECT_EQ(imported.exit_code, 0) << imported.output;
  return spec;
}

double step_at_3(std::size_t d) {
  return d >= 3 ? 1.10 : 1.0;
}

double flat(std::size_t) {
  return 1.0;
}

/// The changes of `doc` for row `id`.
std::vector<json> changes_of(const json& doc, const std::string& id) {
  std::vector<json> out;
  for (const json& c : doc.at("changes"))
    if (c.at("workload_id") == id) out.push_back(c);
  return out;
}

TEST(CliChanges, TheSeededRegressionIsReportedInJsonMarkdownAndHtml) {
  const fs::path dir = fresh("changes-report");
  const std::string spec = seeded_store(dir, 6, 3, step_at_3);
  const fs::path js = dir / "changes.json", md = dir / "changes.md", html = dir / "changes.html";
  const outcome o = cli("history changes " + spec + " --json '" + js.string() + "' --markdown '" +
                        md.string() + "' --html '" + html.string() + "'");
  ASSERT_EQ(o.exit_code, 0) << o.output;  // no --driver: never 1
  EXPECT_NE(o.output.find("2 change points (2 new regressions, 0 tentative)"), std::string::npos)
      << o.output;

  const json doc = read_json(js);
  EXPECT_EQ(doc.at("schema"), "wslcuda-changes/1");
  ASSERT_EQ(doc.at("changes").size(), 2u) << doc.dump(1);  // only kRow moved
  const std::vector<json> row = changes_of(doc, kRow);
  ASSERT_EQ(row.size(), 2u);
  std::set<std::string> scopes;
  for (const json& c : row) {
    scopes.insert(c.at("scope").get<std::string>());
    EXPECT_EQ(c.at("driver"), kDrivers[3]);
    EXPECT_EQ(c.at("driver_before"), kDrivers[2]);
    EXPECT_EQ(c.at("gpu"), "NVIDIA H200");
    EXPECT_EQ(c.at("platform"), "linux");
    EXPECT_EQ(c.at("direction"), "regression");
    EXPECT_EQ(c.at("state"), "new");
    EXPECT_NEAR(c.at("magnitude_percent").get<double>(), 10.0, 1.0);
    EXPECT_LT(c.at("p_value").get<double>(), 0.001);
    EXPECT_EQ(c.at("runs_before"), 9);
    EXPECT_EQ(c.at("runs_after"), 9);
    EXPECT_EQ(c.at("key").get<std::string>().size(), 64u);
    EXPECT_EQ(c.at("series_anchor"), "cp-" + c.at("key").get<std::string>().substr(0, 12));
    EXPECT_NE(c.at("trend_command").get<std::string>().find("history trend '" + kRow + "'"),
              std::string::npos);
  }
  EXPECT_EQ(scopes, (std::set<std::string>{"machine", "gpu_model"}));

  // Markdown: a table whose row for the GPU model's change reads as a release note would.
  const std::string markdown = slurp(md);
  EXPECT_NE(markdown.find("| driver | GPU | platform | row | scope | change | p-value |"),
            std::string::npos)
      << markdown;
  const std::regex line("\\| 580\\.105\\.08 \\| NVIDIA H200 \\| linux \\| `" +
                        std::regex_replace(kRow, std::regex("\\."), "\\.") +
                        "` \\| GPU model \\(1 machine\\) \\| \\+(9\\.[5-9]|10\\.[0-4]) % \\| "
                        "[0-9.e+-]+ \\| 9 → 9 \\| regression \\| new \\| "
                        "\\[`[0-9a-f]{12}`\\]\\(changes\\.html#cp-[0-9a-f]{12}\\) \\|");
  EXPECT_TRUE(std::regex_search(markdown, line)) << markdown;

  // HTML: each change's series, the first point after the change marked.
  const std::string page = slurp(html);
  for (const json& c : row) {
    const std::string anchor = c.at("series_anchor");
    const std::size_t at = page.find("<section id=\"" + anchor + "\"");
    ASSERT_NE(at, std::string::npos) << anchor;
    const std::string section = page.substr(at, page.find("</section>", at) - at);
    const bool machine = c.at("scope") == "machine";
    EXPECT_NE(section.find(machine ? "data-change-index=\"9\"" : "data-change-index=\"3\""),
              std::string::npos)
        << section;
    EXPECT_NE(section.find("<tr class=\"change-marker\">"), std::string::npos) << section;
    EXPECT_NE(section.find("&#9664; change: +"), std::string::npos);
    // Every point of the series is in its table: 18 runs, or 6 per-driver medians.
    std::size_t rows = 0;
    for (std::size_t p = section.find("<tr"); p != std::string::npos;
         p = section.find("<tr", p + 1))
      ++rows;
    EXPECT_EQ(rows, 1u + (machine ? 18u : 6u));
  }
  if (page.find("data-charts-expected=\"0\"") == std::string::npos) {  // built with Chart.js
    EXPECT_NE(page.find("\"label\":\"change at 580.105.08\""), std::string::npos);
  }
}

TEST(CliChanges, ExitCodeFollowsNewRegressionsAtTheDriverAndTriage) {
  const fs::path dir = fresh("changes-exit");
  const std::string spec = seeded_store(dir, 6, 3, step_at_3);
  const outcome at = cli("history changes " + spec + " --driver " + kDrivers[3]);
  EXPECT_EQ(at.exit_code, 1) << at.output;
  EXPECT_NE(at.output.find("2 new regression(s) at driver 580.105.08"), std::string::npos)
      << at.output;
  const outcome other = cli("history changes " + spec + " --driver " + kDrivers[4]);
  EXPECT_EQ(other.exit_code, 0) << other.output;

  const outcome listed = cli("history changes " + spec + " --driver " + kDrivers[3] + " --json -");
  const json doc = json::parse(listed.output.substr(0, listed.output.rfind('}') + 1));
  EXPECT_EQ(doc.at("new_regressions_at_driver"), 2);
  const std::string key = doc.at("changes").at(0).at("key");

  // Bad input is exit 2 and named.
  const outcome bad_state =
      cli("history triage " + spec + " " + key.substr(0, 10) + " --state sorted");
  EXPECT_EQ(bad_state.exit_code, 2);
  EXPECT_NE(bad_state.output.find("--state sorted"), std::string::npos) << bad_state.output;
  const outcome bad_key = cli("history triage " + spec + " zz9z --state acknowledged");
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_NE(bad_key.output.find("zz9z"), std::string::npos) << bad_key.output;
  const std::string none = key[0] == 'f' ? "0000000000" : "ffffffffff";
  const outcome no_such = cli("history triage " + spec + " " + none + " --state fixed");
  EXPECT_EQ(no_such.exit_code, 2);
  EXPECT_NE(no_such.output.find(none), std::string::npos) << no_such.output;
  const outcome no_reason = cli("history triage " + spec + " " + key + " --state invalid");
  EXPECT_EQ(no_reason.exit_code, 2) << no_reason.output;
  EXPECT_EQ(cli("history changes " + spec + " --state sorted").exit_code, 2);
  // A driver no stored run has (a typo in a release job) never passes as "0 change points".
  const outcome typo = cli("history changes " + spec + " --driver 580.105.8");
  EXPECT_EQ(typo.exit_code, 2) << typo.output;
  EXPECT_NE(typo.output.find("580.105.8: no stored run has that driver"), std::string::npos)
      << typo.output;
  EXPECT_EQ(cli("history changes " + spec + " --since latest").exit_code, 2);
  // No output replaces the store, or another output.
  const fs::path db = dir / "history.db";
  const auto size = fs::file_size(db);
  const outcome over = cli("history changes " + spec + " --html '" + db.string() + "'");
  EXPECT_EQ(over.exit_code, 2) << over.output;
  EXPECT_NE(over.output.find("--history"), std::string::npos) << over.output;
  EXPECT_EQ(fs::file_size(db), size);
  const std::string both = (dir / "both.md").string();
  EXPECT_EQ(
      cli("history changes " + spec + " --markdown '" + both + "' --html '" + both + "'").exit_code,
      2);
  EXPECT_FALSE(fs::exists(both));
  EXPECT_EQ(cli("history changes " + spec + " --platform macos").exit_code, 2);

  const outcome acknowledged = cli("history triage " + spec + " " + key.substr(0, 10) +
                                   " --state acknowledged --note 'new cuBLAS heuristics'");
  ASSERT_EQ(acknowledged.exit_code, 0) << acknowledged.output;
  EXPECT_NE(acknowledged.output.find("triaged " + key.substr(0, 12) + ": acknowledged"),
            std::string::npos)
      << acknowledged.output;
  const outcome after = cli("history changes " + spec + " --driver " + kDrivers[3] + " --json -");
  EXPECT_EQ(after.exit_code, 0) << after.output;  // the row and driver's every scope
  const json again = json::parse(after.output.substr(0, after.output.rfind('}') + 1));
  ASSERT_EQ(again.at("changes").size(), 2u);
  for (const json& c : again.at("changes")) {
    EXPECT_EQ(c.at("state"), "acknowledged");
    EXPECT_EQ(c.at("note"), "new cuBLAS heuristics");
  }
  const outcome only_new = cli("history changes " + spec + " --state new --json -");
  EXPECT_EQ(json::parse(only_new.output).at("changes").size(), 0u) << only_new.output;
}

TEST(CliChanges, AnEmptyFileIsNoStoreAndStaysEmpty) {
  const fs::path dir = fresh("changes-empty");
  const fs::path db = dir / "history.db";
  std::ofstream(db).close();
  for (const char* command : {"changes", "platforms"}) {
    const outcome o =
        cli(std::string("history ") + command + " --history 'sqlite:" + db.string() + "'");
    EXPECT_EQ(o.exit_code, 2) << command << ": " << o.output;
    EXPECT_NE(o.output.find("no runs recorded yet"), std::string::npos) << o.output;
    EXPECT_EQ(fs::file_size(db), 0u) << command;
  }
}

TEST(CliChanges, ATentativeRegressionDoesNotFailTheDriver) {
  const fs::path dir = fresh("changes-tentative");
  const std::string spec = seeded_store(dir, 5, 3, flat);
  write_copy(dir / "reports", 100, kDrivers[5], 1.10, kRow);  // one run on the newest driver
  ASSERT_EQ(cli("history import " + spec + " '" + (dir / "reports").string() + "'").exit_code, 0);
  const outcome o = cli("history changes " + spec + " --driver " + kDrivers[5] + " --json -");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  const json doc = json::parse(o.output);
  const std::vector<json> row = changes_of(doc, kRow);
  ASSERT_FALSE(row.empty()) << o.output;
  for (const json& c : row) {
    EXPECT_EQ(c.at("state"), "tentative");
    EXPECT_EQ(c.at("direction"), "regression");
  }
}

TEST(CliChanges, PlatformsGivesTheWslOverLinuxRatioPerRow) {
  const fs::path dir = fresh("changes-platforms");
  const std::string spec = seeded_store(dir, 6, 3, step_at_3);
  const fs::path wsl = dir / "wsl";
  fs::create_directories(wsl);
  for (int i = 0; i < 3; ++i) write_copy(wsl, 200 + i, kWslDriver, 1.20, kWslRow, true);
  ASSERT_EQ(cli("history import " + spec + " '" + wsl.string() + "'").exit_code, 0);

  const outcome o = cli("history platforms " + spec + " --json");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const json pairs = json::parse(o.output);
  ASSERT_EQ(pairs.size(), 1u) << o.output;
  const json& pair = pairs.at(0);
  EXPECT_EQ(pair.at("gpu"), "NVIDIA H200");
  EXPECT_EQ(pair.at("wsl_driver"), kWslDriver);
  EXPECT_EQ(pair.at("linux_driver"), kDrivers[5]);  // the newest of the same API level
  std::map<std::string, json> rows;
  for (const json& r : pair.at("rows")) rows[r.at("workload_id")] = r;
  ASSERT_TRUE(rows.count(kWslRow) && rows.count(kRow) && rows.count(kPlainRow));
  EXPECT_NEAR(rows[kWslRow].at("ratio").get<double>(), 1.20, 0.01);
  EXPECT_NEAR(rows[kPlainRow].at("ratio").get<double>(), 1.0, 0.01);
  EXPECT_NEAR(rows[kRow].at("ratio").get<double>(), 1.0 / 1.10, 0.01);  // Linux moved at 3
  EXPECT_EQ(rows[kWslRow].at("wsl").at("runs"), 3);
  EXPECT_EQ(rows[kWslRow].at("linux").at("runs"), 3);
  EXPECT_LT(rows[kWslRow].at("wsl").at("run_spread").get<double>(), 0.01);

  const outcome csv = cli("history platforms " + spec + " --csv");
  EXPECT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.output.rfind("gpu,cuda_driver_api_version,wsl_driver,linux_driver,id,ratio,", 0),
            0u)
      << csv.output;
  const std::string prefix = "NVIDIA H200,13000,581.42,580.159.04," + kWslRow + ",";
  const std::size_t at = csv.output.find(prefix);
  ASSERT_NE(at, std::string::npos) << csv.output;
  EXPECT_NEAR(std::stod(csv.output.substr(at + prefix.size())), 1.20, 0.01);
  // A driver no stored run has is an input error, never an empty answer.
  const outcome none = cli("history platforms " + spec + " --driver 999.99 --json");
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("999.99: no stored run has that driver"), std::string::npos)
      << none.output;
  EXPECT_EQ(cli("history platforms " + spec + " --json --csv").exit_code, 2);
}

}  // namespace
