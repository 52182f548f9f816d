#include "probe/cuda_probe.hpp"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "dynload/cublas.hpp"
#include "dynload/library_loader.hpp"
#include "dynload/nvml.hpp"
#include "measure/roofline.hpp"
#include "measure/units.hpp"
#include "probe/checks.hpp"
#include "probe/device_match.hpp"
#include "probe/host_probe.hpp"
#include "probe/library_probe.hpp"
#include "probe/search.hpp"
#include "probe/wsl_probe.hpp"

namespace wslcuda {
namespace {

std::string uuid_string(const cudaUUID_t& u) {
  const auto* b = reinterpret_cast<const unsigned char*>(u.bytes);
  char buf[64];
  std::snprintf(buf, sizeof buf,
                "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return buf;
}

int attribute(cudaDeviceAttr attr, int device) {
  int v = 0;
  if (cudaDeviceGetAttribute(&v, attr, device) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return v;
}

std::string runtime_error_text(const char* call, cudaError_t e) {
  return std::string(call) + " failed: " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")";
}

void probe_devices(environment& env, const std::filesystem::path& root) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    env.no_device_reason = runtime_error_text("cudaGetDeviceCount", e);
    return;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p{};
    if (const cudaError_t pe = cudaGetDeviceProperties(&p, i); pe != cudaSuccess) {
      (void)cudaGetLastError();
      env.no_device_reason = runtime_error_text("cudaGetDeviceProperties", pe);
      return;
    }
    device_record d;
    d.index = i;
    d.name = p.name;
    d.uuid = uuid_string(p.uuid);
    char bus[32];
    std::snprintf(bus, sizeof bus, "%04x:%02x:%02x.0", p.pciDomainID, p.pciBusID, p.pciDeviceID);
    d.pci_bus_id = bus;
    d.pci_device_id = probe_pci_device_id(root, d.pci_bus_id);
    d.host_link = probe_host_link(root, d.pci_bus_id);
    if (d.host_link.bytes_per_s <= 0.0) {  // no PCI sysfs node (WSL 2): ask NVML
      if (const auto link = nvml_link_of(i))
        d.host_link = host_link_from_nvml(link->max_generation, link->max_width,
                                          link->current_generation, link->current_width);
    }
    d.cc_major = p.major;
    d.cc_minor = p.minor;
    d.sm_count = p.multiProcessorCount;
    d.total_memory_bytes = p.totalGlobalMem;
    d.l2_cache_bytes = p.l2CacheSize;
    d.sm_clock_khz = attribute(cudaDevAttrClockRate, i);
    d.memory_clock_khz = attribute(cudaDevAttrMemoryClockRate, i);
    d.memory_bus_width_bits = attribute(cudaDevAttrGlobalMemoryBusWidth, i);
    d.kernel_exec_timeout = attribute(cudaDevAttrKernelExecTimeout, i) != 0;
    d.managed_memory = attribute(cudaDevAttrManagedMemory, i) != 0;
    d.concurrent_managed_access = attribute(cudaDevAttrConcurrentManagedAccess, i) != 0;
    bool luid_nonzero = false;
    for (char c : p.luid) luid_nonzero |= c != 0;
    if (luid_nonzero) {
      char hex[17];
      for (int j = 0; j < 8; ++j)
        std::snprintf(hex + 2 * j, 3, "%02x", static_cast<unsigned char>(p.luid[j]));
      d.luid = hex;
    }
    d.peak_fp32_flops = peak_fp32_flops(d.sm_count, d.sm_clock_khz, d.cc_major, d.cc_minor);
    d.peak_dram_bytes_per_s = peak_dram_bytes_per_s(d.memory_clock_khz, d.memory_bus_width_bits);
    env.devices.push_back(d);
  }
  if (env.devices.empty()) env.no_device_reason = "the CUDA driver reports no device";
}

void probe_dxcore_live(environment& env) {
  if (!env.host.is_wsl || env.host.wsl_version != 2) return;
  auto pick = [](const char* name) {
    const std::string wsl = std::string("/usr/lib/wsl/lib/") + name;
    std::error_code ec;
    return std::filesystem::exists(wsl, ec) ? wsl : std::string(name);
  };
  env.dxcore = probe_dxcore(pick("libdxcore.so"), pick("libd3d12.so"));
  env.dxcore_probed = true;
  for (const dxcore_adapter& a : env.dxcore.adapters) {
    if (a.is_hardware && a.windows_driver_version) {
      env.driver.windows_driver_version = a.windows_driver_version;
      break;
    }
  }
}

void probe_pinned(environment& env, bool deep) {
  constexpr std::uint64_t kStep = std::uint64_t{256} << 20;
  const std::uint64_t half_ram = env.host.memory_bytes / 2;
  const std::uint64_t limit = deep ? std::uint64_t{8} << 30 : kPinnedWarnBytes;
  env.pinned_cap_bytes = std::min<std::uint64_t>(limit, half_ram) / kStep * kStep;
  if (env.pinned_cap_bytes == 0) return;
  env.pinned_max_bytes = largest_successful(env.pinned_cap_bytes, kStep, [](std::uint64_t bytes) {
    void* p = nullptr;
    if (cudaHostAlloc(&p, bytes, cudaHostAllocDefault) != cudaSuccess) {
      (void)cudaGetLastError();
      return false;
    }
    cudaFreeHost(p);
    return true;
  });
}

}  // namespace

probe_result probe_environment(const std::filesystem::path& root, bool deep_pinned) {
  probe_result out;
  environment& env = out.env;
  env.root = root.string();
  env.host = probe_host(root);
  env.wsl = probe_wsl_files(root);
  env.driver.kernel_module_version = probe_kernel_module_version(root);
  cudaRuntimeGetVersion(&env.driver.cuda_runtime);
  std::error_code ec;
  env.live = std::filesystem::equivalent(root, "/", ec) && !ec;

  if (!env.live) {
    env.no_device_reason =
        "live checks (driver, devices, libraries) are skipped under --root " + root.string();
    env.checks = doctor_checks(env);
    return out;
  }

  probe_dxcore_live(env);
  const loaded_library cuda = load_library(libcuda_spec());
  env.libraries.push_back(cuda.record);
  env.driver.libcuda_path = cuda.record.path;
  if (!cuda.record.loaded) {
    env.driver.libcuda_error = "libcuda.so.1 not found (" + cuda.record.error + ")";
    env.no_device_reason = "no CUDA driver: libcuda.so.1 not found (cudaErrorInsufficientDriver)";
  } else {
    if (cudaDriverGetVersion(&env.driver.cuda_driver_api) != cudaSuccess) (void)cudaGetLastError();
    env.libraries.back().version = cuda_version_string(env.driver.cuda_driver_api);
    probe_devices(env, root);
    for (device_record& d : env.devices) {
      const device_match m = match_device(d, env.dxcore.adapters);
      d.dxcore_match = m.method;
      d.dxcore_adapter = m.adapter;
    }
  }
  const bool usable = environment_usable(env);

  loaded_library cublas = load_library(cublas_spec());
  if (cublas.record.loaded) {
    try {
      cublas.record.version = cublas_api::resolve(cublas.handle).version();
      out.cublas = cublas.handle;
    } catch (const std::exception& e) {
      cublas.record.check_error = e.what();
    }
  }
  env.libraries.push_back(cublas.record);
  env.libraries.push_back(probe_cudnn(env.driver.cuda_runtime, usable).record);
  env.libraries.push_back(probe_nccl().record);
  env.libraries.push_back(probe_nvrtc().record);
  env.libraries.push_back(probe_nvml(env.driver.nvml_driver_version).record);
  if (usable) probe_pinned(env, deep_pinned);
  env.checks = doctor_checks(env);
  return out;
}

}  // namespace wslcuda
