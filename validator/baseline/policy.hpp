#pragma once
// The gate policy: how large a slowdown must be before it fails a driver release. Versioned and
// kept in a file (default ci/gate-policy.json), not in code; default_policy() mirrors that file
// and a test keeps them equal.

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "report/json_report.hpp"

namespace wslcuda {

struct gate_policy {
  std::string policy_version = "builtin";
  double alpha = 0.05;              ///< significance level of the two-sided tests
  double default_min_ratio = 0.97;  ///< WSL ≥ 0.97 × bare metal for long kernels (DESIGN.md)
  std::map<std::string, double> family_min_ratio;         ///< e.g. latency, transfer: 0.90
  std::vector<std::pair<std::string, double>> overrides;  ///< id glob → min ratio, first match wins
  int bootstrap_resamples = 2000;
  std::string source = "built-in default";
};

/// DESIGN.md defaults: 0.90 for launch-bound families (latency, transfer, jit, nccl, managed,
/// p2p), 0.97 for everything else, α = 0.05.
gate_policy default_policy();

/// Minimum acceptable ratio for a result: the first matching override, else its family's, else
/// the default.
double min_ratio_for(const gate_policy& policy, const std::string& id, const std::string& family);

/// Reads a policy file (schema reports/schema/policy.schema.json). Throws input_error naming the
/// file and the JSON pointer: bad JSON, unknown schema major, alpha outside (0, 0.5], a ratio
/// outside (0, 1], resamples outside [100, 100000].
gate_policy read_policy_file(const std::filesystem::path& path);

/// The same from a parsed document; `source` names it in errors.
gate_policy parse_policy(const json& doc, const std::string& source);

}  // namespace wslcuda
