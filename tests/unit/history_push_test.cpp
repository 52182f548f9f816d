// Runs that reach a fleet's server late (history/push.hpp): a push copies every row and column
// of a run exactly once, to an SQLite or a PostgreSQL store; 20 processes pushing at once store
// every run once; a server killed inside a push leaves whole runs only and the same push then
// completes; a run whose server is down is recorded locally and marked "not pushed"; two
// processes migrating one empty database at once are serialised.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "history/migrate.hpp"
#include "history/push.hpp"
#include "history/queries.hpp"
#include "history/record.hpp"
#include "history_test_support.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda_history_test;
using wslcuda_test::hours_after;
using wslcuda_test::seed_options;
using wslcuda_test::seeded_copy;

/// Run `i` of a seeded fleet: quick-2 copied with its own time and noise; GPU UUIDs of four
/// machines.
run_report fleet_run(int i) {
  seed_options o;
  o.seed = static_cast<std::uint64_t>(1000 + i);
  o.started_at = hours_after("2026-12-01T00:00:00Z", i);
  o.gpu_uuid = "GPU-00000000-0000-0000-0000-00000000000" + std::to_string(i % 4);
  return seeded_copy(h200("quick-2").report, o);
}

std::string text_of(const value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (const auto* b = std::get_if<blob>(&v)) {
    std::string hex = "x'";
    for (unsigned char ch : b->bytes) {
      char buf[3];
      std::snprintf(buf, sizeof buf, "%02x", ch);
      hex += buf;
    }
    return hex + "'";
  }
  return "'" + std::get<std::string>(v) + "'";
}

using table_dump = std::map<std::string, std::multiset<std::string>>;

/// Every row of the store's run tables, as text independent of surrogate ids: every column of
/// the table (whatever the migrations add) but its id, the references to other rows and those
/// in `ignore`, then the natural keys of the rows it refers to. One multiset per table.
table_dump dump(connection& c, const std::set<std::string>& ignore = {}) {
  static const std::set<std::string> ids = {"id",     "machine_id", "gpu_id",   "driver_id",
                                            "run_id", "series_id",  "result_id"};
  const std::pair<const char*, const char*> views[] = {
      {"machines", "SELECT t.* FROM machines t"},
      {"gpus", "SELECT t.* FROM gpus t"},
      {"drivers", "SELECT t.* FROM drivers t"},
      {"series", "SELECT t.* FROM series t"},
      {"runs",
       "SELECT t.*, m.machine_key, g.uuid, d.platform, d.version, d.cuda_driver_api FROM runs t "
       "JOIN machines m ON m.id = t.machine_id LEFT JOIN gpus g ON g.id = t.gpu_id "
       "JOIN drivers d ON d.id = t.driver_id"},
      {"run_reports", "SELECT t.*, r.run_key FROM run_reports t JOIN runs r ON r.id = t.run_id"},
      {"results",
       "SELECT t.*, r.run_key, s.workload_id, s.metric, s.gpu_model, s.platform FROM results t "
       "JOIN runs r ON r.id = t.run_id JOIN series s ON s.id = t.series_id"},
      {"executions",
       "SELECT t.*, r.run_key, x.row_index, s.workload_id, s.metric FROM executions t "
       "JOIN results x ON x.id = t.result_id JOIN runs r ON r.id = x.run_id "
       "JOIN series s ON s.id = x.series_id"}};
  table_dump out;
  for (const auto& [table, sql] : views) {
    const std::vector<std::string> names = table_columns(c, table);
    auto s = c.prepare(sql);
    auto& rows = out[table];
    while (s->step()) {
      std::string line;
      for (int i = 0; i < s->columns(); ++i) {
        const bool own = static_cast<std::size_t>(i) < names.size();
        if (own && (ids.count(names[i]) != 0 || ignore.count(names[i]) != 0)) continue;
        line += (own ? names[i] : "ref") + "=" + text_of(s->column(i)) + " ";
      }
      rows.insert(line);
    }
  }
  return out;
}

/// Passes when every row of `part` is in `whole` (as many times) and, with `equal`, nothing
/// else is; else fails naming a few of the rows that differ (not whole dumps: they are long).
::testing::AssertionResult rows_match(const table_dump& part, const table_dump& whole,
                                      bool equal = true) {
  std::string why;
  for (const auto& [table, rows] : part) {
    const auto& all = whole.at(table);
    std::vector<std::string> missing, extra;
    std::set_difference(rows.begin(), rows.end(), all.begin(), all.end(),
                        std::back_inserter(missing));
    std::set_difference(all.begin(), all.end(), rows.begin(), rows.end(),
                        std::back_inserter(extra));
    if (!equal) extra.clear();
    if (missing.empty() && extra.empty()) continue;
    why += table + ": " + std::to_string(missing.size()) + " row(s) missing, " +
           std::to_string(extra.size()) +
           " extra; first missing: " + (missing.empty() ? "-" : missing.front().substr(0, 300)) +
           "; first extra: " + (extra.empty() ? "-" : extra.front().substr(0, 300)) + "\n";
  }
  if (why.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << why;
}

class HistoryPush : public store_test {};

TEST_P(HistoryPush, SendsEveryRunOnceWithEveryRowAndColumn) {
  auto local = fresh_store("sqlite", "push-local-" + GetParam());
  record_loaded(*local, h200("quick-1"));
  record_loaded(*local, h200("doctor"));  // no results at all
  const record_outcome excluded = record_run(*local, fleet_run(1));
  exclude_run(*local, excluded.run_key.substr(0, 12), "a fan failed during the run");
  record_run(*local, fleet_run(2));  // another machine (GPU UUID)

  auto server = open("push-server");
  std::vector<push_entry> seen;
  push_options options;
  options.progress = [&](const push_entry& e) { seen.push_back(e); };
  push_outcome o = push_runs(*local, *server, options);
  EXPECT_EQ(o.local, 4u);
  EXPECT_EQ(o.missing, 4u);
  EXPECT_EQ(o.sent, 4u);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.back().done, 4u);
  EXPECT_EQ(seen.back().total, 4u);
  EXPECT_GT(o.results, 0u);
  EXPECT_TRUE(rows_match(dump(*local), dump(*server)));

  o = push_runs(*local, *server);  // again: nothing
  EXPECT_EQ(o.missing, 0u);
  EXPECT_EQ(o.sent, 0u);
  EXPECT_TRUE(rows_match(dump(*local), dump(*server)));

  // Another machine records on the server; a new local run goes alone, nothing else changes.
  record_run(*server, fleet_run(3));
  record_run(*local, fleet_run(4));
  o = push_runs(*local, *server);
  EXPECT_EQ(o.sent, 1u);
  EXPECT_EQ(count(*server, "SELECT count(*) FROM runs"), 6);
  EXPECT_TRUE(rows_match(dump(*local), dump(*server), false));
  // The stored report of a pushed run rebuilds to the local one.
  const auto local_runs = list_runs(*local, {});
  const auto server_runs = list_runs(*server, {});
  for (const run_summary& l : local_runs) {
    const auto s = std::find_if(server_runs.begin(), server_runs.end(),
                                [&](const run_summary& r) { return r.run_key == l.run_key; });
    ASSERT_NE(s, server_runs.end());
    EXPECT_EQ(report_to_json(rebuild_report(*local, l.id).report),
              report_to_json(rebuild_report(*server, s->id).report));
    EXPECT_EQ(s->excluded, l.excluded);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, HistoryPush, ::testing::ValuesIn(store_kinds()), kind_name);

/// The test server, or a skip saying why there is none.
#define REQUIRE_SERVER(server)                                                     \
  const wslcuda_pg_test::test_server server = wslcuda_pg_test::find_test_server(); \
  if (server.uri.empty()) GTEST_SKIP() << server.skip_reason

TEST(HistoryPushPostgres, TwentyProcessesAtOnceStoreEveryRunExactlyOnce) {
  REQUIRE_SERVER(server);
  wslcuda_pg_test::scratch_database db(server.uri);
  const std::string target = db.uri();
  open_store(parse_store_spec(target));  // migrated before, so that the pushes only insert
  const fs::path dir = scratch("push-twenty");
  constexpr int kDistinct = 16, kSame = 4;
  std::map<std::string, std::int64_t> results_of;  // run key → result rows
  {
    auto all = open_store(parse_store_spec("sqlite:" + (dir / "all.db").string()));
    for (int i = 0; i < kDistinct; ++i) {
      const run_report r = fleet_run(i);
      auto one =
          open_store(parse_store_spec("sqlite:" + (dir / (std::to_string(i) + ".db")).string()));
      const record_outcome o = record_run(*one, r);
      record_run(*all, r);
      results_of[o.run_key] = static_cast<std::int64_t>(o.results);
    }
  }
  // 16 processes push one run each; 4 more push all 16 runs, all at the same moment.
  const std::vector<int> codes = wslcuda_pg_test::at_once(kDistinct + kSame, [&](int i) {
    const std::string file = i < kDistinct ? std::to_string(i) + ".db" : "all.db";
    auto from = open_store(parse_store_spec("sqlite:" + (dir / file).string()));
    auto to = open_store(parse_store_spec(target));
    push_runs(*from, *to);
    return 0;
  });
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(codes[i], 0) << "process " << i;

  auto to = open_store(parse_store_spec(target));
  EXPECT_EQ(count(*to, "SELECT count(*) FROM runs"), kDistinct);
  for (const auto& [key, results] : results_of) {
    auto s = to->prepare(
        "SELECT count(*), (SELECT count(*) FROM executions e JOIN results x ON x.id = "
        "e.result_id JOIN runs r ON r.id = x.run_id WHERE r.run_key = ?) FROM results x "
        "JOIN runs r ON r.id = x.run_id WHERE r.run_key = ?");
    s->bind(1, key);
    s->bind(2, key);
    ASSERT_TRUE(s->step());
    EXPECT_EQ(std::get<std::int64_t>(s->column(0)), results) << key;
    EXPECT_GT(std::get<std::int64_t>(s->column(1)), 0) << key;
  }
  // Exactly the rows of the 16 runs, nothing twice. Two columns depend on which copy of a run
  // arrived first: when it was recorded (each local store recorded its copy at its own second)
  // and a machine's first_seen (its first run to arrive).
  auto all = open_store(parse_store_spec("sqlite:" + (dir / "all.db").string()));
  EXPECT_TRUE(rows_match(dump(*all, {"recorded_at", "first_seen"}),
                         dump(*to, {"recorded_at", "first_seen"})));
}

TEST(HistoryPushPostgres, AServerKilledInsideAPushLeavesWholeRunsAndThePushThenCompletes) {
  REQUIRE_SERVER(shared);  // skips where no server can be started at all
  wslcuda_pg_test::private_server server(scratch("private-pg"));
  if (!server.skip().empty()) GTEST_SKIP() << server.skip();
  ASSERT_TRUE(server.failure().empty()) << server.failure();
  const std::string target = server.uri();
  auto local = fresh_store("sqlite", "push-killed");
  for (int i = 0; i < 5; ++i) record_run(*local, fleet_run(i));

  std::string message;
  {
    auto to = open_store(parse_store_spec(target));
    push_options options;
    int commits = 0;
    options.before_commit = [&](const std::string&) {
      if (++commits == 3) {
        EXPECT_EQ(server.run("kill"), 0);  // SIGKILL, inside the transaction
      }
    };
    try {
      push_runs(*local, *to, options);
      ADD_FAILURE() << "the push went on without its server";
    } catch (const store_error& e) {
      EXPECT_EQ(e.kind(), store_fault::unreachable) << e.what();
      message = e.what();
    }
  }
  EXPECT_NE(message.find(describe(parse_store_spec(target))), std::string::npos) << message;
  EXPECT_NE(message.find("2 of 5 runs were pushed before"), std::string::npos) << message;
  EXPECT_EQ(pending_pushes(*local).size(), 0u);  // nothing was marked: plain local runs

  ASSERT_EQ(server.run("restart"), 0);
  auto to = open_store(parse_store_spec(target));
  EXPECT_EQ(count(*to, "SELECT count(*) FROM runs"), 2);    // whole runs only
  EXPECT_TRUE(rows_match(dump(*to), dump(*local), false));  // nothing half-written
  const push_outcome o = push_runs(*local, *to);            // the same push, again
  EXPECT_EQ(o.missing, 3u);
  EXPECT_EQ(o.sent, 3u);
  EXPECT_TRUE(rows_match(dump(*local), dump(*to)));
}

TEST(HistoryPushPostgres, ARunWhoseServerIsDownIsPendingLocallyAndAPushSendsIt) {
  REQUIRE_SERVER(server);
  const fs::path dir = scratch("fallback");
  const store_spec local = parse_store_spec("sqlite:" + (dir / "local.db").string());
  // Port 1 of this machine: refused at once.
  const store_spec down =
      parse_store_spec("postgresql://ci:Fallback-Secret@127.0.0.1:1/fleet?connect_timeout=2");
  const run_report report = fleet_run(7);
  const fallback_outcome f = record_with_fallback(down, report, {}, &local);
  EXPECT_TRUE(f.recorded);
  EXPECT_TRUE(f.pending);
  EXPECT_EQ(f.store, describe(local));
  EXPECT_TRUE(f.record.added);
  EXPECT_NE(f.warning.find("not pushed"), std::string::npos) << f.warning;
  EXPECT_NE(f.warning.find("wslcuda history push --to postgresql://ci:***@127.0.0.1:1/fleet"),
            std::string::npos)
      << f.warning;
  EXPECT_EQ(f.warning.find("Fallback-Secret"), std::string::npos) << f.warning;
  {
    auto c = open_store(local);
    const std::vector<pending_push> pending = pending_pushes(*c);
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].run_key, f.record.run_key);
    EXPECT_EQ(pending[0].target, "postgresql://ci:***@127.0.0.1:1/fleet?connect_timeout=2");
    EXPECT_EQ(pending[0].reason.find("Fallback-Secret"), std::string::npos) << pending[0].reason;
  }
  // Recorded again while the server is still down: the same local run, still pending once.
  EXPECT_FALSE(record_with_fallback(down, report, {}, &local).record.added);

  // The server is back (here: the test server): the push sends it and clears the mark.
  wslcuda_pg_test::scratch_database db(server.uri);
  auto from = open_store(local);
  auto to = open_store(parse_store_spec(db.uri()));
  EXPECT_EQ(push_runs(*from, *to).sent, 1u);
  EXPECT_TRUE(pending_pushes(*from).empty());

  // A reachable server: recorded there, nothing pending, no warning.
  const fallback_outcome direct =
      record_with_fallback(parse_store_spec(db.uri()), fleet_run(8), {}, &local);
  EXPECT_TRUE(direct.recorded);
  EXPECT_FALSE(direct.pending);
  EXPECT_TRUE(direct.warning.empty()) << direct.warning;
  EXPECT_EQ(count(*to, "SELECT count(*) FROM runs"), 2);
}

TEST(HistoryPushPostgres, ProcessesMigratingOneEmptyDatabaseAtOnceAreSerialised) {
  REQUIRE_SERVER(server);
  for (int round = 0; round < 3; ++round) {
    wslcuda_pg_test::scratch_database db(server.uri);  // empty: no table at all
    const std::vector<int> codes = wslcuda_pg_test::at_once(4, [&](int) {
      open_store(parse_store_spec(db.uri()));
      return 0;
    });
    for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(codes[i], 0) << "process " << i;
    auto c = open_store(parse_store_spec(db.uri()));
    EXPECT_EQ(count(*c, "SELECT count(*) FROM wslcuda_migrations"),
              static_cast<std::int64_t>(migrations().size()));
    EXPECT_EQ(schema_version(*c), latest_schema_version());
  }
}

}  // namespace
