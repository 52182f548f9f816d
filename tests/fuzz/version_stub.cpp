// The fuzz targets do not run the version generator.
#include "model/version.hpp"
namespace wslcuda {
const char* tool_version() noexcept {
  return "fuzz";
}
const char* git_revision() noexcept {
  return "fuzz";
}
}  // namespace wslcuda
