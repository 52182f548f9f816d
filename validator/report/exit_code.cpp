#include "report/exit_code.hpp"

#include <algorithm>

namespace wslcuda {

int exit_code_for(bool environment_usable, const std::vector<status>& statuses, bool strict,
                  bool inconclusive, bool allow_inconclusive) noexcept {
  if (!environment_usable) return exit_unusable;
  auto any = [&](status s) {
    return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
  };
  if (any(status::fail) || any(status::error)) return exit_failed;
  if (strict && (any(status::warn) || inconclusive)) return exit_failed;
  if (inconclusive && !allow_inconclusive) return exit_inconclusive;
  return exit_ok;
}

}  // namespace wslcuda
