#pragma once
// The worker protocol, both ends: the job a parent hands a worker on stdin (JSON), and the result
// line the worker writes on stdout for each workload (kResultLinePrefix, then the row's JSON).

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "measure/sampler.hpp"
#include "model/json.hpp"
#include "model/result.hpp"
#include "model/row_json.hpp"
#include "model/target.hpp"

namespace wslcuda {

/// The workloads to run in one worker process, in order (one, or a group sharing the process).
struct worker_job {
  std::vector<std::string> ids;
  int device = 0;
  std::uint64_t seed = 0;
  bool quick = false;
  bool synthetic = false;  ///< register the synthetic family too
  target_info target;
  sampling_policy sampling;
};

/// The job as the JSON a worker reads on stdin (every field, target and sampling policy included).
json to_json(const worker_job& job);
/// Throws input_error naming the JSON pointer of a missing or mistyped field.
worker_job worker_job_from_json(const json& j);

/// Prefix of the one line a worker writes on stdout with its result (JSON follows on the line).
inline constexpr const char* kResultLinePrefix = "WSLCUDA-RESULT ";

/// Writes `row` as one result line (prefix, compact JSON, newline) and flushes, so the parent's
/// staged time limit sees it at once.
void write_result_line(std::ostream& os, const result_row& row);

/// The row in the worker's result line for `id` in `stdout_data`, if there is one that parses;
/// else nullopt, with `malformed` (when not null) saying why a line that claimed to be a result
/// did not parse, and `other_id` (when not null) the id of the last well-formed line for another
/// workload.
std::optional<result_row> find_result_line(const std::string& stdout_data, const std::string& id,
                                           std::string* malformed = nullptr,
                                           std::string* other_id = nullptr);

}  // namespace wslcuda
