#pragma once
// What the PostgreSQL tests share: the test server (a superuser URI) and a scratch database per
// test, so that tests run in parallel on one server without seeing each other.
//
// The server: WSLCUDA_TEST_POSTGRES when set (a developer's own server, a superuser URI), else
// the state file of tests/pg/pg_server.sh that the CTest fixture `postgres_server` wrote, named
// by WSLCUDA_TEST_POSTGRES_FILE (its WSLCUDA_TEST_POSTGRES line, or WSLCUDA_TEST_POSTGRES_SKIP
// with the reason no server could be started here).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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

/// Forks `n` children that wait for one start signal, then run `work(i)` and exit with its
/// value (1 with the error on stderr when it throws). Returns the exit codes.
inline std::vector<int> at_once(int n, const std::function<int(int)>& work) {
  int gate[2];
  EXPECT_EQ(::pipe(gate), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(gate[1]);
      char c;
      while (::read(gate[0], &c, 1) > 0) {
      }
      int code = 1;
      try {
        code = work(i);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", i, e.what());
      }
      std::fflush(stderr);
      ::_exit(code);
    }
    children.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);  // every child starts now
  std::vector<int> codes;
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  }
  return codes;
}

/// A role that must log in with a SCRAM password over TCP (pg_server.sh's pg_hba.conf: members
/// of wslcuda_password_auth), one per test program. The password holds the characters a URI
/// must percent-encode.
struct password_role {
  std::string name = "wslcuda_pw_" + std::to_string(::getpid());
  std::string password = "Pw-" + std::to_string(::getpid()) + "-s3cr3t:@/?&%";
};

inline password_role make_password_role(const std::string& admin_uri) {
  password_role r;
  auto admin = wslcuda::history::open_postgresql(admin_uri);
  std::string quoted;
  for (char ch : r.password) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
  admin->exec("DROP ROLE IF EXISTS " + r.name);
  admin->exec("CREATE ROLE " + r.name + " LOGIN PASSWORD '" + quoted +
              "' IN ROLE wslcuda_password_auth");
  return r;
}

/// `s` percent-encoded for a URI (RFC 3986: everything but letters, digits and -_.).
inline std::string percent_encode(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') {
      out += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

/// The host and port part of a URI ("127.0.0.1:5432").
inline std::string host_port(const std::string& uri) {
  const std::size_t at = uri.find('@') + 1;
  return uri.substr(at, uri.find('/', at) - at);
}

/// A PostgreSQL server of a test's own (tests/pg/pg_server.sh in `dir`), to be killed and
/// restarted; stopped when the object goes (and by the script's watcher when the test process
/// ends). Needs WSLCUDA_SOURCE_DIR.
class private_server {
 public:
  explicit private_server(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    const std::string command = "WSLCUDA_PG_OWNER_PID=" + std::to_string(::getpid()) + " bash " +
                                script() + " start " + dir_.string() + " >" +
                                (dir_ / "start.log").string() + " 2>&1";
    const int status = std::system(command.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream env(dir_ / "server.env");
    std::string line;
    while (std::getline(env, line)) {
      const std::size_t eq = line.find('=');
      if (eq == std::string::npos) continue;
      const std::string key = line.substr(0, eq), value = unquote_shell(line.substr(eq + 1));
      if (key == "WSLCUDA_TEST_POSTGRES") uri_ = value;
      if (key == "WSLCUDA_TEST_POSTGRES_SKIP") skip_ = value;
    }
    if (code != 0 && skip_.empty()) {
      std::ifstream log(dir_ / "start.log");
      std::stringstream text;
      text << log.rdbuf();
      failure_ = "pg_server.sh start exited " + std::to_string(code) + ": " + text.str();
    }
  }
  ~private_server() { run("stop"); }
  private_server(const private_server&) = delete;
  private_server& operator=(const private_server&) = delete;

  const std::string& uri() const { return uri_; }
  const std::string& skip() const { return skip_; }        ///< why none could start here
  const std::string& failure() const { return failure_; }  ///< why starting failed
  /// pg_server.sh ACTION (kill, restart, stop) on this server; its exit status.
  int run(const std::string& action) const {
    const int status = std::system(("bash " + script() + " " + action + " " + dir_.string() +
                                    " >>" + (dir_ / "actions.log").string() + " 2>&1")
                                       .c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  static std::string script() { return WSLCUDA_SOURCE_DIR "/tests/pg/pg_server.sh"; }
  std::filesystem::path dir_;
  std::string uri_, skip_, failure_;
};

}  // namespace wslcuda_pg_test

/// Skips the test, visibly and with the reason, when there is no test server; else declares
/// `server` (test_server) in the test's scope.
#define WSLCUDA_REQUIRE_POSTGRES(server)                                               \
  const ::wslcuda_pg_test::test_server server = ::wslcuda_pg_test::find_test_server(); \
  if (server.uri.empty()) GTEST_SKIP() << server.skip_reason
