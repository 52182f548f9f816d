// ci/postgres/roles.sql on the test server: the ingest role records (INSERT … ON CONFLICT DO
// NOTHING, SELECT, identity columns) and can neither create, alter, drop, delete, update nor
// truncate; the reader role only reads. Roles are global to a cluster: every test program uses
// log-in roles of its own (suffixed with its process id); the script itself is idempotent and
// serialised by an advisory lock, so parallel tests may run it at once.

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "history/postgres_store.hpp"
#include "pg_test_server.hpp"

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

}  // namespace
}  // namespace wslcuda::history
