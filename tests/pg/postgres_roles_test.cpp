// ci/postgres/roles.sql on the test server: the ingest role records (INSERT … ON CONFLICT DO
// NOTHING, SELECT, identity columns) and can neither create, alter, drop, delete, update nor
// truncate; the reader role only reads. Roles are global to a cluster: every test program uses
// log-in roles of its own (suffixed with its process id); the script itself is idempotent and
// serialised by an advisory lock, so parallel tests may run it at once.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "history/migrate.hpp"
#include "history/postgres_store.hpp"
#include "history/push.hpp"
#include "history/queries.hpp"
#include "history/record.hpp"
#include "history/store_spec.hpp"
#include "history_test_support.hpp"
#include "pg_test_server.hpp"
#include "seeded_reports.hpp"

namespace wslcuda::history {
namespace {

using wslcuda_pg_test::scratch_database;

std::string roles_sql() {
  std::ifstream in(WSLCUDA_SOURCE_DIR "/ci/postgres/roles.sql");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

store_fault fault_of(connection& c, const std::string& sql) {
  try {
    c.exec(sql);
  } catch (const store_error& e) {
    return e.kind();
  }
  return store_fault::other;  // not refused: the test below expects denied
}

bool refused(connection& c, const std::string& sql) {
  try {
    c.exec(sql);
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::denied) << sql << ": " << e.what();
    return e.kind() == store_fault::denied;
  }
  ADD_FAILURE() << "allowed: " << sql;
  return false;
}

TEST(PostgresRoles, IngestInsertsAndSelectsOnlyAndReaderReadsOnly) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  const std::string pid = std::to_string(::getpid());
  const std::string ingest = "wslcuda_test_ingest_" + pid, reader = "wslcuda_test_reader_" + pid;
  {
    auto admin = open_postgresql(db.uri());
    admin->exec(roles_sql());
    admin->exec(roles_sql());  // again: idempotent
    admin->exec("DROP ROLE IF EXISTS " + ingest + "; DROP ROLE IF EXISTS " + reader);
    admin->exec("CREATE ROLE " + ingest + " LOGIN IN ROLE wslcuda_ingest");
    admin->exec("CREATE ROLE " + reader + " LOGIN IN ROLE wslcuda_reader");
  }
  // The owner migrates: its tables get the default privileges.
  {
    auto owner = open_postgresql(db.uri_as("wslcuda_owner"));
    owner->exec(
        "CREATE TABLE runs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "run_key text NOT NULL UNIQUE, host text)");
  }

  auto c = open_postgresql(db.uri_as(ingest));
  auto insert = c->prepare(
      "INSERT INTO runs (run_key, host) VALUES (?, ?) ON CONFLICT (run_key) DO NOTHING "
      "RETURNING id");
  insert->bind(1, std::string("run-1"));
  insert->bind(2, std::string("wsl-box"));
  ASSERT_TRUE(insert->step());  // a new row: its id
  insert->reset();
  insert->bind(1, std::string("run-1"));
  EXPECT_FALSE(insert->step());  // pushed again: nothing, no error
  auto select = c->prepare("SELECT count(*) FROM runs");
  ASSERT_TRUE(select->step());
  EXPECT_EQ(std::get<std::int64_t>(select->column(0)), 1);

  EXPECT_TRUE(refused(*c, "CREATE TABLE evil (x int)"));
  EXPECT_TRUE(refused(*c, "CREATE TEMPORARY TABLE evil (x int)"));
  EXPECT_TRUE(refused(*c, "CREATE SCHEMA evil"));
  EXPECT_TRUE(refused(*c, "DROP TABLE runs"));
  EXPECT_TRUE(refused(*c, "ALTER TABLE runs ADD COLUMN x int"));
  EXPECT_TRUE(refused(*c, "DELETE FROM runs"));
  EXPECT_TRUE(refused(*c, "UPDATE runs SET host = 'x'"));
  EXPECT_TRUE(refused(*c, "TRUNCATE runs"));
  EXPECT_TRUE(refused(*c,
                      "INSERT INTO runs (run_key) VALUES ('run-1') "
                      "ON CONFLICT (run_key) DO UPDATE SET host = 'x'"));
  // Granting itself more is no way out: the server only warns ("no privileges were granted").
  c->exec("GRANT DELETE ON runs TO " + ingest);
  EXPECT_TRUE(refused(*c, "DELETE FROM runs"));
  EXPECT_EQ(fault_of(*c, "SELECT 1"), store_fault::other);  // the connection still works

  auto r = open_postgresql(db.uri_as(reader));
  EXPECT_NO_THROW(r->exec("SELECT * FROM runs"));
  EXPECT_TRUE(refused(*r, "INSERT INTO runs (run_key) VALUES ('run-2')"));
  EXPECT_TRUE(refused(*r, "CREATE TABLE evil (x int)"));
}

// Roles belong to the cluster, the script's advisory lock to one database: on a fresh server,
// four sessions running it at once in four databases all succeed.
TEST(PostgresRoles, TheScriptRunsInSeveralDatabasesAtOnce) {
  WSLCUDA_REQUIRE_POSTGRES(shared);  // skips where no server can be started at all
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("roles-at-once-" + std::to_string(::getpid()));
  wslcuda_pg_test::private_server server(dir);  // no wslcuda role exists there yet
  if (!server.skip().empty()) GTEST_SKIP() << server.skip();
  ASSERT_TRUE(server.failure().empty()) << server.failure();
  std::vector<std::unique_ptr<scratch_database>> dbs;
  for (int i = 0; i < 4; ++i) dbs.push_back(std::make_unique<scratch_database>(server.uri()));
  const std::string script = roles_sql();
  const std::vector<int> codes = wslcuda_pg_test::at_once(4, [&](int i) {
    open_postgresql(dbs[static_cast<std::size_t>(i)]->uri())->exec(script);
    return 0;
  });
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(codes[i], 0) << "session " << i;
  auto c = open_postgresql(server.uri());
  auto s = c->prepare(
      "SELECT count(*) FROM pg_roles WHERE rolname IN ('wslcuda_owner', 'wslcuda_ingest', "
      "'wslcuda_reader')");
  ASSERT_TRUE(s->step());
  EXPECT_EQ(std::get<std::int64_t>(s->column(0)), 3);
  dbs.clear();
  std::filesystem::remove_all(dir);
}

run_report seeded_run(int i) {
  wslcuda_test::seed_options o;
  o.seed = static_cast<std::uint64_t>(i);
  o.started_at = wslcuda_test::hours_after("2026-12-02T00:00:00Z", i);
  return wslcuda_test::seeded_copy(wslcuda_history_test::h200("quick-2").report, o);
}

// The documented order (docs/fleet.md): roles.sql, the owner's first migration, roles.sql again;
// then machines record and push as members of wslcuda_ingest, and nothing more.
TEST(PostgresRoles, RecordingAndPushingWorkAsTheIngestRole) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  const std::string ingest = "wslcuda_test_machine_" + std::to_string(::getpid());
  {
    auto admin = open_postgresql(db.uri());
    admin->exec(roles_sql());
    admin->exec("DROP ROLE IF EXISTS " + ingest);
    admin->exec("CREATE ROLE " + ingest + " LOGIN IN ROLE wslcuda_ingest");
  }
  open_store(parse_store_spec(db.uri_as("wslcuda_owner")));  // the owner migrates
  open_postgresql(db.uri())->exec(roles_sql());

  const store_spec as_ingest = parse_store_spec(db.uri_as(ingest));
  auto c = open_store(as_ingest);  // up to date: no DDL attempted
  EXPECT_EQ(schema_version(*c), latest_schema_version());
  const record_outcome first = record_run(*c, seeded_run(1));
  EXPECT_TRUE(first.added);
  EXPECT_GT(first.results, 0u);
  EXPECT_FALSE(record_run(*c, seeded_run(1)).added);  // idempotent without UPDATE or DELETE

  auto local = wslcuda_history_test::fresh_store("sqlite", "roles-push");
  record_run(*local, seeded_run(1));
  record_run(*local, seeded_run(2));
  record_run(*local, seeded_run(3));
  const push_outcome pushed = push_runs(*local, *c);
  EXPECT_EQ(pushed.missing, 2u);
  EXPECT_EQ(pushed.sent, 2u);
  EXPECT_EQ(list_runs(*c, {}).size(), 3u);

  // What ingest may not do: change runs, or the schema's bookkeeping.
  try {
    exclude_run(*c, first.run_key.substr(0, 12), "not mine to decide");
    ADD_FAILURE() << "ingest excluded a run";
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::denied) << e.what();
  }
  EXPECT_TRUE(refused(*c,
                      "INSERT INTO wslcuda_migrations (version, name, applied_at, "
                      "tool_version) VALUES (999, 'x', 'x', 'x')"));
  EXPECT_TRUE(refused(*c, "DELETE FROM results"));
  EXPECT_TRUE(refused(*c, "DROP TABLE executions"));
}

}  // namespace
}  // namespace wslcuda::history
