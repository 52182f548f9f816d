// Faults of the SQLite store, each a test: files that are not a wslcuda store (text, another
// program's database, truncated), a newer schema, a locked store, a read-only store, a full disk,
// a kill during recording and two concurrent writers. A refused file is never written.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "history/queries.hpp"
#include "history/record.hpp"
#include "history/sqlite_store.hpp"
#include "history_test_support.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda_history_test;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

store_spec spec_for(const fs::path& file) {
  return parse_store_spec("sqlite:" + file.string());
}

/// The store_error open_store throws for `file` (fails the test when it opens).
store_error open_error(const fs::path& file, const open_options& options = {}) {
  try {
    open_store(spec_for(file), options);
  } catch (const store_error& e) {
    return e;
  }
  ADD_FAILURE() << file << " opened";
  return store_error(store_fault::other, "opened");
}

/// Runs `sql` on `file` with the SQLite library directly (another program's view).
void sqlite_exec(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

/// A store holding `n` seeded quick runs, closed (its write-ahead log checkpointed away).
fs::path store_with_runs(const std::string& name, int n) {
  const fs::path file = scratch(name) / "history.db";
  auto c = open_store(spec_for(file));
  for (int i = 0; i < n; ++i) {
    wslcuda_test::seed_options o;
    o.seed = static_cast<std::uint64_t>(i + 1);
    o.started_at = wslcuda_test::hours_after("2026-12-01T00:00:00Z", i);
    record_run(*c, wslcuda_test::seeded_copy(h200("quick-1").report, o));
  }
  return file;
}

TEST(HistorySqlite, TextFileIsRefusedAndLeftAlone) {
  const fs::path file = scratch("text") / "history.db";
  std::ofstream(file) << "my notes, not a database\n";
  const std::string before = slurp(file);
  const store_error e = open_error(file);
  EXPECT_EQ(e.kind(), store_fault::not_ours);
  EXPECT_TRUE(is_input_fault(e.kind()));
  EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("not an SQLite database"), std::string::npos);
  EXPECT_EQ(slurp(file), before);
  EXPECT_FALSE(fs::exists(file.string() + "-wal"));
  EXPECT_FALSE(fs::exists(file.string() + "-journal"));
}

TEST(HistorySqlite, AnotherProgramsDatabaseIsRefusedAndLeftAlone) {
  const fs::path file = scratch("foreign") / "history.db";
  // Tables named like ours, in another program's file.
  sqlite_exec(file,
              "CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT); "
              "INSERT INTO runs (name) VALUES ('theirs');");
  const std::string before = slurp(file);
  const store_error e = open_error(file);
  EXPECT_EQ(e.kind(), store_fault::not_ours);
  EXPECT_NE(std::string(e.what()).find("another program"), std::string::npos) << e.what();
  EXPECT_EQ(slurp(file), before);

  // An empty database of another program (no table, only a user_version) too.
  const fs::path empty = scratch("foreign-empty") / "history.db";
  sqlite_exec(empty, "PRAGMA user_version = 5;");
  ASSERT_GT(fs::file_size(empty), 0u);
  const std::string empty_before = slurp(empty);
  EXPECT_EQ(open_error(empty).kind(), store_fault::not_ours);
  EXPECT_EQ(slurp(empty), empty_before);
}

TEST(HistorySqlite, TruncatedStoreIsRefusedAndLeftAlone) {
  const fs::path file = store_with_runs("truncated", 3);
  ASSERT_FALSE(fs::exists(file.string() + "-wal"));  // closed: the log was checkpointed
  const std::uintmax_t size = fs::file_size(file);
  ASSERT_GT(size, 8192u);
  for (const std::uintmax_t cut : {size / 2, std::uintmax_t{4096}, std::uintmax_t{60}}) {
    fs::resize_file(file, cut);
    const std::string before = slurp(file);
    const store_error e = open_error(file);
    EXPECT_EQ(e.kind(), store_fault::corrupt) << cut << ": " << e.what();
    EXPECT_TRUE(is_input_fault(e.kind()));
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    EXPECT_EQ(slurp(file), before) << cut;
  }
}

TEST(HistorySqlite, DamagedPagesAreCorrupt) {
  const fs::path file = store_with_runs("damaged", 2);
  // Overwrite the middle of the file (not the header): SQLite finds malformed pages.
  std::string bytes = slurp(file);
  for (std::size_t i = bytes.size() / 4; i < bytes.size() * 3 / 4; ++i) bytes[i] = '\x5a';
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  try {
    auto c = open_store(spec_for(file));
    for (const run_summary& r : list_runs(*c, {})) rebuild_report(*c, r.id);
    record_run(*c, h200("quick-2").report);
    ADD_FAILURE() << "a damaged store read and wrote without an error";
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::corrupt) << e.what();
  }
}

TEST(HistorySqlite, NewerSchemaIsRefusedAndLeftAlone) {
  const fs::path file = store_with_runs("newer", 1);
  sqlite_exec(file, "INSERT INTO wslcuda_migrations VALUES (" +
                        std::to_string(latest_schema_version() + 1) +
                        ", 'future', '2030-01-01T00:00:00Z', '9.0.0');");
  const std::string before = slurp(file);
  const store_error e = open_error(file);
  EXPECT_EQ(e.kind(), store_fault::too_new);
  const std::string m = e.what();
  EXPECT_NE(m.find(file.string()), std::string::npos) << m;
  EXPECT_NE(m.find("schema version " + std::to_string(latest_schema_version() + 1)),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("up to " + std::to_string(latest_schema_version())), std::string::npos) << m;
  EXPECT_EQ(slurp(file), before);
  open_options ro;
  ro.read_only = true;
  EXPECT_EQ(open_error(file, ro).kind(), store_fault::too_new);
}

TEST(HistorySqlite, NewStoreAndItsFolderAreMade) {
  const fs::path file = scratch("new") / "a" / "b" / "history.db";
  auto c = open_store(spec_for(file));
  EXPECT_TRUE(fs::exists(file));
  EXPECT_EQ(schema_version(*c), latest_schema_version());
  auto s = c->prepare("PRAGMA application_id");
  ASSERT_TRUE(s->step());
  EXPECT_EQ(std::get<std::int64_t>(s->column(0)), kSqliteApplicationId);
  auto j = c->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(j->step());
  EXPECT_EQ(std::get<std::string>(j->column(0)), "wal");
  auto fk = c->prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk->step());
  EXPECT_EQ(std::get<std::int64_t>(fk->column(0)), 1);
  // An empty file (touched) is new too.
  const fs::path touched = scratch("touched") / "history.db";
  std::ofstream(touched).close();
  EXPECT_EQ(schema_version(*open_store(spec_for(touched))), latest_schema_version());
}

TEST(HistorySqlite, ReadingNeverCreates) {
  const fs::path file = scratch("absent") / "history.db";
  open_options read;
  read.create = false;
  const store_error e = open_error(file, read);
  EXPECT_EQ(e.kind(), store_fault::unreachable);
  EXPECT_NE(std::string(e.what()).find("nothing recorded yet"), std::string::npos) << e.what();
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(store_exists(spec_for(file)));
  // An empty file holds no store either: nothing to read, and it stays empty.
  std::ofstream(file).close();
  EXPECT_FALSE(store_exists(spec_for(file)));
  EXPECT_EQ(fs::file_size(file), 0u);
}

TEST(HistorySqlite, FolderThatCannotBeMadeIsUnreachable) {
  const fs::path dir = scratch("under-a-file");
  std::ofstream(dir / "plain").close();
  const store_error e = open_error(dir / "plain" / "sub" / "history.db");
  EXPECT_EQ(e.kind(), store_fault::unreachable) << e.what();
  EXPECT_FALSE(is_input_fault(e.kind()));
}

TEST(HistorySqlite, LockedStoreIsBusyAfterTheTimeout) {
  const fs::path file = store_with_runs("locked", 1);
  auto holder = open_store(spec_for(file));
  holder->begin();  // BEGIN IMMEDIATE: the write lock, held
  open_options quick;
  quick.busy_timeout_ms = 50;
  auto waiter = open_store(spec_for(file), quick);  // opening reads only: not blocked
  EXPECT_EQ(list_runs(*waiter, {}).size(), 1u);     // readers are not blocked (WAL)
  try {
    record_run(*waiter, h200("quick-2").report);
    ADD_FAILURE() << "recorded into a locked store";
  } catch (const store_error& e) {
    EXPECT_EQ(e.kind(), store_fault::busy) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  holder->rollback();
  EXPECT_TRUE(record_run(*waiter, h200("quick-2").report).added);
  EXPECT_EQ(list_runs(*waiter, {}).size(), 2u);
}

/// A tmpfs mounted on a fresh folder for one test (root with CAP_SYS_ADMIN), unmounted at the end.
class tmpfs_mount {
 public:
  tmpfs_mount(const std::string& name, const std::string& size) : dir_(scratch(name)) {
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) why_ = std::string("cannot mount a tmpfs: ") + std::strerror(errno);
  }
  ~tmpfs_mount() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  tmpfs_mount(const tmpfs_mount&) = delete;
  tmpfs_mount& operator=(const tmpfs_mount&) = delete;
  bool remount_read_only() {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string why_;
};

TEST(HistorySqlite, ReadOnlyStoreIsReadableAndRefusesWrites) {
  // chmod does not stop root; a tmpfs remounted read-only stops everyone. Without either, skip.
  tmpfs_mount m("read-only", "16m");
  const bool root = ::geteuid() == 0;
  if (!m.mounted() && root) GTEST_SKIP() << "running as root and " << m.why();
  const fs::path dir = m.mounted() ? m.dir() : scratch("read-only-chmod");
  const fs::path file = dir / "history.db";
  {
    auto c = open_store(spec_for(file));
    ASSERT_TRUE(record_run(*c, h200("quick-1").report).added);
  }
  if (m.mounted()) {
    ASSERT_TRUE(m.remount_read_only()) << std::strerror(errno);
  } else {
    fs::permissions(file, fs::perms::owner_read);
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
  }
  const std::string before = slurp(file);
  {
    auto c = open_store(spec_for(file));
    const std::vector<run_summary> runs = list_runs(*c, {});
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_NO_THROW(rebuild_report(*c, runs.front().id));
    try {
      record_run(*c, h200("quick-2").report);
      ADD_FAILURE() << "recorded into a read-only store";
    } catch (const store_error& e) {
      EXPECT_EQ(e.kind(), store_fault::read_only) << e.what();
      EXPECT_FALSE(is_input_fault(e.kind()));
    }
  }
  EXPECT_EQ(slurp(file), before);
  // A new store in a read-only folder cannot be made.
  EXPECT_EQ(open_error(dir / "other.db").kind(), store_fault::read_only);
  if (!m.mounted()) fs::permissions(dir, fs::perms::owner_all);
}

TEST(HistorySqlite, FullDiskIsFullAndKeepsWholeRuns) {
  tmpfs_mount m("full", "1200k");
  if (!m.mounted()) GTEST_SKIP() << m.why() << " (the full-disk test needs root)";
  const fs::path file = m.dir() / "history.db";
  auto c = open_store(spec_for(file));
  int recorded = 0;
  bool full = false;
  for (int i = 0; i < 40 && !full; ++i) {
    wslcuda_test::seed_options o;
    o.seed = static_cast<std::uint64_t>(i + 1);
    try {
      record_run(*c, wslcuda_test::seeded_copy(h200("full-1").report, o));
      ++recorded;
    } catch (const store_error& e) {
      EXPECT_EQ(e.kind(), store_fault::full) << e.what();
      full = true;
    }
  }
  ASSERT_TRUE(full) << "1.2 MB held " << recorded << " full runs";
  ASSERT_GT(recorded, 0);
  // What was recorded is whole; the failed run left nothing.
  EXPECT_EQ(static_cast<int>(list_runs(*c, {}).size()), recorded);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM run_reports"), recorded);
  EXPECT_EQ(count(*c, "SELECT count(DISTINCT run_id) FROM results"), recorded);
  for (const run_summary& r : list_runs(*c, {})) EXPECT_NO_THROW(rebuild_report(*c, r.id));
  EXPECT_EQ(count(*c, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"),
            0);
}

TEST(HistorySqlite, KillDuringRecordingLeavesNoPartialRun) {
  const fs::path file = store_with_runs("killed", 1);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // its own connection, killed inside the transaction, all rows written
    try {
      auto c = open_store(spec_for(file));
      record_options o;
      o.before_commit = [] { ::raise(SIGKILL); };
      record_run(*c, h200("full-1").report, o);
    } catch (...) {
    }
    ::_exit(3);  // not reached when the kill came
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  auto c = open_store(spec_for(file));
  EXPECT_EQ(list_runs(*c, {}).size(), 1u);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM run_reports"), 1);
  EXPECT_EQ(count(*c, "SELECT count(DISTINCT run_id) FROM results"), 1);
  EXPECT_EQ(count(*c,
                  "SELECT count(*) FROM executions e LEFT JOIN results r ON r.id = "
                  "e.result_id WHERE r.id IS NULL"),
            0);
  EXPECT_TRUE(record_run(*c, h200("full-1").report).added);  // and it records afterwards
}

TEST(HistorySqlite, TwoConcurrentWritersBothLand) {
  const fs::path file = store_with_runs("concurrent", 0);
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  constexpr int kEach = 3;
  std::vector<pid_t> children;
  for (int w = 0; w < 2; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(gate[1]);
      char byte = 0;
      (void)::read(gate[0], &byte, 1);  // returns at EOF: both start together
      int code = 0;
      try {
        auto c = open_store(spec_for(file));
        for (int k = 0; k < kEach; ++k) {
          wslcuda_test::seed_options o;
          o.seed = static_cast<std::uint64_t>(100 * (w + 1) + k);
          if (!record_run(*c, wslcuda_test::seeded_copy(h200("quick-1").report, o)).added) code = 4;
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", w, e.what());
        code = 5;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);  // go
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  auto c = open_store(spec_for(file));
  EXPECT_EQ(list_runs(*c, {}).size(), 2u * kEach);
  EXPECT_EQ(count(*c, "SELECT count(*) FROM machines"), 1);  // one machine, found by both
  EXPECT_EQ(count(*c, "SELECT count(*) FROM drivers"), 1);
}

TEST(HistorySqlite, FaultKindsOfResultCodes) {
  EXPECT_EQ(sqlite_fault(SQLITE_BUSY, 0), store_fault::busy);
  EXPECT_EQ(sqlite_fault(SQLITE_BUSY_SNAPSHOT, 0), store_fault::busy);
  EXPECT_EQ(sqlite_fault(SQLITE_LOCKED, 0), store_fault::busy);
  EXPECT_EQ(sqlite_fault(SQLITE_READONLY_DBMOVED, 0), store_fault::read_only);
  EXPECT_EQ(sqlite_fault(SQLITE_CANTOPEN, EACCES), store_fault::read_only);
  EXPECT_EQ(sqlite_fault(SQLITE_CANTOPEN, ENOENT), store_fault::unreachable);
  EXPECT_EQ(sqlite_fault(SQLITE_FULL, 0), store_fault::full);
  EXPECT_EQ(sqlite_fault(SQLITE_IOERR_WRITE, ENOSPC), store_fault::full);
  EXPECT_EQ(sqlite_fault(SQLITE_IOERR_WRITE, EROFS), store_fault::read_only);
  EXPECT_EQ(sqlite_fault(SQLITE_IOERR_READ, EIO), store_fault::other);
  EXPECT_EQ(sqlite_fault(SQLITE_CORRUPT, 0), store_fault::corrupt);
  EXPECT_EQ(sqlite_fault(SQLITE_NOTADB, 0), store_fault::not_ours);
  EXPECT_EQ(sqlite_fault(SQLITE_AUTH, 0), store_fault::denied);
  EXPECT_EQ(sqlite_fault(SQLITE_MISUSE, 0), store_fault::other);
}

}  // namespace
