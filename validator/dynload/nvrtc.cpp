#include "dynload/nvrtc.hpp"

#include "dynload/library_loader.hpp"

namespace wslcuda {

nvrtc_api nvrtc_api::resolve(void* dl_handle) {
  if (dl_handle == nullptr) throw std::runtime_error("NVRTC is not loaded");
  nvrtc_api api;
#define WSLCUDA_BIND(name) bind_symbol(dl_handle, #name, api.name, "NVRTC");
  WSLCUDA_NVRTC_ENTRY_POINTS(WSLCUDA_BIND)
#undef WSLCUDA_BIND
  return api;
}

const nvrtc_api& nvrtc_api::loaded() {
  static const nvrtc_api api = resolve(load_library_once(nvrtc_spec()).handle);
  return api;
}

void nvrtc_api::check(nvrtcResult result, const char* call, const std::string& log) const {
  if (result != NVRTC_SUCCESS)
    throw nvrtc_error(result, std::string(call) + " failed: " + nvrtcGetErrorString(result) +
                                  (log.empty() ? "" : "; log: " + log));
}

nvrtc_program::nvrtc_program(const nvrtc_api& api, const std::string& source,
                             const std::string& name)
    : api_(&api) {
  api.check(api.nvrtcCreateProgram(&program_, source.c_str(), name.c_str(), 0, nullptr, nullptr),
            "nvrtcCreateProgram");
}

nvrtc_program::~nvrtc_program() {
  if (program_ != nullptr) api_->nvrtcDestroyProgram(&program_);
}

nvrtc_output nvrtc_compile(const nvrtc_api& api, const std::string& source, const std::string& name,
                           const std::string& arch) {
  const nvrtc_program program(api, source, name);
  const std::string arch_option = "--gpu-architecture=" + arch;
  const char* options[] = {arch_option.c_str(), "--std=c++17"};
  const nvrtcResult compiled = api.nvrtcCompileProgram(program.get(), 2, options);
  nvrtc_output out;
  std::size_t log_size = 0;
  if (api.nvrtcGetProgramLogSize(program.get(), &log_size) == NVRTC_SUCCESS && log_size > 1) {
    out.log.resize(log_size);
    if (api.nvrtcGetProgramLog(program.get(), out.log.data()) != NVRTC_SUCCESS) out.log.clear();
    while (!out.log.empty() && (out.log.back() == '\0' || out.log.back() == '\n'))
      out.log.pop_back();
  }
  api.check(compiled, "nvrtcCompileProgram", out.log);
  std::size_t size = 0;
  if (arch.rfind("sm_", 0) == 0) {
    api.check(api.nvrtcGetCUBINSize(program.get(), &size), "nvrtcGetCUBINSize");
    out.image.resize(size);
    api.check(api.nvrtcGetCUBIN(program.get(), out.image.data()), "nvrtcGetCUBIN");
  } else {
    api.check(api.nvrtcGetPTXSize(program.get(), &size), "nvrtcGetPTXSize");
    out.image.resize(size);
    api.check(api.nvrtcGetPTX(program.get(), out.image.data()), "nvrtcGetPTX");
  }
  return out;
}

std::string nvrtc_version(void* dl_handle) {
  const auto version = find_symbol<nvrtcResult (*)(int*, int*)>(dl_handle, "nvrtcVersion");
  int major = 0, minor = 0;
  if (version == nullptr || version(&major, &minor) != NVRTC_SUCCESS) return "";
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace wslcuda
