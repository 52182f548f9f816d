#pragma once
// Recording reports in the store: one report, one transaction. A run is keyed by a hash of its
// report's canonical content, so recording (or importing) the same report twice adds nothing.
// docs/history.md describes the tables and the fields of a machine's and a series' identity.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "baseline/policy.hpp"
#include "history/change_store.hpp"
#include "history/store.hpp"
#include "model/report_json.hpp"
#include "model/run_report.hpp"

namespace wslcuda::history {

/// Where and on what a report ran, as the store keys it.
struct run_identity {
  std::string platform;            ///< "wsl" (host.is_wsl) or "linux"
  int device = 0;                  ///< the device the rows ran on: results[0].device, else 0
  std::string gpu_uuid;            ///< that device's UUID ("" when the report names no such device)
  std::string gpu_model;           ///< its name, e.g. "NVIDIA H200" ("" when none)
  std::string compute_capability;  ///< "9.0" ("" when none)
  /// WSL: the Windows driver version from DXCore ("552.22"), else NVML's; Linux: the kernel
  /// module's ("580.65.06"), else NVML's; "" when unknown.
  std::string driver_version;
  std::int64_t driver_sort_key = 0;  ///< driver_sort_key(driver_version)
  int cuda_driver_api = 0;           ///< driver.cuda_driver_api, e.g. 13000
  std::string gpu_uuids;             ///< every device's UUID, sorted, comma-separated
  std::string cpu;                   ///< host.cpu
  std::string machine_key;           ///< SHA-256 hex of platform "\n" gpu_uuids "\n" cpu
};

/// The identity fields of `report` (see run_identity).
run_identity identity_of(const run_report& report);

/// A number that orders driver releases: the first four runs of digits of `version` (each
/// capped at 99999) as f1·10^15 + f2·10^10 + f3·10^5 + f4, so "552.22" < "552.44" < "560.70" and
/// "580.65.06" < "580.159.04". 0 for a version without digits.
std::int64_t driver_sort_key(const std::string& version);

/// The run key: SHA-256 (hex) of the measurement's JSON (report_to_json of the report with its
/// judgement cleared: no baseline or floor blocks, no summary.gate, the verdicts that follow
/// from the measurement alone, exit code 0) in a canonical binary form (objects' members sorted
/// by key, numbers as their binary values, so neither layout nor number formatting matter; the
/// encoding is in record.cpp, canonical_hash), without the members that say who wrote the
/// document rather than what it holds (tool.version, tool.git_revision) and without a top-level
/// `history` member (where the run was recorded). A report file written by `run`, the same
/// report judged again by `gate`, and the run in memory have one key.
std::string run_key(const run_report& report);

/// Who recorded a report and from where (columns of `runs`).
struct record_options {
  std::string source;          ///< the report file as named; "" → "run"
  std::string tool_version;    ///< the wslcuda that wrote the report; "" → this build's
  std::string git_revision;    ///< "" → this build's
  std::string schema_version;  ///< the report's schema_version; "" → this build's
  std::string recorded_at;     ///< UTC ISO 8601; "" → now
  /// Called inside the transaction after every row is written, just before COMMIT (tests kill
  /// the process there to prove that no partial run remains).
  std::function<void()> before_commit;
};

struct record_outcome {
  bool added = false;  ///< false: a run with the same key was recorded before; nothing changed
  std::string run_key;
  std::int64_t run_id = 0;  ///< the run's id in the store (the earlier one when !added)
  std::size_t results = 0;  ///< result rows written (0 when !added)
};

/// Records `report` in one write transaction: its machine, GPU, driver and series (created when
/// new), the run (interrupted runs marked, and never used as a baseline), one result per row and
/// metric, every execution's statistics and quantiles (kBaselineQuantiles), and the report itself
/// without its samples, compressed (enough to rebuild it: history/queries.hpp rebuild_report).
/// Text is passed through storable_text. Throws store_error (the transaction rolled back:
/// nothing of the run remains).
record_outcome record_run(connection& c, const run_report& report,
                          const record_options& options = {});

/// record_run for a report read from a file: source, tool version, git revision and schema
/// version from `loaded`.
record_outcome record_loaded(connection& c, const loaded_report& loaded);

/// One file met by import_paths and what became of it.
struct import_entry {
  std::string file;
  bool added = false;
  bool skipped = false;  ///< a JSON file in a folder that is not a wslcuda report (a baseline…)
  std::string run_key;
  std::size_t results = 0;
  std::string error;  ///< why it could not be read (input_error's message); "" when fine
};

/// The change-point re-analysis that follows an import (history/change_store.hpp).
struct import_analysis {
  bool enabled = true;                  ///< false: record only
  const gate_policy* policy = nullptr;  ///< the detector's settings; nullptr: default_policy()
  /// What the re-analysis found and stored.
  std::function<void(const change_analysis&)> done;
  /// Why it could not be done (a store fault, a bad setting): the runs stay recorded.
  std::function<void(const std::string&)> failed;
};

/// Imports reports: each path is a report file or a folder, whose *.json files (not recursing,
/// by name) are taken, skipping JSON documents that are not wslcuda reports. Each report is
/// recorded in its own transaction (record_loaded); a file that cannot be read as a report is
/// listed with its error and the others are still imported. `progress` (optional) sees each
/// entry as it is done. Then, unless `analysis.enabled` is false, the series the added runs
/// touched are re-analysed once for all of them (reanalyse_runs), in a transaction of its own:
/// its failure goes to `analysis.failed` and never undoes a recorded run. Throws store_error (a
/// store fault while recording stops the import; what was recorded stays).
std::vector<import_entry> import_paths(
    connection& c, const std::vector<std::string>& paths,
    const std::function<void(const import_entry&)>& progress = {},
    const import_analysis& analysis = {});

}  // namespace wslcuda::history
