#pragma once
// Which store a command uses: `--history SPEC`, else the environment's WSLCUDA_HISTORY, else the
// default file. SPEC is `sqlite:PATH`, `postgresql://…` (or `postgres://…`, libpq's URI forms),
// `postgresql:KEYWORDS` (a libpq keyword string; docs/fleet.md) or `none` (record nothing, read
// nothing). open_store opens it and brings its schema up to date.

#include <filesystem>
#include <memory>
#include <string>

#include "history/sqlite_store.hpp"
#include "history/store.hpp"

namespace wslcuda::history {

enum class store_kind { none, sqlite, postgresql };

struct store_spec {
  store_kind kind = store_kind::none;
  /// sqlite: the file (a leading "~/" expanded from $HOME); postgresql: the URI as given; none: "".
  std::string target;
  /// Where it came from, for messages: "--history", "WSLCUDA_HISTORY" or "default".
  std::string origin = "default";
};

/// Parses SPEC: "none"; "sqlite:PATH" (PATH not empty; "~/" expanded); "postgresql://…",
/// "postgres://…" or "postgresql:KEYWORDS" (history/postgres_spec.hpp). Throws
/// store_error(bad_spec) naming `origin` and the text for anything else.
store_spec parse_store_spec(const std::string& text, const std::string& origin = "--history");

/// The default store: sqlite:$XDG_DATA_HOME/wslcuda/history.db when XDG_DATA_HOME is an absolute
/// path (the XDG Base Directory Specification ignores relative ones), else
/// sqlite:$HOME/.local/share/wslcuda/history.db (HOME from the password database when unset).
store_spec default_store_spec();

/// The store a command uses: `option` (the --history value) when not empty, else
/// WSLCUDA_HISTORY when set and not empty, else default_store_spec(). Throws as parse_store_spec.
store_spec resolve_store_spec(const std::string& option);

/// The store for messages: "sqlite:/home/u/.local/share/wslcuda/history.db", the PostgreSQL URI
/// with its password replaced by "***", or "none".
std::string describe(const store_spec& spec);

/// How open_store opens a store.
struct open_options {
  /// Create a missing SQLite file (recording, importing). When false, a missing file is
  /// store_fault::unreachable ("nothing recorded yet"): reading never creates a store.
  bool create = true;
  /// Open for reading only: nothing is created, migrated or written.
  bool read_only = false;
  int busy_timeout_ms = kSqliteBusyTimeoutMs;
};

/// Opens the store and migrates it (history::migrate) unless read-only. Throws store_error:
/// bad_spec for `none` (nothing to open); the
/// adapters' faults (not_ours, corrupt, too_new, read_only, busy, …) otherwise.
std::unique_ptr<connection> open_store(const store_spec& spec, const open_options& options = {});

/// True when the store has something to read: an SQLite file that exists and is not empty (an
/// empty file holds no store, and a reading command must not make it one); always true for
/// PostgreSQL; false for none.
bool store_exists(const store_spec& spec);

}  // namespace wslcuda::history
