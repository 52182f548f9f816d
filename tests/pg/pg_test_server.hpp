#pragma once
// What the PostgreSQL tests share: the test server (a superuser URI) and a scratch database per
// test, so that tests run in parallel on one server without seeing each other.
//
// The server: WSLCUDA_TEST_POSTGRES when set (a developer's own server, a superuser URI), else
// the state file of tests/pg/pg_server.sh that the CTest fixture `postgres_server` wrote, named
// by WSLCUDA_TEST_POSTGRES_FILE (its WSLCUDA_TEST_POSTGRES line, or WSLCUDA_TEST_POSTGRES_SKIP
// with the reason no server could be started here).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "history/postgres_store.hpp"
#include "history/store_spec.hpp"

namespace wslcuda_pg_test {

struct test_server {
  std::string uri;          ///< superuser URI; empty when there is none
  std::string skip_reason;  ///< why there is none
};

/// A value of server.env as pg_server.sh writes it (printf %q: no quoting for URIs, ports and
/// plain paths; a backslash before each space and special character of a skip reason).
inline std::string unquote_shell(const std::string& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

inline test_server find_test_server() {
  if (const char* uri = std::getenv("WSLCUDA_TEST_POSTGRES"); uri != nullptr && *uri != '\0') {
    return {uri, ""};
  }
  const char* file = std::getenv("WSLCUDA_TEST_POSTGRES_FILE");
  if (file == nullptr) {
    return {"",
            "no PostgreSQL test server: run through ctest (fixture postgres_server) or set "
            "WSLCUDA_TEST_POSTGRES to a superuser URI"};
  }
  std::ifstream in(file);
  std::string line;
  test_server found{"", std::string("no PostgreSQL test server: ") + file +
                            " is missing (did the postgres_server fixture run?)"};
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = unquote_shell(line.substr(eq + 1));
    if (key == "WSLCUDA_TEST_POSTGRES") found = {value, ""};
    if (key == "WSLCUDA_TEST_POSTGRES_SKIP") found = {"", "no PostgreSQL test server: " + value};
  }
  return found;
}

/// The server's URI with extra libpq parameters (e.g. "dbname=x&user=y").
inline std::string with_params(const std::string& uri, const std::string& params) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + params;
}

/// A database of its own for one test, dropped (connections included) when it goes.
class scratch_database {
 public:
  explicit scratch_database(const std::string& admin_uri) : admin_uri_(admin_uri) {
    static int counter = 0;
    name_ = "wslcuda_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    auto admin_connection = admin();
    admin_connection->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    admin_connection->exec("CREATE DATABASE " + name_);
  }
  ~scratch_database() {
    try {
      admin()->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cannot drop " << name_ << ": " << e.what();
    }
  }
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;

  const std::string& name() const { return name_; }
  /// The superuser's URI of this database.
  std::string uri() const { return with_params(admin_uri_, "dbname=" + name_); }
  /// The URI of this database as another role (trust authentication unless it is a member of
  /// wslcuda_password_auth).
  std::string uri_as(const std::string& role) const {
    return with_params(admin_uri_, "dbname=" + name_ + "&user=" + role);
  }
  std::unique_ptr<wslcuda::history::connection> admin() const {
    return wslcuda::history::open_postgresql(admin_uri_);
  }

 private:
  std::string admin_uri_;
  std::string name_;
};

/// A connection that owns the scratch database it is connected to, dropped when it closes.
class scratch_connection final : public wslcuda::history::connection {
 public:
  scratch_connection(std::unique_ptr<scratch_database> db,
                     std::unique_ptr<wslcuda::history::connection> c)
      : db_(std::move(db)), c_(std::move(c)) {}
  ~scratch_connection() override { c_.reset(); }  // before the database is dropped
  wslcuda::history::dialect dialect() const noexcept override { return c_->dialect(); }
  void exec(const std::string& sql) override { c_->exec(sql); }
  std::unique_ptr<wslcuda::history::statement> prepare(const std::string& sql) override {
    return c_->prepare(sql);
  }
  void begin() override { c_->begin(); }
  void commit() override { c_->commit(); }
  void rollback() noexcept override { c_->rollback(); }
  std::string describe() const override { return c_->describe(); }
  const scratch_database& database() const { return *db_; }

 private:
  std::unique_ptr<scratch_database> db_;
  std::unique_ptr<wslcuda::history::connection> c_;
};

/// A fresh database on the server of `admin_uri`, opened as a history store (open_store:
/// migrated unless read-only), dropped when the connection closes.
inline std::unique_ptr<wslcuda::history::connection> scratch_store(
    const std::string& admin_uri, const wslcuda::history::open_options& options = {}) {
  auto db = std::make_unique<scratch_database>(admin_uri);
  auto c = wslcuda::history::open_store(wslcuda::history::parse_store_spec(db->uri()), options);
  return std::make_unique<scratch_connection>(std::move(db), std::move(c));
}

}  // namespace wslcuda_pg_test

/// Skips the test, visibly and with the reason, when there is no test server; else declares
/// `server` (test_server) in the test's scope.
#define WSLCUDA_REQUIRE_POSTGRES(server)                                               \
  const ::wslcuda_pg_test::test_server server = ::wslcuda_pg_test::find_test_server(); \
  if (server.uri.empty()) GTEST_SKIP() << server.skip_reason
