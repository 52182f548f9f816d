#include "suite/jit/nvrtc_compiler.hpp"

#include "common/dl_symbol.hpp"

#include <stdexcept>

namespace wslcuda {
namespace {

/// Destroys the program on every path.
struct program_guard {
  const nvrtc_api& api;
  nvrtcProgram program = nullptr;
  ~program_guard() {
    if (program != nullptr) api.destroy_program(&program);
  }
};

}  // namespace

nvrtc_api nvrtc_api::resolve(void* dl_handle) {
  if (dl_handle == nullptr) throw std::runtime_error("NVRTC is not loaded");
  nvrtc_api a;
  bind_symbol(dl_handle, "nvrtcVersion", a.version, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetErrorString", a.error_string, "NVRTC");
  bind_symbol(dl_handle, "nvrtcCreateProgram", a.create_program, "NVRTC");
  bind_symbol(dl_handle, "nvrtcDestroyProgram", a.destroy_program, "NVRTC");
  bind_symbol(dl_handle, "nvrtcCompileProgram", a.compile_program, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetProgramLogSize", a.log_size, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetProgramLog", a.log, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetPTXSize", a.ptx_size, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetPTX", a.ptx, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetCUBINSize", a.cubin_size, "NVRTC");
  bind_symbol(dl_handle, "nvrtcGetCUBIN", a.cubin, "NVRTC");
  return a;
}

nvrtc_output nvrtc_compile(const nvrtc_api& api, const std::string& source, const std::string& name,
                           const std::string& arch) {
  auto check = [&](nvrtcResult r, const char* call, const std::string& log = "") {
    if (r != NVRTC_SUCCESS)
      throw std::runtime_error(std::string(call) + " failed: " + api.error_string(r) +
                               (log.empty() ? "" : "; log: " + log));
  };
  program_guard guard{api};
  check(api.create_program(&guard.program, source.c_str(), name.c_str(), 0, nullptr, nullptr),
        "nvrtcCreateProgram");
  const std::string arch_option = "--gpu-architecture=" + arch;
  const char* options[] = {arch_option.c_str(), "--std=c++17"};
  const nvrtcResult compiled = api.compile_program(guard.program, 2, options);
  nvrtc_output out;
  std::size_t log_size = 0;
  if (api.log_size(guard.program, &log_size) == NVRTC_SUCCESS && log_size > 1) {
    out.log.resize(log_size);
    if (api.log(guard.program, out.log.data()) != NVRTC_SUCCESS) out.log.clear();
    while (!out.log.empty() && (out.log.back() == '\0' || out.log.back() == '\n'))
      out.log.pop_back();
  }
  check(compiled, "nvrtcCompileProgram", out.log);
  std::size_t size = 0;
  if (arch.rfind("sm_", 0) == 0) {
    check(api.cubin_size(guard.program, &size), "nvrtcGetCUBINSize");
    out.image.resize(size);
    check(api.cubin(guard.program, out.image.data()), "nvrtcGetCUBIN");
  } else {
    check(api.ptx_size(guard.program, &size), "nvrtcGetPTXSize");
    out.image.resize(size);
    check(api.ptx(guard.program, out.image.data()), "nvrtcGetPTX");
  }
  return out;
}

}  // namespace wslcuda
