#pragma once
// The job a parent hands a worker on stdin (JSON), and the conversions it needs.

#include <cstdint>
#include <string>
#include <vector>

#include "measure/sampler.hpp"
#include "report/json_report.hpp"
#include "suite/target.hpp"

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

}  // namespace wslcuda
