#include "model/status.hpp"

#include <algorithm>

namespace wslcuda {

const char* to_string(status s) noexcept {
  switch (s) {
    case status::pass:
      return "pass";
    case status::warn:
      return "warn";
    case status::fail:
      return "fail";
    case status::skip:
      return "skip";
    case status::error:
      return "error";
  }
  return "error";
}

std::optional<status> status_from_string(std::string_view text) noexcept {
  for (status s : {status::pass, status::warn, status::fail, status::skip, status::error})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

status aggregate(const std::vector<status>& statuses) noexcept {
  auto any = [&](status s) {
    return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
  };
  if (any(status::fail) || any(status::error)) return status::fail;
  if (any(status::warn)) return status::warn;
  if (any(status::pass)) return status::pass;
  return status::skip;
}

}  // namespace wslcuda
