#pragma once
// NVRTC (libnvrtc.so.13), loaded at run time: the JIT workloads compile with it, and as
// compiling needs no GPU, so do their CPU tests; the doctor asks it for its version. Entry
// points and result codes as nvrtc.h (CUDA 13) declares them.

#include <nvrtc.h>

#include <string>
#include <vector>

#include "dynload/entry_points.hpp"

namespace wslcuda {

/// An NVRTC call that did not return NVRTC_SUCCESS; what() is "<call> failed:
/// <nvrtcGetErrorString>[; log: <the compile log>]".
using nvrtc_error = library_error<nvrtcResult>;

// The entry points resolved by name (one list: the table's members and resolve() both use it).
// clang-format off
#define WSLCUDA_NVRTC_ENTRY_POINTS(X)                                                    \
  X(nvrtcVersion) X(nvrtcGetErrorString)                                               \
  X(nvrtcCreateProgram) X(nvrtcDestroyProgram) X(nvrtcCompileProgram)                  \
  X(nvrtcGetProgramLogSize) X(nvrtcGetProgramLog)                                      \
  X(nvrtcGetPTXSize) X(nvrtcGetPTX) X(nvrtcGetCUBINSize) X(nvrtcGetCUBIN)
// clang-format on

/// The NVRTC entry points wslcuda uses, resolved with dlsym from a dlopen handle.
struct nvrtc_api {
  WSLCUDA_NVRTC_ENTRY_POINTS(WSLCUDA_ENTRY_POINT_MEMBER)

  /// Resolves every entry point from `dl_handle` (a dlopen handle of libnvrtc.so.13). Throws
  /// std::runtime_error "NVRTC is not loaded" for a null handle, "NVRTC lacks <symbol>" naming
  /// the first missing symbol.
  static nvrtc_api resolve(void* dl_handle);
  /// The table of the process's libnvrtc.so.13 (load_library_once(nvrtc_spec())), resolved once;
  /// throws as resolve() (and again at the next call) when it cannot be.
  static const nvrtc_api& loaded();
  /// Throws nvrtc_error "<call> failed: <nvrtcGetErrorString>[; log: <log>]" unless `result` is
  /// NVRTC_SUCCESS.
  void check(nvrtcResult result, const char* call, const std::string& log = "") const;
};

/// One program (nvrtcCreateProgram … nvrtcDestroyProgram) of `source`, named `name` in messages.
class nvrtc_program {
 public:
  /// Throws nvrtc_error when nvrtcCreateProgram fails.
  nvrtc_program(const nvrtc_api& api, const std::string& source, const std::string& name);
  nvrtc_program(const nvrtc_program&) = delete;
  nvrtc_program& operator=(const nvrtc_program&) = delete;
  ~nvrtc_program();
  nvrtcProgram get() const noexcept { return program_; }

 private:
  const nvrtc_api* api_;
  nvrtcProgram program_ = nullptr;
};

/// What NVRTC produced for one program.
struct nvrtc_output {
  std::vector<char> image;  ///< CUBIN for a real architecture ("sm_90"), PTX for a virtual one
  std::string log;          ///< the compile log (warnings), possibly empty
};

/// Compiles `source` (file name `name` in messages) for `arch` with --std=c++17: "sm_XY" gives a
/// CUBIN (SASS, loadable without the driver's PTX JIT), "compute_XY" gives PTX
/// (null-terminated). Throws nvrtc_error with NVRTC's error string and the compile log on
/// failure.
nvrtc_output nvrtc_compile(const nvrtc_api& api, const std::string& source, const std::string& name,
                           const std::string& arch);

/// NVRTC's version as "major.minor" (nvrtcVersion), or "" when the handle is null, lacks it or
/// it fails.
std::string nvrtc_version(void* dl_handle);

}  // namespace wslcuda
