#pragma once
// Why a row's test could not complete, as fields: a kind and, for a CUDA error, the error's
// enumerator name. Decisions (a lost device ends the worker; a second one in a row skips the
// rest) read these fields, never the row's message, so rewording a message changes nothing.

#include <optional>
#include <string>
#include <string_view>

namespace wslcuda {

/// What ended a row with status `error`.
enum class error_kind {
  exception,       ///< an exception that is not a CUDA error (a library status, a wslcuda bug)
  cuda,            ///< a CUDA runtime error (cuda_error); error_block::cuda_name names it
  invalid_result,  ///< the workload ran but its result cannot stand (nothing compared, or
                   ///< throughput above the computed peak)
  timeout,         ///< stopped at its time limit
  crash,           ///< the worker died by a signal or exited with a non-zero code
  worker,          ///< the worker's output held no usable result (garbage, malformed, none, or
                   ///< it could not be started)
  interrupted,     ///< stopped because wslcuda itself was interrupted
};

/// "exception", "cuda", "invalid_result", "timeout", "crash", "worker" or "interrupted".
const char* to_string(error_kind k) noexcept;
/// Inverse of to_string(error_kind); nullopt for anything else.
std::optional<error_kind> error_kind_from_string(std::string_view text) noexcept;

/// A row's error: its kind, and for kind cuda the cudaError_t enumerator name
/// ("cudaErrorIllegalAddress"); empty otherwise. Report JSON: results[].error (optional).
struct error_block {
  error_kind kind = error_kind::exception;
  std::string cuda_name;
};

/// True for the CUDA errors after which the device or its context is unusable for every later
/// workload of the process: cudaErrorLaunchTimeout (702, the Windows TDR watchdog),
/// cudaErrorIllegalAddress (700), cudaErrorLaunchFailure (719), cudaErrorUnknown (999),
/// cudaErrorECCUncorrectable (214), cudaErrorHardwareStackError (714),
/// cudaErrorIllegalInstruction (715), cudaErrorMisalignedAddress (716),
/// cudaErrorInvalidAddressSpace (717), cudaErrorInvalidPc (718), cudaErrorDevicesUnavailable
/// (46), cudaErrorNoDevice (100): the sticky errors of the CUDA Runtime API documentation
/// ("cudaError" enum), plus device removal. Decided from the name alone.
bool is_device_lost_cuda_error(std::string_view cuda_name) noexcept;

/// True when `error` is a CUDA error that loses the device (is_device_lost_cuda_error).
bool is_device_lost(const std::optional<error_block>& error) noexcept;

}  // namespace wslcuda
