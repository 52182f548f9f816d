#include "history/sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

namespace wslcuda::history {
namespace {

namespace fs = std::filesystem;

/// "SQLite format 3" and its NUL: the first 16 bytes of every SQLite database file.
constexpr char kSqliteMagic[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                   'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

std::uint32_t big_endian(const unsigned char* p, int bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& store, const std::string& what) {
  const int seen = db != nullptr ? sqlite3_system_errno(db) : 0;
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw store_error(sqlite_fault(db != nullptr ? sqlite3_extended_errcode(db) : rc, seen),
                    store + ": " + what + ": " + detail);
}

class sqlite_statement final : public statement {
 public:
  sqlite_statement(sqlite3* db, sqlite3_stmt* stmt, std::string store)
      : db_(db), stmt_(stmt), store_(std::move(store)) {}
  ~sqlite_statement() override { sqlite3_finalize(stmt_); }
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  void bind(int index, const value& v) override {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(stmt_, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt_, index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt_, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt_, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      const std::string& b = std::get<blob>(v).bytes;
      rc = b.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                     : sqlite3_bind_blob64(stmt_, index, b.data(), b.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) fail(db_, rc, store_, "binding parameter " + std::to_string(index));
  }

  bool step() override {
    if (done_) return false;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    done_ = true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, store_, "running " + first_words());
  }

  int columns() const override { return sqlite3_column_count(stmt_); }

  value column(int index) const override {
    switch (sqlite3_column_type(stmt_, index)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, index));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt_, index);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index));
        return blob{p != nullptr ? std::string(p, n) : std::string()};
      }
      default:
        return std::monostate{};
    }
  }

  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    done_ = false;
  }

 private:
  /// The statement's first words, for messages ("INSERT INTO results").
  std::string first_words() const {
    std::string sql = sqlite3_sql(stmt_);
    std::size_t end = 0;
    for (int words = 0; words < 3 && end != std::string::npos; ++words)
      end = sql.find(' ', sql.find_first_not_of(' ', end) + 1);
    return sql.substr(0, end);
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string store_;
  bool done_ = false;
};

class sqlite_connection final : public connection {
 public:
  sqlite_connection(sqlite3* db, std::string store) : db_(db), store_(std::move(store)) {}
  ~sqlite_connection() override {
    rollback();
    sqlite3_close_v2(db_);
  }
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  history::dialect dialect() const noexcept override { return dialect::sqlite; }

  void exec(const std::string& sql) override {
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, store_, "running SQL");
  }

  std::unique_ptr<statement> prepare(const std::string& sql) override {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size() + 1), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      fail(db_, rc, store_, "preparing a statement");
    }
    return std::make_unique<sqlite_statement>(db_, stmt, store_);
  }

  void begin() override { exec("BEGIN IMMEDIATE"); }
  void commit() override {
    reset_statements();  // a statement left on a row (RETURNING) would hold the commit back
    exec("COMMIT");
  }
  void rollback() noexcept override {
    reset_statements();
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  std::string describe() const override { return store_; }

 private:
  /// Resets every statement of the connection that is still running (the next step() of such a
  /// statement runs it again; callers reset before reuse anyway).
  void reset_statements() noexcept {
    for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
         s = sqlite3_next_stmt(db_, s))
      if (sqlite3_stmt_busy(s) != 0) sqlite3_reset(s);
  }

  sqlite3* db_;
  std::string store_;
};

/// Owns a handle until it is given to a connection.
struct handle {
  sqlite3* db = nullptr;
  ~handle() {
    if (db != nullptr) sqlite3_close_v2(db);
  }
  sqlite3* release() {
    sqlite3* d = db;
    db = nullptr;
    return d;
  }
};

/// One value of a single-row query (e.g. a PRAGMA), as an integer.
std::int64_t query_int(sqlite3* db, const char* sql, const std::string& store) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    fail(db, rc, store, std::string("reading ") + sql);
  }
  rc = sqlite3_step(stmt);
  const std::int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(db, rc, store, std::string("reading ") + sql);
  return v;
}

/// True when a first read succeeds (a WAL database on read-only media may not be readable).
bool readable(sqlite3* db) {
  return sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) ==
         SQLITE_OK;
}

bool has_wal(const fs::path& path) {
  std::error_code ec;
  const fs::path wal = path.string() + "-wal";
  return fs::exists(wal, ec) && fs::file_size(wal, ec) > 0;
}

/// "file:/the/path?immutable=1", the path percent-encoded (RFC 3986) where SQLite's URI parser
/// would read it otherwise.
std::string immutable_uri(const fs::path& path) {
  const std::string p = fs::absolute(path).string();
  std::string out = "file:";
  for (const char ch : p) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || ch == '/' || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out + "?immutable=1";
}

/// Checks the first bytes of an existing, non-empty file: SQLite's header, and a file at least as
/// long as the header says (when no write-ahead log holds newer pages). Throws not_ours / corrupt.
void check_header(const fs::path& path, std::uintmax_t size, const std::string& store) {
  std::array<unsigned char, 100> h{};
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw store_error(store_fault::read_only,
                      store + ": cannot read " + path.string() + " (permission denied?)");
  in.read(reinterpret_cast<char*>(h.data()), static_cast<std::streamsize>(h.size()));
  const auto got = static_cast<std::size_t>(in.gcount());
  const std::size_t magic = std::min<std::size_t>(got, sizeof kSqliteMagic);
  if (got < sizeof kSqliteMagic || std::memcmp(h.data(), kSqliteMagic, magic) != 0) {
    if (magic > 0 && std::memcmp(h.data(), kSqliteMagic, magic) == 0)
      throw store_error(store_fault::corrupt,
                        store + ": " + path.string() + " is a truncated SQLite file (" +
                            std::to_string(size) + " bytes); it is left as it is");
    throw store_error(store_fault::not_ours,
                      store + ": " + path.string() +
                          " is not an SQLite database, so not a wslcuda history store; it is "
                          "left as it is (name another file with --history sqlite:PATH)");
  }
  if (got < h.size())
    throw store_error(store_fault::corrupt, store + ": " + path.string() +
                                                " is a truncated SQLite file (" +
                                                std::to_string(size) +
                                                " bytes, shorter than its header); it is left "
                                                "as it is");
  // Header fields (https://www.sqlite.org/fileformat.html §1.3): page size at 16 (1 = 65536),
  // file change counter at 24, database size in pages at 28, valid when "version-valid-for" at
  // 92 equals the change counter. A write-ahead log may hold pages beyond the file: then SQLite
  // decides.
  if (has_wal(path)) return;
  std::uint64_t page = big_endian(&h[16], 2);
  if (page == 1) page = 65536;
  const std::uint32_t pages = big_endian(&h[28], 4);
  if (pages == 0 || big_endian(&h[24], 4) != big_endian(&h[92], 4)) return;
  if (size < page * pages)
    throw store_error(store_fault::corrupt,
                      store + ": " + path.string() + " is truncated: its header says " +
                          std::to_string(pages) + " pages of " + std::to_string(page) +
                          " bytes, the file holds " + std::to_string(size) +
                          " bytes; it is left as it is");
}

/// True when the process may write `path` (or, when absent, create files in its folder).
bool can_write(const fs::path& path, bool exists) {
  const fs::path target = exists ? path : (path.has_parent_path() ? path.parent_path() : ".");
  if (::access(target.c_str(), W_OK) != 0) return false;
  if (!exists) return true;
  // WAL needs the folder too, for the -wal and -shm files.
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  return ::access(folder.c_str(), W_OK) == 0;
}

}  // namespace

store_fault sqlite_fault(int result_code, int errno_seen) noexcept {
  switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return store_fault::busy;
    case SQLITE_READONLY:
      return store_fault::read_only;
    case SQLITE_CANTOPEN:
      return errno_seen == EACCES || errno_seen == EPERM || errno_seen == EROFS
                 ? store_fault::read_only
                 : store_fault::unreachable;
    case SQLITE_FULL:
      return store_fault::full;
    case SQLITE_IOERR:
      if (errno_seen == ENOSPC || errno_seen == EDQUOT) return store_fault::full;
      if (errno_seen == EROFS || errno_seen == EACCES || errno_seen == EPERM)
        return store_fault::read_only;
      return store_fault::other;
    case SQLITE_CORRUPT:
      return store_fault::corrupt;
    case SQLITE_NOTADB:
      return store_fault::not_ours;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return store_fault::denied;
    default:
      return store_fault::other;
  }
}

std::unique_ptr<connection> open_sqlite(const fs::path& path, const sqlite_options& options) {
  const std::string store = "sqlite:" + path.string();
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (exists && !fs::is_regular_file(path, ec))
    throw store_error(store_fault::not_ours,
                      store + ": " + path.string() + " is not a regular file; it is left as it is");
  const std::uintmax_t size = exists ? fs::file_size(path, ec) : 0;
  if (!exists && !options.create)
    throw store_error(store_fault::unreachable,
                      store + ": no history store there (nothing recorded yet)");
  if (exists && size > 0) check_header(path, size, store);
  const bool fresh = !exists || size == 0;
  if (fresh && options.read_only)
    throw store_error(store_fault::unreachable,
                      store + ": no history store there (nothing recorded yet)");
  if (!exists && path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      throw store_error(ec == std::errc::permission_denied || ec == std::errc::read_only_file_system
                            ? store_fault::read_only
                            : store_fault::unreachable,
                        store + ": cannot create the folder " + path.parent_path().string() + ": " +
                            ec.message());
  }
  const bool read_only = options.read_only || !can_write(path, exists);
  if (fresh && read_only)
    throw store_error(store_fault::read_only,
                      store + ": cannot create the store: " +
                          (path.has_parent_path() ? path.parent_path().string() : ".") +
                          " is not writable");

  handle h;
  const int flags = (read_only ? SQLITE_OPEN_READONLY
                               : SQLITE_OPEN_READWRITE | (fresh ? SQLITE_OPEN_CREATE : 0)) |
                    SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr);
  if (rc != SQLITE_OK) fail(h.db, rc, store, "cannot open");
  sqlite3_extended_result_codes(h.db, 1);
  sqlite3_busy_timeout(h.db, options.busy_timeout_ms);
  if (read_only && !fresh && !readable(h.db) && !has_wal(path)) {
    // A WAL store on read-only media (a read-only mount, a folder without write permission):
    // SQLite cannot make the -shm file it reads through. With no -wal file, every page is in the
    // main file, so it is read as an immutable file (https://www.sqlite.org/uri.html#uriimmutable).
    sqlite3_close_v2(h.release());
    rc = sqlite3_open_v2(immutable_uri(path).c_str(), &h.db,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) fail(h.db, rc, store, "cannot open");
    sqlite3_extended_result_codes(h.db, 1);
  }

  // Whose file is it? Read through SQLite (a write-ahead log may hold the newest header).
  auto is_ours = [&] {
    return query_int(h.db, "PRAGMA application_id", store) == kSqliteApplicationId;
  };
  auto is_empty = [&] { return query_int(h.db, "SELECT count(*) FROM sqlite_master", store) == 0; };
  if (!fresh && !is_ours())
    throw store_error(store_fault::not_ours,
                      store + ": " + path.string() +
                          " is an SQLite database of another program (application_id " +
                          std::to_string(query_int(h.db, "PRAGMA application_id", store)) +
                          ", not wslcuda's " + std::to_string(kSqliteApplicationId) +
                          "); it is left as it is");
  if (fresh) {
    // 8 KiB pages: an execution's row (its 101 quantiles, about 870 bytes) fills 4 KiB pages to
    // 85 %, 8 KiB pages to 95 %. Takes effect only while the file is still empty.
    sqlite3_exec(h.db, "PRAGMA page_size = 8192", nullptr, nullptr, nullptr);
    // Mark the new file as ours under the write lock: another process may have made it a store
    // (or something else) since we looked at it.
    rc = sqlite3_exec(h.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(h.db, rc, store, "cannot lock the new store");
    if (!is_ours()) {
      if (!is_empty() || query_int(h.db, "PRAGMA application_id", store) != 0) {
        sqlite3_exec(h.db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw store_error(store_fault::not_ours,
                          store + ": " + path.string() +
                              " became a database of another program while being opened; it "
                              "is left as it is");
      }
      rc = sqlite3_exec(h.db,
                        ("PRAGMA application_id = " + std::to_string(kSqliteApplicationId)).c_str(),
                        nullptr, nullptr, nullptr);
      if (rc != SQLITE_OK) {
        sqlite3_exec(h.db, "ROLLBACK", nullptr, nullptr, nullptr);
        fail(h.db, rc, store, "cannot mark the new store");
      }
    }
    rc = sqlite3_exec(h.db, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_exec(h.db, "ROLLBACK", nullptr, nullptr, nullptr);
      fail(h.db, rc, store, "cannot create the store");
    }
  }
  rc = sqlite3_exec(h.db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(h.db, rc, store, "cannot turn on foreign keys");
  if (!read_only) {
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(h.db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(h.db, rc, store, "cannot turn on WAL");
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the process
    // loses nothing, a power cut may lose the last recorded runs but never breaks the store
    // (https://www.sqlite.org/pragma.html#pragma_synchronous).
    sqlite3_exec(h.db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
  }
  return std::make_unique<sqlite_connection>(h.release(), store);
}

}  // namespace wslcuda::history
