#pragma once
// The SQLite adapter of the store interface (history/store.hpp): a thin layer over the SQLite C
// library (Debian's libsqlite3-dev, 3.40). One file per machine, written in WAL mode so that
// readers never block the writer, with a busy timeout so that two writers (two `run`s finishing
// at once) queue instead of failing, foreign keys on, and synchronous=NORMAL (a crash of the
// process loses nothing; a power cut may lose the last runs recorded, never the store).
//
// A file that is not a wslcuda store is refused before anything is written to it: not an SQLite
// file at all (a text file), an SQLite database of another program (its application_id is not
// ours), or a truncated one. Only a file that is new (absent or empty) is made a store.

#include <cstdint>
#include <filesystem>
#include <memory>

#include "history/store.hpp"

namespace wslcuda::history {

/// PRAGMA application_id of a wslcuda history store: the bytes "wslh" read as a big-endian
/// integer (SQLite file format, §1.3 "application ID": https://www.sqlite.org/fileformat.html).
inline constexpr std::int32_t kSqliteApplicationId = 0x77736c68;

/// How long a statement waits for another connection's lock before failing with
/// store_fault::busy: 10 s. A `run` records one report in a few tens of milliseconds (ci/
/// bench_history.sh), so 10 s covers hundreds of queued writers and still ends a wait on a store
/// locked by a process that hangs.
inline constexpr int kSqliteBusyTimeoutMs = 10000;

struct sqlite_options {
  int busy_timeout_ms = kSqliteBusyTimeoutMs;
  /// Open with SQLITE_OPEN_READONLY: never create, never write (writes fail with
  /// store_fault::read_only). Also chosen by open_sqlite when the file or its folder cannot be
  /// written.
  bool read_only = false;
  /// Create the file (and its folders) when it does not exist. When false, a missing file is
  /// store_fault::unreachable.
  bool create = true;
};

/// Opens (or creates, when absent or empty) the SQLite store at `path`, after checking that an
/// existing file is one: it must start with SQLite's header, hold application_id
/// kSqliteApplicationId and not be shorter than its header says. Sets the busy timeout, foreign
/// keys on and (when writable) WAL mode. Does not migrate: history::migrate does (open_store
/// does both). Throws store_error: not_ours (not SQLite, another program's database), corrupt
/// (truncated, malformed), read_only / unreachable (the folder cannot be created or read), busy.
std::unique_ptr<connection> open_sqlite(const std::filesystem::path& path,
                                        const sqlite_options& options = {});

/// The store_fault for an SQLite result code (primary or extended) and the errno SQLite saw:
/// BUSY/LOCKED → busy; READONLY → read_only; CANTOPEN → read_only when `errno_seen` is EACCES,
/// EPERM or EROFS, else unreachable; FULL → full; IOERR → full on ENOSPC/EDQUOT, read_only on
/// EROFS, else other; CORRUPT → corrupt; NOTADB → not_ours; PERM/AUTH → denied; else other.
store_fault sqlite_fault(int result_code, int errno_seen) noexcept;

}  // namespace wslcuda::history
