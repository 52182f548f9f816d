#pragma once
// What the history tests share: scratch folders, the stores the store-level tests run on (a
// GoogleTest value parameter naming the kind), and the committed H200 reports read once.
//
// The store-level tests (history_store_test.cpp, history_record_test.cpp, history_push_test.cpp)
// are parametrised over store_kinds(): "sqlite" and "postgresql" (a fresh database on the test
// server of tests/pg/pg_server.sh; the tests skip visibly where there is none).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "history/migrate.hpp"
#include "history/store_spec.hpp"
#include "model/report_json.hpp"
#include "pg_test_server.hpp"

namespace wslcuda_history_test {

namespace fs = std::filesystem;
using namespace wslcuda;
using namespace wslcuda::history;

/// A fresh, empty folder under the test's temporary folder, of this test alone: its path names
/// the running test (suite, name and parameter), since ctest runs the sqlite and postgresql
/// instances of one test at the same time, as separate processes.
inline fs::path scratch(const std::string& name) {
  std::string test = "no-test";
  if (const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    test = std::string(info->test_suite_name()) + "." + info->name();
    for (char& c : test)
      if (c == '/') c = '_';
  }
  const fs::path dir = fs::path(::testing::TempDir()) / "wslcuda-history" / test / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// The kinds of store the parametrised tests run on: both, always (a PostgreSQL test skips,
/// saying why, where there is no test server: tests/pg/pg_test_server.hpp).
inline std::vector<std::string> store_kinds() {
  return {"sqlite", "postgresql"};
}

/// Test-name suffix of a kind: "sqlite" or "postgresql".
inline std::string kind_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

/// A fresh, empty, migrated store of `kind` for test `name`: an SQLite file in a scratch folder,
/// or a database of its own on the PostgreSQL test server (dropped when the connection closes).
inline std::unique_ptr<connection> fresh_store(const std::string& kind, const std::string& name,
                                               const open_options& options = {}) {
  if (kind == "sqlite") {
    const fs::path dir = scratch("store-" + name);
    return open_store(parse_store_spec("sqlite:" + (dir / "history.db").string()), options);
  }
  const wslcuda_pg_test::test_server server = wslcuda_pg_test::find_test_server();
  if (server.uri.empty()) throw std::runtime_error(server.skip_reason);
  return wslcuda_pg_test::scratch_store(server.uri, options);
}

/// The fixture of the parametrised store tests: the parameter is the kind; a PostgreSQL test
/// skips, visibly and saying why, where there is no test server.
class store_test : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() != "postgresql") return;
    const wslcuda_pg_test::test_server server = wslcuda_pg_test::find_test_server();
    if (server.uri.empty()) GTEST_SKIP() << server.skip_reason;
  }
  std::unique_ptr<connection> open(const std::string& name, const open_options& options = {}) {
    return fresh_store(GetParam(), name, options);
  }
};

/// reports/examples/h200-linux-2026-11-30-NAME.json, read once.
inline const loaded_report& h200(const std::string& name) {
  static std::map<std::string, loaded_report> cache;
  auto it = cache.find(name);
  if (it == cache.end())
    it = cache
             .emplace(name, read_report_file(fs::path(WSLCUDA_SOURCE_DIR) / "reports" / "examples" /
                                             ("h200-linux-2026-11-30-" + name + ".json")))
             .first;
  return it->second;
}

/// The committed H200 reports' folder.
inline fs::path examples_dir() {
  return fs::path(WSLCUDA_SOURCE_DIR) / "reports" / "examples";
}

/// One integer from a query without parameters.
inline std::int64_t count(connection& c, const std::string& sql) {
  auto s = c.prepare(sql);
  if (!s->step()) return -1;
  const value v = s->column(0);
  return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : -1;
}

}  // namespace wslcuda_history_test
