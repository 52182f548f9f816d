#pragma once
// The history store behind one small interface (open, exec, prepare/bind/step, transactions),
// with two thin adapters over the C client libraries: SQLite's (libsqlite3, the default, one
// file per machine) and PostgreSQL's (libpq, a fleet's shared server). The history code above
// this interface writes its DML once, with `?` placeholders, in the SQL subset both accept
// (HISTORY.md: INSERT … ON CONFLICT, RETURNING, window functions, ISO-8601 UTC text timestamps,
// 0/1 booleans, medians computed in C++); the PostgreSQL adapter rewrites `?` to $1, $2, …. Only
// the DDL differs per dialect (the numbered migrations). No ORM.
//
// Layer: history/ stands above baseline/ (it feeds the judge with baselines drawn from stored
// runs) and below report/ and cli/.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

namespace wslcuda::history {

/// The SQL dialect of a connection: decides the DDL of the migrations, nothing else.
enum class dialect { sqlite, postgresql };

/// Bytes stored as they are: SQLite BLOB, PostgreSQL BYTEA (a compressed report, an execution's
/// quantiles as little-endian IEEE 754 doubles). A type of its own so that binding picks the
/// binary type, never text.
struct blob {
  std::string bytes;
  bool operator==(const blob& other) const noexcept { return bytes == other.bytes; }
};

/// A statement parameter or a column value: NULL, a 64-bit integer, a double, text or bytes.
/// Text is bound as a parameter, never spliced into SQL, so any text a report holds (quotes,
/// semicolons, SQL) round-trips unchanged. Text must be valid UTF-8 without NUL bytes, which is
/// all PostgreSQL's text type holds (the history code passes report strings through
/// history::storable_text, and keeps exact bytes in blobs); SQLite would hold anything.
using value = std::variant<std::monostate, std::int64_t, double, std::string, blob>;

/// What went wrong with a store, so that callers can decide without reading prose: `run` warns
/// once and keeps its report and exit code for every kind; `history` commands exit 2 for
/// `not_ours`, `too_new`, `corrupt`, `bad_spec` and `bad_value` (the file, spec or value named is
/// not usable: bad input, as the issue asks for a truncated database), 5 for the others
/// (environment).
enum class store_fault {
  bad_spec,     ///< --history / WSLCUDA_HISTORY could not be parsed
  unreachable,  ///< the file's folder cannot be created, the server cannot be reached
  busy,         ///< locked past the busy timeout
  read_only,    ///< the file, its folder or the role cannot be written
  full,         ///< disk full (SQLITE_FULL, ENOSPC, PostgreSQL's 53100)
  corrupt,      ///< a damaged or truncated database
  not_ours,     ///< a database (or any file) that is not a wslcuda history store
  too_new,      ///< made by a newer wslcuda: schema version above what this build knows
  denied,       ///< the server refused the credentials or the privilege
  bad_value,    ///< a value the store cannot hold (PostgreSQL: text with a NUL byte, invalid
                ///< UTF-8, a number out of range): refused, never truncated
  other
};

/// True for the kinds that say the store or value named is not usable input (`bad_spec`,
/// `not_ours`, `too_new`, `corrupt`, `bad_value`): the `history` commands exit 2 for these, 5 for
/// the others.
inline bool is_input_fault(store_fault kind) noexcept {
  return kind == store_fault::bad_spec || kind == store_fault::not_ours ||
         kind == store_fault::too_new || kind == store_fault::corrupt ||
         kind == store_fault::bad_value;
}

/// A store error: its kind and a message that names the store (password redacted).
class store_error : public std::runtime_error {
 public:
  store_error(store_fault kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  store_fault kind() const noexcept { return kind_; }

 private:
  store_fault kind_;
};

/// A prepared statement of one connection. Parameters are 1-based in the order of their `?`
/// marks; columns are 0-based. Throws store_error.
class statement {
 public:
  virtual ~statement() = default;
  /// Binds parameter `index` (1-based).
  virtual void bind(int index, const value& v) = 0;
  /// Runs the statement on the first call, then moves to the next row; false when there is no
  /// (further) row. A statement without a result (INSERT without RETURNING) returns false.
  virtual bool step() = 0;
  /// Number of columns of the result.
  virtual int columns() const = 0;
  /// Column `index` (0-based) of the current row.
  virtual value column(int index) const = 0;
  /// Ready to bind and run again; bindings are cleared.
  virtual void reset() = 0;
};

/// One open connection to a store. Not thread-safe; one per process is the rule.
class connection {
 public:
  virtual ~connection() = default;
  virtual history::dialect dialect() const noexcept = 0;
  /// Runs SQL without parameters, possibly several statements (DDL, PRAGMA).
  virtual void exec(const std::string& sql) = 0;
  /// Prepares one statement written with `?` placeholders.
  virtual std::unique_ptr<statement> prepare(const std::string& sql) = 0;
  /// Starts a write transaction (SQLite: BEGIN IMMEDIATE, so two writers queue on the busy
  /// timeout instead of failing at commit).
  virtual void begin() = 0;
  virtual void commit() = 0;
  /// Never throws: used on error paths.
  virtual void rollback() noexcept = 0;
  /// The store for messages: "sqlite:/home/u/.local/share/wslcuda/history.db", or the
  /// PostgreSQL URI with its password replaced by "***".
  virtual std::string describe() const = 0;
};

}  // namespace wslcuda::history
