#pragma once
// NVRTC, loaded at run time, as the JIT workloads and their CPU tests use it. CUDA-runtime-free
// (nvrtc.h only declares types here): compiling needs no GPU, so it is tested on the CPU.

#include <nvrtc.h>

#include <string>
#include <vector>

namespace wslcuda {

/// The NVRTC entry points wslcuda uses, resolved with dlsym from a dlopen handle of
/// libnvrtc.so.13.
struct nvrtc_api {
  decltype(&nvrtcVersion) version = nullptr;
  decltype(&nvrtcGetErrorString) error_string = nullptr;
  decltype(&nvrtcCreateProgram) create_program = nullptr;
  decltype(&nvrtcDestroyProgram) destroy_program = nullptr;
  decltype(&nvrtcCompileProgram) compile_program = nullptr;
  decltype(&nvrtcGetProgramLogSize) log_size = nullptr;
  decltype(&nvrtcGetProgramLog) log = nullptr;
  decltype(&nvrtcGetPTXSize) ptx_size = nullptr;
  decltype(&nvrtcGetPTX) ptx = nullptr;
  decltype(&nvrtcGetCUBINSize) cubin_size = nullptr;
  decltype(&nvrtcGetCUBIN) cubin = nullptr;

  /// Throws std::runtime_error naming the first missing symbol.
  static nvrtc_api resolve(void* dl_handle);
};

/// What NVRTC produced for one program.
struct nvrtc_output {
  std::vector<char> image;  ///< CUBIN for a real architecture ("sm_90"), PTX for a virtual one
  std::string log;          ///< the compile log (warnings), possibly empty
};

/// Compiles `source` (file name `name` in messages) for `arch`: "sm_XY" gives a CUBIN (SASS,
/// loadable without the driver's PTX JIT), "compute_XY" gives PTX (null-terminated).
/// Throws std::runtime_error with NVRTC's error string and the compile log on failure.
nvrtc_output nvrtc_compile(const nvrtc_api& api, const std::string& source, const std::string& name,
                           const std::string& arch);

}  // namespace wslcuda
