#pragma once
// The store's schema as numbered migrations (validator/history/migrations/NNNN_name.sql,
// embedded at build time by cmake/embed_migrations.cmake), one text for both dialects with a few
// tokens replaced per dialect, and the runner that brings a store up to date: in one write
// transaction, recorded in the table wslcuda_migrations. A store made by a newer wslcuda (a
// version above the newest this build knows) is refused, never altered. After Bencher's and
// Conbench's numbered migrations (HISTORY.md).

#include <cstddef>
#include <string>
#include <vector>

#include "history/store.hpp"

namespace wslcuda::history {

/// One migration file as embedded: its file name ("0001_initial.sql") and its text.
struct embedded_migration {
  const char* file;
  const char* sql;
};

/// A migration: version (the file name's leading number), name and text (tokens unreplaced).
struct migration {
  int version = 0;
  std::string name;  ///< "initial"
  std::string sql;
};

/// The embedded migrations in version order. Their versions are 1, 2, … without gaps (checked;
/// std::logic_error otherwise: a build defect).
const std::vector<migration>& migrations();

/// The schema version this build makes and understands: the newest migration's.
int latest_schema_version();

/// `sql` with the dialect tokens replaced: {{ID}} (an identity primary key), {{INT}} (64-bit
/// integer), {{REAL}} (double), {{BLOB}} (bytes), {{STRICT}} (SQLite's STRICT table option). The
/// table is in migrations/0001_initial.sql. Throws std::logic_error for any other {{…}} token.
std::string render_sql(const std::string& sql, dialect d);

/// The store's schema version: the highest recorded in wslcuda_migrations, 0 for a store without
/// that table (new). Reads only.
int schema_version(connection& c);

/// Brings the store up to latest_schema_version(): nothing when it is there already (a read-only
/// store stays readable); else, in one write transaction (begin(); on PostgreSQL first
/// `SELECT pg_advisory_xact_lock(kMigrationLockKey)` so that concurrent wslcuda processes migrate
/// one after the other), the version is read again and every missing migration is run and
/// recorded (version, name, applied_at, tool version). Throws store_error: too_new (naming both
/// versions) for a store above this build's version, before writing anything; the adapter's
/// faults otherwise (the transaction is rolled back).
void migrate(connection& c);

/// The PostgreSQL advisory lock key of migrations: the bytes "wslcudaM" read as a big-endian
/// 64-bit integer.
inline constexpr long long kMigrationLockKey = 0x77736c637564614dLL;

}  // namespace wslcuda::history
