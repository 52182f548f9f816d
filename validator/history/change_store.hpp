#pragma once
// Change points in the store (issue 24; docs/change-points.md, "Stored change points", "Triage"):
// the runs of a series read from the store, analysed with history/driver_changes.hpp per machine
// (every row) and per GPU model and platform on the per-driver median across machines (rows not
// bound by the host), and the result kept in `change_points` so that a change alerts once:
//  - a change point is identified by (series, scope, driver where the row moved); found again it
//    keeps its row, its key and its triage; no longer found it is kept, marked found = 0 (never
//    deleted: its triage and notes stay, a change that comes back is the same change, and the
//    fleet's ingest role, which re-analyses after recording, holds no DELETE);
//  - triage (acknowledged, invalid, fixed, or new again) is a decision about a row at a driver
//    (`change_triage`), shown by every scope's change point of that row and driver.
// Nothing here prints; the CLI and report/changes_report.hpp show what these return.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "baseline/policy.hpp"
#include "history/driver_changes.hpp"
#include "history/store.hpp"

namespace wslcuda::history {

/// A change point's state as shown: the triage's decision when there is one (other than `new`),
/// else the analysis's (`new`, `tentative` or `fixed`).
enum class change_state {
  new_,          ///< "new": found, confirmed (3 points or more after it), not triaged
  tentative,     ///< found with fewer than kMinPointsAfterConfirmed points after it
  acknowledged,  ///< expected (a documented driver change): does not alert again
  invalid,       ///< not a real change (noise, a broken machine): with a reason
  fixed,         ///< a later driver restored the level (found by the analysis, or said so)
};

/// "new", "tentative", "acknowledged", "invalid", "fixed".
const char* to_string(change_state s) noexcept;

/// The state named `text` (as to_string writes it); nullopt for anything else.
std::optional<change_state> parse_change_state(const std::string& text);

/// Which way is better for a stored metric: a name ending in "_per_s" (a throughput such as
/// "busbw_bytes_per_s") is higher-is-better; any other ("median_s", "per_node_s": seconds) is
/// lower-is-better.
metric_sense sense_of_metric(const std::string& metric);

/// One point of an analysed scope, for charts: in the order analysed.
struct scope_point {
  std::string driver;  ///< driver version
  std::string time;    ///< the run's start (a machine); the driver's earliest run (a model)
  double value = 0;    ///< the central value (seconds for median_s)
};

/// Which series a change belongs to, and in which scope.
struct change_scope {
  std::int64_t series_id = 0;
  std::string workload_id, metric, gpu_model, platform;
  std::int64_t machine_id = 0;  ///< 0: across the GPU model's machines (per-driver medians)
  std::string machine_key;      ///< "" across machines
  std::size_t machines = 1;     ///< machines behind the points
  /// True when the scope is a GPU model's median across machines.
  bool across_machines() const noexcept { return machine_id == 0; }
};

/// A change point as analysed and stored.
struct change_record {
  std::int64_t id = 0;  ///< its row in change_points; 0 when it could not be stored
  /// SHA-256 (hex) of its identity: "wslcuda change point 1\n" workload id "\n" metric "\n" GPU
  /// model "\n" platform "\n" (machine key, or "*" across machines) "\n" driver version "\n"
  /// CUDA driver API level. The same change has the same key in every store.
  std::string key;
  change_scope scope;
  std::int64_t driver_before_id = 0, driver_after_id = 0;
  std::string driver_before;                 ///< driver version of the point before the change
  std::string driver;                        ///< driver version where the row moved
  int cuda_driver_api = 0;                   ///< of `driver`
  double value_before = 0, value_after = 0;  ///< segment means either side (the metric's unit)
  double relative_change = 0;                ///< value_after / value_before − 1
  double magnitude = 0;  ///< Otava's max(|after/before − 1|, |before/after − 1|)
  double p_value = 1;    ///< Otava's two-sided Student-t p-value of the segments
  change_direction direction = change_direction::regression;
  std::size_t points_before = 0, points_after = 0;  ///< points of the segments either side
  std::size_t runs_before = 0, runs_after = 0;      ///< runs behind them
  std::string parameters;  ///< JSON: the detector's parameters that found it
  change_state analysis_state = change_state::new_;  ///< new, tentative or fixed
  change_state state = change_state::new_;           ///< as shown (triage first)
  std::string note;                                  ///< the triage's note ("" when none)
  std::string triaged_at;                            ///< "" when never triaged
  std::string restored_by;  ///< the driver that restored the level (analysis `fixed`)
  std::int64_t restored_by_driver_id = 0;  ///< its id; 0 when none
  bool found = true;                       ///< the latest analysis of its scope still finds it
  std::string detected_at, updated_at;     ///< UTC ISO 8601
  /// The analysed points of its scope and the index of the first point after the change
  /// (filled by an analysis, empty when read back from the store).
  std::vector<scope_point> points;
  std::size_t index = 0;
};

/// A split inside one driver's runs that is not a change (driver_changes.hpp): reported by an
/// analysis, not stored.
struct instability_record {
  change_scope scope;
  std::string driver;
  std::size_t points = 0;  ///< the driver's points in the scope
  double relative_change = 0, p_value = 1;
  instability_reason reason = instability_reason::one_driver;
};

/// A scope with too few points for detection (fewer than kMinPointsForDetection).
struct unanalysed_scope {
  change_scope scope;
  std::size_t points = 0;
};

/// What an analysis found and did to the store.
struct change_analysis {
  std::vector<change_record> changes;  ///< found now (every state), by series then scope
  std::vector<instability_record> instabilities;
  std::vector<unanalysed_scope> too_few;  ///< scopes with 1 to 4 points: no detection
  std::size_t series = 0;                 ///< series read
  std::size_t points = 0;                 ///< points read (one per run and series)
  std::size_t scopes = 0;    ///< scopes with points (series × machine, series × GPU model)
  std::size_t analysed = 0;  ///< scopes with enough points for detection
  bool stored = false;       ///< the store's change points were brought up to date
  std::string not_stored;    ///< why not, when asked and refused (a read-only store or role)
  std::size_t inserted = 0, updated = 0, retracted = 0;  ///< rows written
};

/// Which series an analysis reads: every series of `metric` whose GPU model matches `gpu` (a
/// case-insensitive glob, "" for all) on `platform` ("wsl", "linux", "" for both).
struct change_selection {
  std::string gpu, platform;
  std::string metric = "median_s";
};

/// Analyses every series `selection` names, every machine's scope and every GPU model's, on the
/// usable points (a row whose measured status is pass with a finite central value above 0, in a
/// run neither excluded nor interrupted), with detector_params_for(policy, workload id); then,
/// when `store` is true, brings their stored change points up to date in one transaction
/// (inserts, updates, marks found = 0) and reads the triage. A store that refuses the write
/// because of the role or a read-only file (store_fault denied, read_only) is not an error:
/// `not_stored` says so and the triage is still read. Throws store_error for other faults.
change_analysis analyse_store(connection& c, const change_selection& selection,
                              const gate_policy& policy, bool store = true);

/// After recording: re-analyses only the series the runs `run_keys` have points in (metric
/// median_s), in the scopes of those runs' machines and their GPU models, and stores the result
/// as analyse_store does (here a refused write throws). Unknown keys are ignored. Throws
/// store_error; the runs themselves are committed before and never touched.
change_analysis reanalyse_runs(connection& c, const std::vector<std::string>& run_keys,
                               const gate_policy& policy);

/// reanalyse_runs for one run.
change_analysis reanalyse_run(connection& c, const std::string& run_key, const gate_policy& policy);

/// The change points stored for series of `selection` (found or not), with their triage, oldest
/// first. Throws store_error.
std::vector<change_record> stored_changes(connection& c, const change_selection& selection);

/// What `history triage` did.
struct triage_outcome {
  change_state state = change_state::new_;
  std::string note;
  std::string key;  ///< the change point named, whole
  /// Every stored change point of that row and driver (each scope), as they are now.
  std::vector<change_record> covered;
};

/// Triage of the change point whose key starts with `change` (4 to 64 hex digits): records
/// `state` (acknowledged, invalid, fixed, or new to undo a decision) with `note` for its row and
/// driver; an empty note keeps the one recorded before. Throws input_error for a key that is not
/// hex, too short, names no change point or several, for `tentative` (the analysis's state), and
/// for `invalid` without a note; store_error for the store (denied: the role may not triage).
triage_outcome triage_change(connection& c, const std::string& change, change_state state,
                             const std::string& note);

/// A row's last acknowledged change, for baselines drawn from the store.
struct acknowledged_change {
  std::string driver;  ///< where the row moved
  std::int64_t driver_sort_key = 0;
  int cuda_driver_api = 0;
  std::string key;  ///< the change point named when it was acknowledged
};

/// Per workload id, the newest driver not newer than (`max_sort_key`, `max_api`) at which a
/// change of the row on `gpu_model` and `platform` (metric median_s) is acknowledged and still
/// found, in the scope of the machine `machine_key` or across the model's machines. Throws
/// store_error.
std::map<std::string, acknowledged_change> acknowledged_changes(
    connection& c, const std::string& gpu_model, const std::string& platform,
    const std::string& machine_key, std::int64_t max_sort_key, int max_api);

/// The change key of an identity (see change_record::key).
std::string change_key(const std::string& workload_id, const std::string& metric,
                       const std::string& gpu_model, const std::string& platform,
                       const std::string& machine_key, const std::string& driver, int cuda_api);

}  // namespace wslcuda::history
