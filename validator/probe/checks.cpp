#include "probe/checks.hpp"

#include <string>

namespace wslcuda {

std::string cuda_version_string(int version) {
  return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

bool environment_usable(const environment& env) noexcept {
  return env.no_device_reason.empty() && !env.devices.empty();
}

std::vector<check_record> basic_checks(const environment& env) {
  std::vector<check_record> checks;
  const bool wsl = env.host.is_wsl;
  const std::string driver_remedy =
      wsl ? "install or repair the NVIDIA driver on Windows (not inside WSL); WSL gets libcuda "
            "from it through /usr/lib/wsl/lib. Then run `wsl --shutdown` and reopen the shell"
          : "install the NVIDIA driver for this GPU (its libcuda.so.1 must be on the loader path)";

  check_record driver{"cuda.driver", status::pass, "", ""};
  if (env.driver.libcuda_path.empty()) {
    driver.status = status::fail;
    driver.message = "no CUDA driver: " + (env.driver.libcuda_error.empty()
                                               ? std::string("libcuda.so.1 not found")
                                               : env.driver.libcuda_error);
    driver.remedy = driver_remedy;
  } else if (env.driver.cuda_driver_api <= 0) {
    driver.status = status::fail;
    driver.message = "libcuda loaded from " + env.driver.libcuda_path +
                     " but the driver did not report its CUDA API version";
    driver.remedy = driver_remedy;
  } else {
    driver.message = "libcuda " + env.driver.libcuda_path + ", CUDA driver API " +
                     cuda_version_string(env.driver.cuda_driver_api);
  }
  checks.push_back(driver);

  check_record compat{"cuda.runtime_compat", status::pass, "", ""};
  if (env.driver.cuda_driver_api <= 0) {
    compat.status = status::skip;
    compat.message =
        "no CUDA driver to compare with runtime " + cuda_version_string(env.driver.cuda_runtime);
  } else if (env.driver.cuda_runtime > env.driver.cuda_driver_api) {
    compat.status = status::fail;
    compat.message = "CUDA runtime " + cuda_version_string(env.driver.cuda_runtime) +
                     " is newer than the driver's CUDA API " +
                     cuda_version_string(env.driver.cuda_driver_api);
    compat.remedy = wsl ? "update the NVIDIA driver on Windows to one that supports CUDA " +
                              cuda_version_string(env.driver.cuda_runtime)
                        : "update the NVIDIA driver to one that supports CUDA " +
                              cuda_version_string(env.driver.cuda_runtime);
  } else {
    compat.message = "runtime " + cuda_version_string(env.driver.cuda_runtime) + " <= driver API " +
                     cuda_version_string(env.driver.cuda_driver_api);
  }
  checks.push_back(compat);

  check_record devices{"cuda.devices", status::pass, "", ""};
  if (env.devices.empty()) {
    devices.status = status::fail;
    devices.message = env.no_device_reason.empty() ? "no CUDA device" : env.no_device_reason;
    devices.remedy = wsl ? "check that the GPU is visible to Windows (Device Manager) and that "
                           "it is not in TCC mode; WSL 2 exposes WDDM GPUs only"
                         : "check that the GPU is visible (lspci) and that the driver is loaded";
  } else {
    std::string list;
    for (const device_record& d : env.devices) {
      if (!list.empty()) list += "; ";
      list += std::to_string(d.index) + ": " + d.name + " (sm_" + std::to_string(d.cc_major) +
              std::to_string(d.cc_minor) + ")";
      if (d.cc_major * 10 + d.cc_minor < kMinComputeCapability) {
        devices.status = status::fail;
        devices.remedy =
            "CUDA 13 needs compute capability 7.5 or newer; use an older CUDA "
            "toolkit for this GPU";
      }
    }
    devices.message = std::to_string(env.devices.size()) + " device(s): " + list;
  }
  checks.push_back(devices);

  for (const library_record& lib : env.libraries) {
    if (lib.name == "cuda") continue;  // covered by cuda.driver
    check_record c{"lib." + lib.name, status::pass, "", ""};
    if (lib.loaded) {
      c.message = lib.path + (lib.version.empty() ? "" : ", version " + lib.version);
    } else {
      c.status = status::warn;
      c.message = lib.name + " not loaded (" + lib.error + "); its workloads are skipped";
      c.remedy = "install the CUDA 13 " + lib.name +
                 " library (CUDA toolkit, or `pip install nvidia-" + lib.name +
                 "-cu13`), or add its folder to LD_LIBRARY_PATH";
    }
    checks.push_back(c);
  }
  return checks;
}

}  // namespace wslcuda

namespace wslcuda {

target_info make_target(const environment& env, int device) {
  target_info t;
  t.device = device;
  for (const library_record& lib : env.libraries)
    if (!lib.loaded) t.missing_libraries[lib.name] = lib.error.empty() ? "not loaded" : lib.error;
  if (!environment_usable(env)) {
    t.unusable_reason = env.no_device_reason.empty() ? "no CUDA device" : env.no_device_reason;
    return t;
  }
  if (device < 0 || device >= static_cast<int>(env.devices.size())) {
    t.unusable_reason = "device " + std::to_string(device) + " does not exist (" +
                        std::to_string(env.devices.size()) + " device(s))";
    return t;
  }
  const device_record& d = env.devices[static_cast<std::size_t>(device)];
  t.usable = true;
  t.name = d.name;
  t.compute_capability = d.cc_major * 10 + d.cc_minor;
  if (d.peak_fp32_flops > 0.0) t.peak_flops["f32"] = d.peak_fp32_flops;
  t.peak_dram_bytes_per_s = d.peak_dram_bytes_per_s;
  return t;
}

}  // namespace wslcuda
