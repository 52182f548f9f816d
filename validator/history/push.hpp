#pragma once
// Runs that reach a fleet's server late: recording a run where its store cannot be reached
// (record_with_fallback: the local SQLite store keeps it, marked "not pushed"), and sending a
// local store's runs to a server (push_runs, `wslcuda history push`). docs/fleet.md.
//
// A push is idempotent by run key and safe alongside other pushes and recorders: each run goes
// in one transaction on the server, inserted with ON CONFLICT DO NOTHING (the ingest role's
// INSERT and SELECT suffice), so a run pushed twice, or by two processes at once, is stored once
// with all its rows, and a push stopped anywhere (a lost connection, a killed server) leaves
// whole runs only: the same push later sends the rest.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "baseline/policy.hpp"
#include "history/change_store.hpp"
#include "history/record.hpp"
#include "history/store.hpp"
#include "history/store_spec.hpp"
#include "model/run_report.hpp"

namespace wslcuda::history {

/// One run of a push and what became of it.
struct push_entry {
  std::string run_key;
  bool sent = false;        ///< false: the server had it already
  std::size_t results = 0;  ///< result rows sent
  std::size_t done = 0;     ///< runs dealt with so far, this one included
  std::size_t total = 0;    ///< runs the server lacked when the push started
};

struct push_options {
  /// Called after each run is committed on the server (or found there).
  std::function<void(const push_entry&)> progress;
  /// Called inside a run's transaction on the server, just before COMMIT (tests kill the server
  /// there to prove that no half-written run remains).
  std::function<void(const std::string& run_key)> before_commit;
  /// A run whose transaction meets a deadlock or serialisation failure (store_fault::busy) is
  /// tried again, up to this many times in all.
  int attempts = 4;
};

struct push_outcome {
  std::size_t local = 0;    ///< runs in the local store
  std::size_t missing = 0;  ///< of which the server lacked at the start
  std::size_t sent = 0;     ///< runs this push stored on the server
  std::size_t results = 0;  ///< result rows this push stored
};

/// Sends every run of `from` whose run key `to` lacks, oldest first, each in one transaction on
/// `to`, with everything it refers to (machine, GPUs, driver, series: found by their natural
/// keys or inserted) and everything that belongs to it (the stored report, results, executions),
/// every column copied as stored. Each run sent or found is unmarked as pending in `from`.
/// Both stores must be migrated to the same schema version (open_store does).
/// Throws store_error: `to`'s faults name the server and say how many runs were sent before
/// (they stay: pushing again sends the rest); `from`'s name the local store.
push_outcome push_runs(connection& from, connection& to, const push_options& options = {});

/// The columns of `table` in the order of its definition (SQLite: pragma_table_info;
/// PostgreSQL: information_schema.columns of the current schema). Throws store_error: not_ours
/// when there is no such table.
std::vector<std::string> table_columns(connection& c, const std::string& table);

/// A run recorded in a local store while its own store could not be reached.
struct pending_push {
  std::int64_t run_id = 0;
  std::string run_key;
  std::string target;  ///< the store it was meant for, described (no password)
  std::string reason;  ///< the store error's message
  std::string since;   ///< UTC ISO 8601
};

/// Marks run `run_id` of `local` "not pushed" to `target` (a description without password).
void mark_pending(connection& local, std::int64_t run_id, const std::string& target,
                  const std::string& reason);

/// The runs of `local` marked "not pushed", oldest first.
std::vector<pending_push> pending_pushes(connection& local);

/// What record_with_fallback did.
struct fallback_outcome {
  bool recorded = false;  ///< the run is in a store (the one asked for, or the local fallback)
  bool pending = false;   ///< it is in the local store, marked "not pushed" to the one asked for
  std::string store;      ///< where it is, described (password hidden); "" when nowhere
  record_outcome record;  ///< record_run's outcome where it was recorded
  /// One line ("history: …", without a program name) when the store asked for was not written
  /// ("" when it was): what failed, where the run went instead, and the push that sends it later.
  std::string warning;
  /// The change-point re-analysis of the series the run touched, in the store it went to
  /// (history/change_store.hpp reanalyse_run); empty when the run was not added (recorded
  /// before, or nowhere) or the re-analysis failed.
  std::optional<change_analysis> analysis;
  /// One line for stderr when the re-analysis failed ("" otherwise); the run stays recorded.
  std::string analysis_warning;
};

/// Records `report` in the store `spec` names, as `run --history SPEC` does; never throws a
/// store_error (a store never costs a run its report or exit code):
/// - none: nothing;
/// - sqlite: record_run; a failure is a warning;
/// - postgresql: open_store and record_run (a busy server tried again, as in push_runs); when
///   that fails for any reason (unreachable, lost mid-run, denied, full…), the run is recorded
///   in the local store `local` (default: default_store_spec(), never the server), marked "not
///   pushed" (mark_pending), and the warning says so and names the push that sends it.
/// A run added is then re-analysed where it was recorded (reanalyse_run with `policy`, nullptr:
/// default_policy()), after its own transaction: a failure there is `analysis_warning`, never a
/// lost run.
fallback_outcome record_with_fallback(const store_spec& spec, const run_report& report,
                                      const record_options& options = {},
                                      const store_spec* local = nullptr,
                                      const gate_policy* policy = nullptr);

}  // namespace wslcuda::history
