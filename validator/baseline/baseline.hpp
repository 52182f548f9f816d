#pragma once
// Reports and baselines as comparable documents: per workload id, the executions that measured
// it and the context that makes two documents comparable (GPU, driver, CUDA, OS, clocks,
// machines).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/json.hpp"
#include "model/run_report.hpp"

namespace wslcuda {

/// Semantic version of the baseline format. 1.1.0: entries carry `executions` (one per worker
/// execution, each with its machine and up to kBaselineQuantiles quantiles of its samples),
/// `bound` and `spread`; the context names its machines and sources. 1.0 files are read as one
/// execution per entry. 1.2.0: entries carry `timing_method` (to_string(timing_method), or
/// "mixed" when merged inputs were timed differently).
inline constexpr const char* kBaselineSchemaVersion = "1.2.0";

/// Samples kept per execution in a baseline file: the 0th, 1st, …, 100th percentiles of the
/// execution's samples (all of them when there are fewer). Enough for the hierarchical
/// bootstrap of the median; keeps a baseline of the full suite from two runs under 1 MB.
inline constexpr std::size_t kBaselineQuantiles = 101;

/// One execution (a worker process) of one workload.
struct comparable_execution {
  double value_s = 0.0;           ///< the per-execution statistic: the median of its samples
  std::vector<double> samples_s;  ///< seconds per run (or their quantiles, from a baseline)
  std::string machine;            ///< GPU UUID of the machine it ran on ("" = unknown)
  std::string source;             ///< the report it came from
  /// started_at of that report: with the machine and `index`, what makes an execution the same
  /// one when it reaches a merge twice (a report, and a baseline made from it).
  std::string run_started_at;
  std::size_t index = 0;  ///< its position among the row's executions in that report
  std::size_t n = 0;      ///< samples the execution took (samples_s may hold fewer: quantiles)
};

/// One workload's measurement. Times are seconds per run (lower is better).
struct comparable_entry {
  std::string id, family, precision;
  bound_kind bound = bound_kind::device;
  std::string bound_reason;
  std::string algorithm;  ///< what the vendor library ran (result_row::algorithm), "" for ours
  /// How the samples were taken: to_string(timing_method), "mixed" when a baseline merged rows
  /// timed differently, "" when unknown (baselines before 1.2.0, all captured before batches
  /// were replayed as CUDA graphs).
  std::string timing_method;
  std::vector<comparable_execution> executions;  ///< at least one
  double central_s = 0.0;                        ///< median of the executions' values
  /// Work per run in `unit` (FLOP or bytes): throughput × time, the same for every execution,
  /// so merging executions never rescales it; the throughput at the central time is
  /// work / central_s. Absent for rows without throughput.
  std::optional<double> work;
  std::string throughput_unit;  ///< the throughput's unit: "FLOP/s" or "B/s"
  bool passed = true;           ///< the row's status was pass (a baseline keeps only such rows)
};

/// What makes two documents comparable, and what a reader needs to trust a baseline.
struct comparable_context {
  std::string gpu_name;
  std::string compute_capability;  ///< "9.0"
  std::uint64_t memory_bytes = 0;
  std::string driver_version;  ///< NVML's, else the Windows one, else the kernel module's
  int cuda_driver_api_version = 0;
  int cuda_runtime_version = 0;
  std::string os;  ///< distro
  std::string kernel_release;
  bool is_wsl = false;
  int sm_clock_khz = 0, memory_clock_khz = 0;
  std::string captured_at;  ///< UTC ISO 8601
  std::string wslcuda_version, git_revision;
  std::vector<std::string> machines;  ///< distinct GPU UUIDs the executions ran on
  std::vector<std::string> sources;   ///< reports the document was made from
};

struct comparable_document {
  std::string kind;          ///< "report" or "baseline"
  std::string source;        ///< file name, for messages
  bool interrupted = false;  ///< a report of a run stopped early (summary.interrupted)
  /// Every id the document's run attempted, timed or not (a report's rows; a baseline's
  /// entries): the evidence a gate verdict rests on is counted over these.
  std::set<std::string> attempted;
  comparable_context context;
  std::vector<comparable_entry> entries;  ///< timed results only; ids unique
};

/// A baseline document (schema reports/schema/baseline.schema.json; its schema version already
/// checked) as a comparable document; `source` names it in errors. Throws input_error naming the
/// JSON pointer for anything malformed: wrong types, duplicate ids, non-positive or non-finite
/// samples. Reading a file that may be a report or a baseline is baseline/documents.hpp's.
comparable_document comparable_from_baseline_json(const json& doc, const std::string& source);
/// A run in memory as a comparable document (no JSON round trip): the device `device` of its
/// environment, its timed rows with their executions.
comparable_document comparable_from_report(const run_report& report, int device,
                                           const std::string& source);

/// One baseline from several reports or baselines of one GPU model: for each id, every
/// execution of every input, in input order, an execution met twice (same report start, machine,
/// place in its row and value, e.g. a report and a baseline made from it) only once; the bound is
/// the most host-dependent of the inputs'; rows that did not pass are left out. The context is the
/// first input's, with the machines and sources of all. Throws input_error naming both files when
/// the GPU models differ, when an input names no GPU or was interrupted, or when `inputs` is empty.
comparable_document merge_documents(const std::vector<comparable_document>& inputs);

/// The baseline file for `doc` (schema reports/schema/baseline.schema.json).
json baseline_to_json(const comparable_document& doc);

/// True when both contexts describe the same GPU model (name, case-insensitive, and compute
/// capability); baselines from other models are never gated against.
bool same_gpu_model(const comparable_context& a, const comparable_context& b);

/// Relative spread of execution values: (max − min) / median; 0 for fewer than two.
double execution_spread(const std::vector<comparable_execution>& executions);

}  // namespace wslcuda
