#pragma once
// Reports and baselines as comparable documents: per workload id, the timing samples and the
// context that makes two documents comparable (GPU, driver, CUDA, OS, clocks).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/json_report.hpp"

namespace wslcuda {

/// Semantic version of the baseline format.
inline constexpr const char* kBaselineSchemaVersion = "1.0.0";

/// One workload's measurement: samples are seconds per run (lower is better).
struct comparable_entry {
  std::string id, family, precision;
  std::vector<double> samples_s;
  double median_s = 0.0;
  std::optional<double> throughput;  ///< value at the median, in `throughput_unit`
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

/// The baseline file for `doc` (schema reports/schema/baseline.schema.json).
json baseline_to_json(const comparable_document& doc, const std::string& source_report);

/// True when both contexts describe the same GPU model (name, case-insensitive, and compute
/// capability); baselines from other models are never gated against.
bool same_gpu_model(const comparable_context& a, const comparable_context& b);

}  // namespace wslcuda
