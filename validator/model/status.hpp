#pragma once
// The outcome of every check and every result (README: the verdict and the exit-code table), after
// CUTLASS's profiler Disposition: a status with a message, never a bool.

#include <optional>
#include <string_view>
#include <vector>

namespace wslcuda {

/// pass: ran and met its bounds; warn: ran, with a caveat; fail: ran and is wrong or too slow;
/// skip: did not run (always says why); error: could not complete (timeout, crash, device lost).
enum class status { pass, warn, fail, skip, error };

/// "pass", "warn", "fail", "skip" or "error".
const char* to_string(status s) noexcept;
/// Inverse of to_string; nullopt for anything else.
std::optional<status> status_from_string(std::string_view text) noexcept;
/// Overall verdict: any fail or error → fail; else any warn → warn; else any pass → pass;
/// else skip (also for an empty list).
status aggregate(const std::vector<status>& statuses) noexcept;

}  // namespace wslcuda
