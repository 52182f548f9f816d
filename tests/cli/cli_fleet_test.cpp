// The fleet's commands end to end on a real PostgreSQL (docs/fleet.md): `history push` exits 5
// naming the server when it is killed mid-push and the same push completes after a restart;
// an unreachable server is exit 5 naming it, password hidden; a password given in a URI appears
// in no output and in no file the commands wrote.

#include <signal.h>

#include <set>

#include "cli_support.hpp"
#include "history/record.hpp"
#include "history/store_spec.hpp"
#include "model/report_json.hpp"
#include "pg_test_server.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda_cli_test;
using namespace wslcuda::history;

/// A local SQLite store holding `n` seeded copies of the full H200 report, written through the
/// library (the binary's own schema: the same build).
std::string local_store(const fs::path& dir, int n) {
  const std::string spec = "sqlite:" + (dir / "local.db").string();
  auto c = open_store(parse_store_spec(spec));
  const wslcuda::run_report base =
      wslcuda::read_report_file(WSLCUDA_SOURCE_DIR
                                "/reports/examples/h200-linux-2026-11-30-full-1.json")
          .report;
  for (int i = 0; i < n; ++i) {
    wslcuda_test::seed_options o;
    o.seed = static_cast<std::uint64_t>(i + 1);
    o.started_at = wslcuda_test::hours_after("2026-12-01T00:00:00Z", i);
    record_run(*c, wslcuda_test::seeded_copy(base, o));
  }
  return spec;
}

std::int64_t runs_in(const std::string& spec) {
  auto c = open_store(parse_store_spec(spec));
  auto s = c->prepare("SELECT count(*) FROM runs");
  s->step();
  return std::get<std::int64_t>(s->column(0));
}

TEST(CliFleet, AServerKilledMidPushIsExit5NamingItAndTheSamePushThenCompletes) {
  WSLCUDA_REQUIRE_POSTGRES(shared);
  const fs::path dir = fresh("fleet-killed");
  wslcuda_pg_test::private_server server(dir / "server");
  if (!server.skip().empty()) GTEST_SKIP() << server.skip();
  ASSERT_TRUE(server.failure().empty()) << server.failure();
  constexpr int kRuns = 30;
  const std::string from = local_store(dir, kRuns);
  const std::string shown = describe(parse_store_spec(server.uri()));

  const fs::path log = dir / "push-1.log";
  const pid_t push = spawn({"history", "push", "--to", server.uri(), "--from", from}, log);
  ASSERT_GT(push, 0);
  // Two runs are in; the push is stopped where it is, the server killed under it, and the push
  // let go on: the next thing it asks of the server fails.
  ASSERT_TRUE(wait_for_text(log, "[2/" + std::to_string(kRuns) + "]")) << slurp(log);
  ASSERT_EQ(::kill(push, SIGSTOP), 0);
  EXPECT_EQ(server.run("kill"), 0);
  ASSERT_EQ(::kill(push, SIGCONT), 0);
  EXPECT_EQ(exit_status_of(push), 5) << slurp(log);
  const std::string out = slurp(log);
  EXPECT_NE(out.find(shown), std::string::npos) << out;
  EXPECT_NE(out.find("pushing again sends the rest"), std::string::npos) << out;

  ASSERT_EQ(server.run("restart"), 0);
  const std::int64_t before = runs_in(server.uri());
  EXPECT_GE(before, 2);
  EXPECT_LT(before, kRuns);
  const outcome again =
      wslcuda_cli_test::wslcuda("history push --to '" + server.uri() + "' --from '" + from + "'");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("history push: " + std::to_string(kRuns - before) + " run(s) sent"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(runs_in(server.uri()), kRuns);
  const outcome nothing =
      wslcuda_cli_test::wslcuda("history push --to '" + server.uri() + "' --from '" + from + "'");
  EXPECT_EQ(nothing.exit_code, 0) << nothing.output;
  EXPECT_NE(nothing.output.find("history push: 0 run(s) sent"), std::string::npos)
      << nothing.output;
  // Every run whole: as many results on the server as in the local store.
  auto local = open_store(parse_store_spec(from));
  auto remote = open_store(parse_store_spec(server.uri()));
  const std::string results = "SELECT count(*) FROM results";
  auto a = local->prepare(results), b = remote->prepare(results);
  a->step();
  b->step();
  EXPECT_EQ(std::get<std::int64_t>(a->column(0)), std::get<std::int64_t>(b->column(0)));
}

TEST(CliFleet, AnUnreachableServerIsExit5NamingItWithoutItsPassword) {
  const fs::path dir = fresh("fleet-unreachable");
  const std::string from = local_store(dir, 1);
  const outcome o = wslcuda_cli_test::wslcuda(
      "history push --to 'postgresql://ci:Unreachable-Secret@127.0.0.1:1/fleet?connect_timeout=2' "
      "--from '" +
      from + "'");
  EXPECT_EQ(o.exit_code, 5) << o.output;
  EXPECT_NE(o.output.find("postgresql://ci:***@127.0.0.1:1/fleet"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("Unreachable-Secret"), std::string::npos) << o.output;
  // A spec that is no store at all is a usage error, its password hidden all the same.
  const outcome bad =
      wslcuda_cli_test::wslcuda("history list --history 'postgrsql://ci:Typo-Secret@db/fleet'");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_EQ(bad.output.find("Typo-Secret"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("postgrsql://ci:***@db/fleet"), std::string::npos) << bad.output;
}

TEST(CliFleet, APasswordInAUriIsInNoOutputAndNoFileWritten) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  if (std::getenv("WSLCUDA_TEST_POSTGRES") != nullptr) {
    GTEST_SKIP() << "needs the pg_hba.conf of tests/pg/pg_server.sh (SCRAM for members of "
                    "wslcuda_password_auth)";
  }
  const fs::path dir = fresh("fleet-password");
  const wslcuda_pg_test::password_role role = wslcuda_pg_test::make_password_role(server.uri);
  wslcuda_pg_test::scratch_database db(server.uri);
  db.admin()->exec("ALTER DATABASE " + db.name() + " OWNER TO " + role.name);
  const std::string where = wslcuda_pg_test::host_port(server.uri);
  const std::string encoded = wslcuda_pg_test::percent_encode(role.password);
  const std::string uri =
      "postgresql://" + role.name + ":" + encoded + "@" + where + "/" + db.name();
  const std::string from = local_store(dir, 2);

  std::string all_output;
  auto run = [&](const std::string& args, int expected) {
    const outcome o = wslcuda_cli_test::wslcuda(args);
    EXPECT_EQ(o.exit_code, expected) << args << "\n" << o.output;
    all_output += o.output;
  };
  const std::string h = " --history '" + uri + "'";
  run("history import" + h + " '" WSLCUDA_SOURCE_DIR "/reports/examples'", 0);
  run("history list" + h, 0);
  run("history list --json" + h, 0);
  run("history trend 'gemm.*'" + h, 0);
  run("history push --to '" + uri + "' --from '" + from + "'", 0);
  run("html" + h + " --out '" + (dir / "fleet.html").string() + "'", 0);
  run("export" + h + " --csv '" + (dir / "fleet.csv").string() + "'", 0);
  run("history baseline --gpu '*H200*' --out '" + (dir / "baseline.json").string() + "'" + h, 0);
  // Failures print the server too: a wrong password, a database that does not exist.
  run("history list --history 'postgresql://" + role.name + ":Wrong" + encoded + "@" + where + "/" +
          db.name() + "'",
      5);
  run("history list --history 'postgresql://" + role.name + ":" + encoded + "@" + where +
          "/no_such_db'",
      5);
  run("history list --history 'postgresql:host=127.0.0.1 port=" +
          where.substr(where.find(':') + 1) + " user=" + role.name + " dbname=" + db.name() +
          " password=" + encoded + "'",
      5);  // the keyword form does not decode %XX: a wrong password, shown as ***
  EXPECT_NE(all_output.find("***"), std::string::npos) << all_output;

  for (const std::string& secret : {role.password, encoded}) {
    EXPECT_EQ(all_output.find(secret), std::string::npos) << secret;
    std::size_t files = 0;  // every file the commands wrote (they write nowhere else)
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      ++files;
      EXPECT_EQ(slurp(e.path()).find(secret), std::string::npos) << e.path();
    }
    EXPECT_GE(files, 4u);  // the HTML, the CSV, the baseline and the local store at least
  }
}

}  // namespace
