#pragma once
// The process exit code is the gate (README, the exit-code table at the top).

#include <vector>

#include "model/status.hpp"

namespace wslcuda {

/// Exit codes of every wslcuda command.
enum exit_code : int {
  exit_ok = 0,        ///< everything that ran passed (warnings allowed unless --strict)
  exit_failed = 1,    ///< a correctness, performance or doctor failure
  exit_usage = 2,     ///< bad flag or unreadable / malformed input
  exit_unusable = 3,  ///< nothing could be validated: no driver, no device
  exit_internal = 4,  ///< a bug in wslcuda
  exit_output = 5,    ///< environment error writing an output (disk full, I/O error)
  /// The gate is inconclusive: too few rows were judged and passed for the policy's evidence
  /// rule (summary.gate.reason too_little_evidence), or none at all (nothing_judged: every row
  /// skipped, no results, no floor or baseline row attempted). Neither a pass nor a failure, so
  /// CI does not turn green on nothing (pytest gives "no tests collected" its own code, 5, for
  /// the same reason). `--allow-inconclusive` makes it exit_ok.
  exit_inconclusive = 6,
  exit_interrupted = 130,  ///< SIGINT (128 + 2)
};

/// Exit code of a run or doctor: exit_unusable when the environment cannot run anything; else
/// exit_failed when any status is fail or error, or (with `strict`) warn or `inconclusive`;
/// else exit_inconclusive when `inconclusive` and not `allow_inconclusive`; else exit_ok.
int exit_code_for(bool environment_usable, const std::vector<status>& statuses, bool strict,
                  bool inconclusive = false, bool allow_inconclusive = false) noexcept;

}  // namespace wslcuda
