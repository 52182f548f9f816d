// The store interface on every kind of store (history_test_support.hpp: "sqlite", and the
// PostgreSQL adapter's kind where it is built): values round-trip, transactions are atomic, the
// migrations are recorded once and a newer schema is refused without a change.

#include <gtest/gtest.h>

#include <limits>

#include "history/codec.hpp"
#include "history_test_support.hpp"

namespace {

using namespace wslcuda_history_test;

class HistoryStore : public store_test {};

TEST_P(HistoryStore, ValuesRoundTripAsBound) {
  auto c = open("values");
  c->exec(render_sql("CREATE TABLE probe (id {{ID}}, i {{INT}}, r {{REAL}}, t TEXT, b {{BLOB}})",
                     c->dialect()));
  const std::vector<std::string> texts = {"",
                                          "it's \"quoted\"",
                                          "'; DROP TABLE runs; --",
                                          "Robert'); DROP TABLE results;--",
                                          "line\nbreak\ttab",
                                          "\xce\xa9 \xe2\x9c\x93 unicode",
                                          "?, $1, %s, \\x00 lookalikes"};
  const std::vector<blob> blobs = {blob{""}, blob{std::string("nul\0inside", 10)},
                                   blob{"\xff\xfe\x80 not UTF-8"}, blob{pack_doubles({1.5, -2.0})}};
  const std::vector<std::int64_t> ints = {0, -1, std::numeric_limits<std::int64_t>::min(),
                                          std::numeric_limits<std::int64_t>::max()};
  const std::vector<double> reals = {0.0, -1.25, 5.747935771942139e-3,
                                     std::numeric_limits<double>::denorm_min(),
                                     std::numeric_limits<double>::max()};
  auto insert = c->prepare("INSERT INTO probe (i, r, t, b) VALUES (?, ?, ?, ?) RETURNING id");
  const std::size_t n = std::max({texts.size(), blobs.size(), ints.size(), reals.size()});
  for (std::size_t k = 0; k < n; ++k) {
    insert->reset();
    insert->bind(1, ints[k % ints.size()]);
    insert->bind(2, reals[k % reals.size()]);
    insert->bind(3, texts[k % texts.size()]);
    insert->bind(4, blobs[k % blobs.size()]);
    ASSERT_TRUE(insert->step());
    EXPECT_TRUE(std::holds_alternative<std::int64_t>(insert->column(0)));
  }
  insert->reset();
  for (int p = 1; p <= 4; ++p) insert->bind(p, std::monostate{});
  ASSERT_TRUE(insert->step());

  auto read = c->prepare("SELECT i, r, t, b FROM probe ORDER BY id");
  for (std::size_t k = 0; k < n; ++k) {
    ASSERT_TRUE(read->step()) << k;
    EXPECT_EQ(std::get<std::int64_t>(read->column(0)), ints[k % ints.size()]) << k;
    EXPECT_EQ(std::get<double>(read->column(1)), reals[k % reals.size()]) << k;
    EXPECT_EQ(std::get<std::string>(read->column(2)), texts[k % texts.size()]) << k;
    EXPECT_EQ(std::get<blob>(read->column(3)), blobs[k % blobs.size()]) << k;
  }
  ASSERT_TRUE(read->step());
  for (int col = 0; col < 4; ++col)
    EXPECT_TRUE(std::holds_alternative<std::monostate>(read->column(col))) << col;
  EXPECT_FALSE(read->step());
  EXPECT_FALSE(read->step());  // stays done
  EXPECT_EQ(read->columns(), 4);
  // The hostile text was data: every table is still there.
  EXPECT_EQ(count(*c, "SELECT count(*) FROM runs"), 0);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM results"), 0);

  // Bound text is compared as a value, never read as SQL.
  auto find = c->prepare("SELECT count(*) FROM probe WHERE t = ?");
  find->bind(1, std::string("'; DROP TABLE runs; --"));
  ASSERT_TRUE(find->step());
  EXPECT_GE(std::get<std::int64_t>(find->column(0)), 1);
}

TEST_P(HistoryStore, RollbackLeavesNothingAndCommitKeeps) {
  auto c = open("transactions");
  c->exec(render_sql("CREATE TABLE probe (id {{ID}}, t TEXT NOT NULL)", c->dialect()));
  c->begin();
  auto ins = c->prepare("INSERT INTO probe (t) VALUES (?)");
  ins->bind(1, std::string("gone"));
  ins->step();
  c->rollback();
  EXPECT_EQ(count(*c, "SELECT count(*) FROM probe"), 0);
  c->rollback();  // harmless outside a transaction
  c->begin();
  ins = c->prepare("INSERT INTO probe (t) VALUES (?)");
  ins->bind(1, std::string("kept"));
  ins->step();
  c->commit();
  EXPECT_EQ(count(*c, "SELECT count(*) FROM probe"), 1);
  // A failing statement throws store_error; the connection stays usable.
  EXPECT_THROW(c->prepare("SELECT no_such_column FROM probe"), store_error);
  EXPECT_THROW(c->exec("INSERT INTO probe (t) VALUES (NULL)"), store_error);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM probe"), 1);
}

TEST_P(HistoryStore, MigrationsAreRecordedOnce) {
  auto c = open("migrations");
  EXPECT_EQ(schema_version(*c), latest_schema_version());
  EXPECT_EQ(count(*c, "SELECT count(*) FROM wslcuda_migrations"),
            static_cast<std::int64_t>(migrations().size()));
  migrate(*c);  // again: nothing to do
  migrate(*c);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM wslcuda_migrations"),
            static_cast<std::int64_t>(migrations().size()));
  auto s = c->prepare(
      "SELECT name, applied_at, tool_version FROM wslcuda_migrations "
      "WHERE version = 1");
  ASSERT_TRUE(s->step());
  EXPECT_EQ(std::get<std::string>(s->column(0)), "initial");
  EXPECT_EQ(std::get<std::string>(s->column(1)).size(), 20u);  // 2026-12-03T06:00:00Z
  // Every table of the schema exists (and is empty).
  for (const char* table : {"gpus", "machines", "drivers", "runs", "run_reports", "series",
                            "results", "executions", "change_points"})
    EXPECT_EQ(count(*c, std::string("SELECT count(*) FROM ") + table), 0) << table;
}

TEST_P(HistoryStore, NewerSchemaIsRefusedAndLeftAlone) {
  auto c = open("newer");
  const int newer = latest_schema_version() + 7;
  auto s = c->prepare(
      "INSERT INTO wslcuda_migrations (version, name, applied_at, tool_version) "
      "VALUES (?, ?, ?, ?)");
  s->bind(1, static_cast<std::int64_t>(newer));
  s->bind(2, std::string("from_the_future"));
  s->bind(3, std::string("2030-01-01T00:00:00Z"));
  s->bind(4, std::string("9.9.9"));
  s->step();
  try {
    migrate(*c);
    ADD_FAILURE() << "a newer schema was accepted";
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::too_new);
    const std::string m = e.what();
    EXPECT_NE(m.find("schema version " + std::to_string(newer)), std::string::npos) << m;
    EXPECT_NE(m.find("up to " + std::to_string(latest_schema_version())), std::string::npos) << m;
    EXPECT_NE(m.find("9.9.9"), std::string::npos) << m;
  }
  EXPECT_EQ(count(*c, "SELECT count(*) FROM wslcuda_migrations"),
            static_cast<std::int64_t>(migrations().size() + 1));
}

INSTANTIATE_TEST_SUITE_P(Stores, HistoryStore, ::testing::ValuesIn(store_kinds()), kind_name);

}  // namespace
