// The PostgreSQL adapter (history/postgres_store.hpp) against a real server: the throwaway
// cluster of tests/pg/pg_server.sh (CTest fixture postgres_server), one scratch database per
// test. Skips visibly where no server can be started.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "history/postgres_spec.hpp"
#include "history/postgres_store.hpp"
#include "pg_test_server.hpp"

namespace wslcuda::history {
namespace {

using wslcuda_pg_test::scratch_database;
using wslcuda_pg_test::with_params;

// Runs `sql` with parameters and returns every row.
std::vector<std::vector<value>> query(connection& c, const std::string& sql,
                                      const std::vector<value>& params = {}) {
  auto s = c.prepare(sql);
  for (std::size_t i = 0; i < params.size(); ++i) s->bind(static_cast<int>(i + 1), params[i]);
  std::vector<std::vector<value>> rows;
  while (s->step()) {
    std::vector<value> row;
    for (int i = 0; i < s->columns(); ++i) row.push_back(s->column(i));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::int64_t count(connection& c, const std::string& table) {
  return std::get<std::int64_t>(query(c, "SELECT count(*) FROM " + table).at(0).at(0));
}

// The fault of what `f` throws; fails the test when it throws nothing or something else.
template <typename F>
store_error thrown(F&& f) {
  try {
    f();
  } catch (const store_error& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a store_error: " << e.what();
    return store_error(store_fault::other, e.what());
  }
  ADD_FAILURE() << "nothing thrown";
  return store_error(store_fault::other, "nothing thrown");
}

// A TCP port of 127.0.0.1 bound but not listening while the object lives: connecting is
// refused at once.
class closed_port {
 public:
  closed_port() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), len);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~closed_port() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(PostgresStore, ExecPrepareBindStepRoundTripEveryType) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  EXPECT_EQ(c->dialect(), dialect::postgresql);
  c->exec("CREATE TABLE t (id bigint PRIMARY KEY, x double precision, s text, n bigint)");
  auto insert = c->prepare("INSERT INTO t (id, x, s, n) VALUES (?, ?, ?, ?)");
  const std::vector<double> doubles = {0.1,
                                       -0.0,
                                       1e-300,
                                       std::numeric_limits<double>::max(),
                                       std::numeric_limits<double>::denorm_min(),
                                       123456789.123456789,
                                       std::numeric_limits<double>::infinity(),
                                       -std::numeric_limits<double>::infinity()};
  const std::vector<std::int64_t> ints = {std::numeric_limits<std::int64_t>::min(), -1, 0,
                                          std::numeric_limits<std::int64_t>::max()};
  for (std::size_t i = 0; i < doubles.size(); ++i) {
    insert->reset();
    insert->bind(1, static_cast<std::int64_t>(i));
    insert->bind(2, doubles[i]);
    insert->bind(3, "row " + std::to_string(i));
    insert->bind(4, i < ints.size() ? value(ints[i]) : value());
    EXPECT_FALSE(insert->step());  // no result rows
  }
  insert->reset();
  insert->bind(1, std::int64_t{100});
  insert->bind(2, std::numeric_limits<double>::quiet_NaN());
  EXPECT_FALSE(insert->step());  // unbound parameters are NULL, as in SQLite

  const auto rows =
      query(*c, "SELECT id, x, s, n FROM t WHERE id < ? ORDER BY id", {std::int64_t{100}});
  ASSERT_EQ(rows.size(), doubles.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(std::get<std::int64_t>(rows[i][0]), static_cast<std::int64_t>(i));
    const double x = std::get<double>(rows[i][1]);
    EXPECT_EQ(x, doubles[i]) << i;
    EXPECT_EQ(std::signbit(x), std::signbit(doubles[i])) << i;
    EXPECT_EQ(std::get<std::string>(rows[i][2]), "row " + std::to_string(i));
    if (i < ints.size()) {
      EXPECT_EQ(std::get<std::int64_t>(rows[i][3]), ints[i]);
    } else {
      EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[i][3]));
    }
  }
  const auto nan = query(*c, "SELECT x, s FROM t WHERE id = 100");
  EXPECT_TRUE(std::isnan(std::get<double>(nan.at(0).at(0))));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(nan.at(0).at(1)));
}

TEST(PostgresStore, ColumnTypesMapToTheStoreValues) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  const auto row = query(*c,
                         "SELECT 1::int2, 2::int4, true, false, sum(x), avg(x), 1.5::float4, "
                         "now()::date > '2000-01-01'::date, CAST(? AS text), CAST(? AS bigint), "
                         "CAST(? AS double precision) FROM (VALUES (1::bigint), (2::bigint)) v(x)",
                         {std::string("text"), std::int64_t{7}, 2.5})
                       .at(0);
  EXPECT_EQ(std::get<std::int64_t>(row[0]), 1);
  EXPECT_EQ(std::get<std::int64_t>(row[1]), 2);
  EXPECT_EQ(std::get<std::int64_t>(row[2]), 1);  // booleans are 0/1, as in SQLite
  EXPECT_EQ(std::get<std::int64_t>(row[3]), 0);
  EXPECT_EQ(std::get<std::int64_t>(row[4]), 3);  // numeric sum of integers: an integer
  EXPECT_EQ(std::get<double>(row[5]), 1.5);      // numeric average: a double
  EXPECT_EQ(std::get<double>(row[6]), 1.5);
  EXPECT_EQ(std::get<std::int64_t>(row[7]), 1);
  EXPECT_EQ(std::get<std::string>(row[8]), "text");
  EXPECT_EQ(std::get<std::int64_t>(row[9]), 7);
  EXPECT_EQ(std::get<double>(row[10]), 2.5);
}

TEST(PostgresStore, QuestionMarksInLiteralsIdentifiersAndCommentsAreNotParameters) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  c->exec("CREATE TABLE \"q?\" (\"a?\" text, b text)");
  auto s = c->prepare(
      "INSERT INTO \"q?\" (\"a?\", b) -- a comment? yes\n"
      "VALUES ('it''s ? not' || E'\\'?' || $$?$$ || $tag$ ? $tag$ /* ? /* ? */ ? */, ?)");
  s->bind(1, std::string("the one"));
  s->step();
  const auto rows = query(*c, "SELECT \"a?\", b FROM \"q?\"");
  EXPECT_EQ(std::get<std::string>(rows.at(0).at(0)), "it's ? not'?? ? ");
  EXPECT_EQ(std::get<std::string>(rows.at(0).at(1)), "the one");
}

TEST(PostgresStore, RollbackUndoesAndCommitKeeps) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  c->exec("CREATE TABLE t (id bigint PRIMARY KEY)");
  auto insert = c->prepare("INSERT INTO t VALUES (?)");
  c->begin();
  insert->bind(1, std::int64_t{1});
  insert->step();
  c->rollback();
  EXPECT_EQ(count(*c, "t"), 0);

  c->begin();
  insert->reset();
  insert->bind(1, std::int64_t{2});
  insert->step();
  c->commit();
  EXPECT_EQ(count(*c, "t"), 1);

  // A failed statement spoils the transaction: commit says so and nothing of it is kept.
  c->begin();
  insert->reset();
  insert->bind(1, std::int64_t{3});
  insert->step();
  insert->reset();
  insert->bind(1, std::int64_t{2});  // duplicate key
  EXPECT_EQ(thrown([&] { insert->step(); }).kind(), store_fault::other);
  EXPECT_EQ(thrown([&] { c->commit(); }).kind(), store_fault::other);
  EXPECT_EQ(count(*c, "t"), 1);
  c->rollback();  // nothing to roll back: harmless

  // A statement first prepared inside a transaction that rolls back can be prepared (and run)
  // again: the server keeps prepared statements across rollbacks.
  c->begin();
  auto inside = c->prepare("INSERT INTO t VALUES (? + 1000)");
  inside->bind(1, std::int64_t{1});
  inside->step();
  c->rollback();
  auto again = c->prepare("INSERT INTO t VALUES (? + 1000)");
  again->bind(1, std::int64_t{2});
  again->step();
  EXPECT_EQ(count(*c, "t"), 2);
}

TEST(PostgresStore, HostileStringsRoundTripUnchanged) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  c->exec("CREATE TABLE t (id bigint, s text)");
  const std::vector<std::string> hostile = {
      "'; DROP TABLE t; --",
      "\"; DROP TABLE t; --",
      "it's \"quoted\" \\ back\\slash",
      "$1 $$ $tag$ ? ?? /* -- */",
      "Robert'); DELETE FROM t WHERE ('1'='1",
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80 caf\xc3\xa9",  // é € 🚀 café (valid UTF-8)
      std::string(100000, 'x') + "'",
      "",
      "line\nbreak\ttab\r"};
  auto insert = c->prepare("INSERT INTO t VALUES (?, ?)");
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    insert->reset();
    insert->bind(1, static_cast<std::int64_t>(i));
    insert->bind(2, hostile[i]);
    insert->step();
  }
  const auto rows = query(*c, "SELECT s FROM t ORDER BY id");
  ASSERT_EQ(rows.size(), hostile.size());
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    EXPECT_EQ(std::get<std::string>(rows[i][0]), hostile[i]) << i;
  }
  // The same strings as WHERE operands find their rows.
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    EXPECT_EQ(query(*c, "SELECT id FROM t WHERE s = ?", {hostile[i]}).size(), 1u) << i;
  }
}

TEST(PostgresStore, NulBytesAndInvalidUtf8AreRefusedAsBadValues) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  c->exec("CREATE TABLE t (s text)");
  auto insert = c->prepare("INSERT INTO t VALUES (?)");
  const store_error nul = thrown([&] { insert->bind(1, std::string("before\0after", 12)); });
  EXPECT_EQ(nul.kind(), store_fault::bad_value);
  EXPECT_NE(std::string(nul.what()).find("NUL byte (at byte 6)"), std::string::npos) << nul.what();

  for (const std::string bad : {"\xff\xfe", "ok then \xc3", "\xed\xa0\x80 surrogate"}) {
    insert->reset();
    insert->bind(1, bad);
    const store_error e = thrown([&] { insert->step(); });
    EXPECT_EQ(e.kind(), store_fault::bad_value) << e.what();
    EXPECT_NE(std::string(e.what()).find("UTF8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("22021"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count(*c, "t"), 0);  // nothing truncated, nothing stored
}

TEST(PostgresStore, ErrorsCarryTheirFaultAndNameTheServer) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  const store_error syntax = thrown([&] { c->prepare("SELEC 1"); });
  EXPECT_EQ(syntax.kind(), store_fault::other);
  EXPECT_NE(std::string(syntax.what()).find("42601"), std::string::npos) << syntax.what();
  EXPECT_EQ(std::string(syntax.what()).rfind(c->describe(), 0), 0u) << syntax.what();

  c->exec("CREATE TABLE t (n int)");
  c->exec("BEGIN; SET TRANSACTION READ ONLY");
  EXPECT_EQ(thrown([&] { c->exec("INSERT INTO t VALUES (1)"); }).kind(), store_fault::read_only);
  c->rollback();

  auto big = c->prepare("INSERT INTO t VALUES (?)");
  big->bind(1, std::int64_t{1} << 40);  // beyond int4
  EXPECT_EQ(thrown([&] { big->step(); }).kind(), store_fault::bad_value);

  EXPECT_EQ(thrown([&] { big->bind(2, std::int64_t{1}); }).kind(), store_fault::other);
  EXPECT_EQ(thrown([&] { c->prepare("SELECT ? IS NULL"); }).kind(), store_fault::other);
}

TEST(PostgresStore, AConnectionLostMidRunIsUnreachable) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  const auto pid = std::get<std::int64_t>(query(*c, "SELECT pg_backend_pid()").at(0).at(0));
  auto select = c->prepare("SELECT 1");
  query(*db.admin(), "SELECT pg_terminate_backend(CAST(? AS int))", {pid});
  const store_error e = thrown([&] { select->step(); });
  EXPECT_EQ(e.kind(), store_fault::unreachable) << e.what();
  c->rollback();  // never throws, even on a dead connection
}

TEST(PostgresStore, ConnectFailuresAreClassified) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  closed_port port;
  const store_error refused = thrown(
      [&] { open_postgresql("postgresql://u@127.0.0.1:" + std::to_string(port.port()) + "/x"); });
  EXPECT_EQ(refused.kind(), store_fault::unreachable) << refused.what();

  EXPECT_EQ(
      thrown([&] { open_postgresql(with_params(server.uri, "dbname=no_such_database")); }).kind(),
      store_fault::unreachable);
  EXPECT_EQ(thrown([&] { open_postgresql(with_params(server.uri, "user=no_such_role")); }).kind(),
            store_fault::denied);
  EXPECT_EQ(thrown([&] { open_postgresql("postgresql:host=x nonsense"); }).kind(),
            store_fault::bad_spec);
  EXPECT_EQ(thrown([&] { open_postgresql("postgresql://h/db?no_such_option=1"); }).kind(),
            store_fault::bad_spec);
}

class scoped_env {
 public:
  scoped_env(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~scoped_env() {
    if (old_.empty()) {
      ::unsetenv(name_);
    } else {
      ::setenv(name_, old_.c_str(), 1);
    }
  }

 private:
  const char* name_;
  std::string old_;
};

TEST(PostgresStore, PasswordsComeFromLibpqsSourcesAndAreNeverShown) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  if (std::getenv("WSLCUDA_TEST_POSTGRES") != nullptr) {
    GTEST_SKIP() << "needs the pg_hba.conf of tests/pg/pg_server.sh (SCRAM for members of "
                    "wslcuda_password_auth); WSLCUDA_TEST_POSTGRES names another server";
  }
  const wslcuda_pg_test::password_role role = wslcuda_pg_test::make_password_role(server.uri);
  const std::string where = wslcuda_pg_test::host_port(server.uri);
  const std::string encoded = wslcuda_pg_test::percent_encode(role.password);
  std::vector<std::string> messages;

  // In the URI: connects; describe() and every message show *** instead.
  const std::string with_password =
      "postgresql://" + role.name + ":" + encoded + "@" + where + "/postgres?sslmode=disable";
  {
    auto c = open_postgresql(with_password);
    EXPECT_EQ(c->describe(),
              "postgresql://" + role.name + ":***@" + where + "/postgres?sslmode=disable");
    messages.push_back(c->describe());
    messages.push_back(thrown([&] { c->exec("SELECT no_such_column"); }).what());
  }
  // As a keyword string with a quoted password, and as a URI query parameter.
  {
    std::string quoted;
    for (char ch : role.password) {
      if (ch == '\'' || ch == '\\') quoted += '\\';
      quoted += ch;
    }
    auto c = open_postgresql("postgresql:host=127.0.0.1 port=" + where.substr(where.find(':') + 1) +
                             " dbname=postgres user=" + role.name + " password='" + quoted + "'");
    EXPECT_NE(c->describe().find("password='***'"), std::string::npos) << c->describe();
    messages.push_back(c->describe());
  }
  open_postgresql("postgresql://" + role.name + "@" + where + "/postgres?password=" + encoded);

  // Wrong password: denied; the wrong one is not shown either.
  const std::string wrong =
      "postgresql://" + role.name + ":Wrong-" + encoded + "@" + where + "/postgres";
  const store_error denied = thrown([&] { open_postgresql(wrong); });
  EXPECT_EQ(denied.kind(), store_fault::denied) << denied.what();
  EXPECT_NE(std::string(denied.what()).find("28P01"), std::string::npos) << denied.what();
  messages.push_back(denied.what());
  // A malformed percent-escape in the password: libpq echoes the token; we do not.
  messages.push_back(thrown([&] {
                       open_postgresql("postgresql://" + role.name + ":" + role.password + "%zz@" +
                                       where + "/postgres");
                     }).what());

  // No password anywhere: denied, saying where a password may come from.
  const std::string without = "postgresql://" + role.name + "@" + where + "/postgres";
  const store_error missing = thrown([&] { open_postgresql(without); });
  EXPECT_EQ(missing.kind(), store_fault::denied) << missing.what();
  EXPECT_NE(std::string(missing.what()).find("PGPASSWORD"), std::string::npos) << missing.what();

  // PGPASSWORD, then a password file (PGPASSFILE): libpq's own sources.
  {
    scoped_env env("PGPASSWORD", role.password);
    EXPECT_NO_THROW(open_postgresql(without));
  }
  const std::filesystem::path passfile =
      std::filesystem::path(::testing::TempDir()) / ("pgpass-" + std::to_string(::getpid()));
  {
    std::ofstream out(passfile);
    std::string escaped;
    for (char ch : role.password) {
      if (ch == ':' || ch == '\\') escaped += '\\';
      escaped += ch;
    }
    out << "127.0.0.1:*:*:" << role.name << ":" << escaped << "\n";
  }
  std::filesystem::permissions(
      passfile, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  {
    scoped_env env("PGPASSFILE", passfile.string());
    EXPECT_NO_THROW(open_postgresql(without));
  }
  std::filesystem::remove(passfile);

  for (const std::string& m : messages) {
    EXPECT_EQ(m.find(role.password), std::string::npos) << m;
    EXPECT_EQ(m.find(encoded), std::string::npos) << m;
    EXPECT_NE(m.find("***"), std::string::npos) << m;
  }
}

TEST(PostgresStore, StatementsInterleaveAndOutliveTheirResults) {
  WSLCUDA_REQUIRE_POSTGRES(server);
  scratch_database db(server.uri);
  auto c = open_postgresql(db.uri());
  c->exec("CREATE TABLE a (n bigint); CREATE TABLE b (n bigint)");
  c->exec("INSERT INTO a SELECT generate_series(1, 100)");
  auto read = c->prepare("SELECT n FROM a ORDER BY n");
  auto write = c->prepare("INSERT INTO b VALUES (? * 2)");
  c->begin();
  std::int64_t rows = 0;
  while (read->step()) {  // a second statement runs between the steps of the first
    write->reset();
    write->bind(1, std::get<std::int64_t>(read->column(0)));
    write->step();
    ++rows;
  }
  c->commit();
  EXPECT_EQ(rows, 100);
  EXPECT_EQ(std::get<std::int64_t>(query(*c, "SELECT sum(n) FROM b").at(0).at(0)), 10100);
}

}  // namespace
}  // namespace wslcuda::history
