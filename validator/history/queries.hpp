#pragma once
// Reading the store: the runs (`history list`), the series of a row across runs (`history
// trend`), reports rebuilt for `html` and `export`, baselines drawn from stored runs (`history
// baseline`, `--baseline history`), and excluding a run. The command line prints what these
// return; they print nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "history/store.hpp"
#include "model/report_json.hpp"
#include "model/run_report.hpp"

namespace wslcuda::history {

/// Which runs: every filter that is empty matches everything.
struct run_filter {
  std::string gpu;       ///< glob over the GPU model, case-insensitive ("*H200*", "NVIDIA H200")
  std::string platform;  ///< "wsl" or "linux"
  std::string driver;    ///< a driver version exactly as listed ("552.22", "580.65.06")
  bool include_excluded = true;
};

/// One stored run, as `history list` shows it.
struct run_summary {
  std::int64_t id = 0;
  std::string run_key;  ///< 64 hex digits; commands accept any unique prefix (8 or more)
  std::string started_at, finished_at, command;
  std::string machine_key, cpu;
  std::string gpu_uuid, gpu_model;  ///< "" when the run measured no device
  std::string compute_capability;   ///< "9.0"; "" when no device
  std::string platform;             ///< "wsl" or "linux"
  std::string driver_version;       ///< "" when unknown
  std::int64_t driver_sort_key = 0;
  int cuda_driver_api = 0;
  std::string verdict;
  int exit_code = 0;
  std::int64_t results = 0;
  bool interrupted = false, excluded = false;
  std::string excluded_reason;
  std::string source, tool_version;
};

/// Runs matching `filter`, oldest first (started_at, then id). Throws store_error.
std::vector<run_summary> list_runs(connection& c, const run_filter& filter);

/// One point of a series.
struct trend_point {
  std::string workload_id, metric, gpu_model, platform;  ///< the series
  std::string driver_version;
  std::int64_t driver_sort_key = 0;
  int cuda_driver_api = 0;
  std::string started_at, run_key, machine_key, gpu_uuid;
  std::string status;
  std::optional<double> value;  ///< central seconds (metric median_s) or the metric's value
  std::optional<double> throughput;
  std::string throughput_unit;
  std::int64_t executions = 0;
  std::optional<double> spread;
  bool excluded = false, interrupted = false;
};

/// The points of the series of `ids` (workload ids or globs over them; ids of older reports are
/// renamed as `gate` renames them) and `metric` ("median_s": the central time), for the GPU
/// models and platforms of `filter` (its driver filter applies to points), ordered by series
/// (workload id, GPU model, platform), then driver (sort key, CUDA driver API level), then time.
/// Throws store_error.
std::vector<trend_point> trend(connection& c, const std::vector<std::string>& ids,
                               const run_filter& filter, const std::string& metric = "median_s");

/// A stored report rebuilt: the report as recorded, each execution's samples replaced by the
/// quantiles the store keeps (timing.values_s holds them, executions[].samples counts them), and
/// `source`, `tool_version`, `git_revision`, `schema_version` as recorded. Throws store_error
/// (corrupt when the stored report cannot be read back; other when there is no such run).
loaded_report rebuild_report(connection& c, std::int64_t run_id);

/// Every run matching `filter` rebuilt (rebuild_report), oldest first.
std::vector<loaded_report> rebuild_reports(connection& c, const run_filter& filter);

/// A stored run as a comparable document, as `baseline capture` takes a report file: its
/// executions' quantiles, their true sample counts, machine, start and index. `source` names it.
comparable_document stored_run_document(connection& c, const run_summary& run);

/// The runs `history baseline` takes.
struct baseline_selection {
  std::string gpu;                 ///< GPU model (glob, case-insensitive); required
  std::string platform = "linux";  ///< bare metal by default; "wsl" for WSL-vs-WSL baselines
  std::string driver;              ///< exactly this driver version, or
  std::string before;              ///< the newest driver older than this version
};

/// A baseline drawn from stored runs and what it rests on.
struct stored_baseline {
  comparable_document document;   ///< kind "baseline", ready for baseline_to_json or the judge
  std::vector<run_summary> runs;  ///< the runs it was made from, oldest first
  std::string why;                ///< the source and the runs it rests on, in words
};

/// Runs that may serve as a baseline: command `run`, exit code 0 or 6 (every row that ran
/// passed; 6: the gate judged too little, which says nothing against the measurement), not
/// interrupted, not excluded.
bool usable_as_baseline(const run_summary& run);

/// `history baseline`: the usable runs of one GPU model on `platform`, on one driver (`driver`;
/// else the newest older than `before`; else the newest), merged as `baseline capture` merges
/// report files (merge_documents: rows that did not pass left out). Throws input_error when no
/// run fits or the glob names several GPU models; store_error for the store.
stored_baseline baseline_from_store(connection& c, const baseline_selection& selection);

/// `--baseline history` for `candidate` (a run in memory or a report read back):
///  1. this machine's runs: the same GPU UUID on the same platform, usable (usable_as_baseline),
///     on the newest driver older than the candidate's (driver sort key, then CUDA driver API);
///     a row whose change at a newer driver (not newer than the candidate's) was acknowledged
///     (history/change_store.hpp acknowledged_changes: this machine's scope or the GPU model's)
///     takes its entry instead from this machine's usable runs on the newest driver not newer
///     than the candidate's, its own included, when that driver is not older than the change,
///     and has no entry otherwise: an acknowledged change does not fail the gate again;
///  2. without those, the same GPU model's (name, case-insensitive, and compute capability)
///     bare-metal runs: platform linux, usable, on the newest driver (for a Linux candidate, not
///     newer than its own).
/// The candidate itself is never its own baseline: neither the same report (run key) nor the same
/// measurement judged again (same GPU UUID and started_at: `gate` of a recorded report). nullopt
/// when neither exists; `why` then says what was looked for. Throws store_error.
std::optional<stored_baseline> choose_history_baseline(connection& c, const run_report& candidate);

/// The same as choose_history_baseline, as the judge takes it: the document, with `why` naming
/// the source and the runs it rests on (dates, drivers), or why there is none. The number of
/// runs is document->context.sources.size() (`--baseline auto` prefers a history baseline of at
/// least two runs).
std::optional<comparable_document> history_baseline(connection& c, const run_report& candidate,
                                                    std::string& why);

/// Marks the run whose key starts with `run` (8 or more hex digits, or the whole key) excluded
/// from baselines and analysis with `reason` (kept in the store). Returns the run as it is now.
/// Throws input_error when `run` is not hex, too short, matches no run or several; store_error.
run_summary exclude_run(connection& c, const std::string& run, const std::string& reason);

}  // namespace wslcuda::history
