#pragma once
// What the history tests share: scratch folders, the stores the store-level tests run on (a
// GoogleTest value parameter naming the kind), and the committed H200 reports read once.
//
// The store-level tests (history_store_test.cpp, history_record_test.cpp) are parametrised over
// store_kinds(): "sqlite" always; the PostgreSQL adapter adds its kind (a postgresql:// URI from
// WSLCUDA_TEST_POSTGRESQL in a build with WSLCUDA_WITH_POSTGRESQL) and makes fresh_store give a
// fresh, empty database for it.

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

namespace wslcuda_history_test {

namespace fs = std::filesystem;
using namespace wslcuda;
using namespace wslcuda::history;

/// A fresh, empty folder under the test's temporary folder.
inline fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / "wslcuda-history" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// The kinds of store the parametrised tests run on.
inline std::vector<std::string> store_kinds() {
  std::vector<std::string> kinds = {"sqlite"};
#ifdef WSLCUDA_WITH_POSTGRESQL
  if (const char* uri = std::getenv("WSLCUDA_TEST_POSTGRESQL"); uri != nullptr && *uri != '\0')
    kinds.push_back(uri);
#endif
  return kinds;
}

/// Test-name suffix of a kind: "sqlite" or "postgresql".
inline std::string kind_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "sqlite" ? "sqlite" : "postgresql";
}

#ifdef WSLCUDA_WITH_POSTGRESQL
/// A fresh, empty and migrated PostgreSQL store for test `name` (the PostgreSQL adapter's tests
/// define it: e.g. a new schema on the server of `uri`).
std::unique_ptr<connection> fresh_postgres_store(const std::string& uri, const std::string& name);
#endif

/// A fresh, empty, migrated store of `kind` for test `name`.
inline std::unique_ptr<connection> fresh_store(const std::string& kind, const std::string& name,
                                               const open_options& options = {}) {
  if (kind == "sqlite") {
    const fs::path dir = scratch("store-" + name);
    return open_store(parse_store_spec("sqlite:" + (dir / "history.db").string()), options);
  }
#ifdef WSLCUDA_WITH_POSTGRESQL
  return fresh_postgres_store(kind, name);
#else
  throw std::runtime_error("no PostgreSQL in this build");
#endif
}

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
