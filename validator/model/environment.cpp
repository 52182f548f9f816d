#include "model/environment.hpp"

namespace wslcuda {

bool environment_usable(const environment& env) noexcept {
  return env.no_device_reason.empty() && !env.devices.empty();
}

}  // namespace wslcuda
