#include "probe/library_probe.hpp"

#include <dlfcn.h>

#include <string>

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
  // Signatures from cudnn_graph.h (cuDNN 9); status and handle types as plain int / void*.
  using get_version_fn = std::size_t (*)();
  using create_fn = int (*)(void**);
  using destroy_fn = int (*)(void*);
  using error_string_fn = const char* (*)(int);
  const auto get_version = symbol<get_version_fn>(lib, "cudnnGetVersion");
  const auto get_cudart = symbol<get_version_fn>(lib, "cudnnGetCudartVersion");
  if (get_version == nullptr || get_cudart == nullptr) {
    lib.record.check_error = "cudnnGetVersion/cudnnGetCudartVersion missing: not a cuDNN 9 library";
    return lib;
  }
  lib.record.version = dotted(static_cast<long>(get_version()), 10000, 100);
  const long cudart = static_cast<long>(get_cudart());
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
  const auto create = symbol<create_fn>(lib, "cudnnCreate");
  const auto destroy = symbol<destroy_fn>(lib, "cudnnDestroy");
  const auto error_string = symbol<error_string_fn>(lib, "cudnnGetErrorString");
  void* handle = nullptr;
  const int status = create != nullptr ? create(&handle) : -1;
  if (status != 0) {
    lib.record.check_error =
        std::string("cudnnCreate failed: ") +
        (error_string != nullptr && status >= 0 ? error_string(status) : "symbol missing");
    return lib;
  }
  if (destroy != nullptr) destroy(handle);
  lib.record.detail += "; cudnnCreate ok";
  return lib;
}

loaded_library probe_nccl() {
  loaded_library lib = load_library(nccl_spec());
  const auto get_version = symbol<int (*)(int*)>(lib, "ncclGetVersion");
  int code = 0;
  if (get_version != nullptr && get_version(&code) == 0)
    lib.record.version = dotted(code, 10000, 100);
  return lib;
}

loaded_library probe_nvrtc() {
  loaded_library lib = load_library(nvrtc_spec());
  const auto version = symbol<int (*)(int*, int*)>(lib, "nvrtcVersion");
  int major = 0, minor = 0;
  if (version != nullptr && version(&major, &minor) == 0)
    lib.record.version = std::to_string(major) + "." + std::to_string(minor);
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
