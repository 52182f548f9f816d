#include "probe/library_probe.hpp"

#include <dlfcn.h>

#include <string>

#include "dynload/cudnn.hpp"
#include "dynload/nccl.hpp"
#include "dynload/nvrtc.hpp"

namespace wslcuda {
namespace {

/// Resolves `name` from a loaded library as a function of type Fn, or nullptr.
template <typename Fn>
Fn symbol(const loaded_library& lib, const char* name) {
  return lib.handle != nullptr ? reinterpret_cast<Fn>(dlsym(lib.handle, name)) : nullptr;
}

std::string dotted(long code, long major_div, long minor_div) {
  return std::to_string(code / major_div) + "." + std::to_string((code % major_div) / minor_div) +
         "." + std::to_string(code % minor_div);
}

}  // namespace

loaded_library probe_cudnn(int cuda_runtime_version, bool device_usable) {
  loaded_library lib = load_library(cudnn_spec());
  if (!lib.record.loaded) return lib;
  const std::optional<cudnn_versions> versions = cudnn_version(lib.handle);
  if (!versions) {
    lib.record.check_error = "cudnnGetVersion/cudnnGetCudartVersion missing: not a cuDNN 9 library";
    return lib;
  }
  lib.record.version = dotted(static_cast<long>(versions->version), 10000, 100);
  const long cudart = static_cast<long>(versions->cudart);
  lib.record.detail = "built for CUDA " + std::to_string(cudart / 1000) + "." +
                      std::to_string((cudart % 1000) / 10);
  if (cudart / 1000 != cuda_runtime_version / 1000) {
    lib.record.check_error = "built for CUDA " + std::to_string(cudart / 1000) +
                             ", wslcuda's runtime is CUDA " +
                             std::to_string(cuda_runtime_version / 1000);
    return lib;
  }
  if (!device_usable) {
    lib.record.detail += "; cudnnCreate not tried (no usable device)";
    return lib;
  }
  try {
    const cudnn_api api = cudnn_api::resolve(lib.handle);
    const cudnn_handle handle(api);
  } catch (const std::exception& e) {
    lib.record.check_error = e.what();  // "cudnnCreate failed: …", or the missing entry point
    return lib;
  }
  lib.record.detail += "; cudnnCreate ok";
  return lib;
}

loaded_library probe_nccl() {
  loaded_library lib = load_library(nccl_spec());
  lib.record.version = nccl_version(lib.handle);
  return lib;
}

loaded_library probe_nvrtc() {
  loaded_library lib = load_library(nvrtc_spec());
  lib.record.version = nvrtc_version(lib.handle);
  return lib;
}

loaded_library probe_nvml(std::optional<std::string>& driver_version) {
  loaded_library lib = load_library(nvml_spec());
  // Signatures from NVML's nvml.h (not shipped with this toolkit): nvmlReturn_t is an int enum,
  // NVML_SUCCESS = 0.
  const auto init = symbol<int (*)()>(lib, "nvmlInit_v2");
  const auto shutdown = symbol<int (*)()>(lib, "nvmlShutdown");
  const auto get_driver = symbol<int (*)(char*, unsigned)>(lib, "nvmlSystemGetDriverVersion");
  if (init == nullptr || get_driver == nullptr) return lib;
  if (const int rc = init(); rc != 0) {
    lib.record.detail = "nvmlInit_v2 failed (" + std::to_string(rc) + ")";
    return lib;
  }
  char buf[96] = {};
  if (get_driver(buf, sizeof buf) == 0) {
    driver_version = std::string(buf);
    lib.record.version = buf;
    lib.record.detail = "driver " + std::string(buf);
  }
  if (shutdown != nullptr) shutdown();
  return lib;
}

}  // namespace wslcuda
