#pragma once
// Reports and baselines as comparable documents: per workload id, the executions that measured
// it and the context that makes two documents comparable (GPU, driver, CUDA, OS, clocks,
// machines).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/json_report.hpp"

namespace wslcuda {

/// Semantic version of the baseline format. 1.1.0: entries carry `executions` (one per worker
/// execution, each with its machine and up to kBaselineQuantiles quantiles of its samples),
/// `bound` and `spread`; the context names its machines and sources. 1.0 files are read as one
/// execution per entry.
inline constexpr const char* kBaselineSchemaVersion = "1.1.0";

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
};

/// One workload's measurement. Times are seconds per run (lower is better).
struct comparable_entry {
  std::string id, family, precision;
  bound_kind bound = bound_kind::device;
  std::string bound_reason;
  std::string algorithm;  ///< what the vendor library ran (result_row::algorithm), "" for ours
  std::vector<comparable_execution> executions;  ///< at least one
  double central_s = 0.0;                        ///< median of the executions' values
  std::optional<double> throughput;  ///< value at the central time, in `throughput_unit`
  std::string throughput_unit;
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
  std::string kind;    ///< "report" or "baseline"
  std::string source;  ///< file name, for messages
  comparable_context context;
  std::vector<comparable_entry> entries;  ///< timed results only; ids unique
};

/// Reads a report or a baseline (told apart by `kind` / `tool`). Throws input_error naming the
/// file and the JSON pointer for anything malformed: wrong types, an unknown schema major,
/// duplicate ids, non-positive or non-finite samples.
comparable_document load_comparable(const std::filesystem::path& path);
/// The same from an already parsed document; `source` names it in errors.
comparable_document comparable_from_json(const json& doc, const std::string& source);
/// A run in memory as a comparable document (no JSON round trip): the device `device` of its
/// environment, its timed rows with their executions.
comparable_document comparable_from_report(const run_report& report, int device,
                                           const std::string& source);

/// One baseline from several reports or baselines of one GPU model: for each id, every
/// execution of every input, in input order; the context of the first input, with the machines
/// and sources of all. Throws input_error naming both files when the GPU models differ, when an
/// input names no GPU, or when `inputs` is empty.
comparable_document merge_documents(const std::vector<comparable_document>& inputs);

/// The baseline file for `doc` (schema reports/schema/baseline.schema.json).
json baseline_to_json(const comparable_document& doc);

/// True when both contexts describe the same GPU model (name, case-insensitive, and compute
/// capability); baselines from other models are never gated against.
bool same_gpu_model(const comparable_context& a, const comparable_context& b);

/// Relative spread of execution values: (max − min) / median; 0 for fewer than two.
double execution_spread(const std::vector<comparable_execution>& executions);

}  // namespace wslcuda
