#include "model/row_error.hpp"

namespace wslcuda {

const char* to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::exception:
      return "exception";
    case error_kind::cuda:
      return "cuda";
    case error_kind::invalid_result:
      return "invalid_result";
    case error_kind::timeout:
      return "timeout";
    case error_kind::crash:
      return "crash";
    case error_kind::worker:
      return "worker";
    case error_kind::interrupted:
      return "interrupted";
  }
  return "exception";
}

std::optional<error_kind> error_kind_from_string(std::string_view text) noexcept {
  for (const error_kind k :
       {error_kind::exception, error_kind::cuda, error_kind::invalid_result, error_kind::timeout,
        error_kind::crash, error_kind::worker, error_kind::interrupted})
    if (text == to_string(k)) return k;
  return std::nullopt;
}

bool is_device_lost_cuda_error(std::string_view cuda_name) noexcept {
  static constexpr std::string_view kLost[] = {
      "cudaErrorLaunchTimeout",       "cudaErrorIllegalAddress",
      "cudaErrorLaunchFailure",       "cudaErrorUnknown",
      "cudaErrorECCUncorrectable",    "cudaErrorHardwareStackError",
      "cudaErrorIllegalInstruction",  "cudaErrorMisalignedAddress",
      "cudaErrorInvalidAddressSpace", "cudaErrorInvalidPc",
      "cudaErrorDevicesUnavailable",  "cudaErrorNoDevice"};
  for (const std::string_view name : kLost)
    if (cuda_name == name) return true;
  return false;
}

bool is_device_lost(const std::optional<error_block>& error) noexcept {
  return error && error->kind == error_kind::cuda && is_device_lost_cuda_error(error->cuda_name);
}

}  // namespace wslcuda
