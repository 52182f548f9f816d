#pragma once
// The process exit code is the gate (README, the exit-code table at the top).

#include <vector>

#include "model/status.hpp"

namespace wslcuda {

/// Exit codes of every wslcuda command.
enum exit_code : int {
  exit_ok = 0,             ///< everything that ran passed (warnings allowed unless --strict)
  exit_failed = 1,         ///< a correctness, performance or doctor failure
  exit_usage = 2,          ///< bad flag or unreadable / malformed input
  exit_unusable = 3,       ///< nothing could be validated: no driver, no device
  exit_internal = 4,       ///< a bug in wslcuda
  exit_output = 5,         ///< environment error writing an output (disk full, I/O error)
  exit_interrupted = 130,  ///< SIGINT (128 + 2)
};

/// Exit code of a run or doctor: exit_unusable when the environment cannot run anything; else
/// exit_failed when any status is fail or error, or (with `strict`) warn; else exit_ok.
int exit_code_for(bool environment_usable, const std::vector<status>& statuses,
                  bool strict) noexcept;

}  // namespace wslcuda
