#include "probe/checks.hpp"

#include <sstream>

#include <string>
#include "measure/roofline.hpp"
#include "measure/units.hpp"
#include "model/library_sources.hpp"
#include "probe/dxcore/dxcore_probe.hpp"
#include "probe/wsl_probe.hpp"

namespace wslcuda {
namespace {

check_record make(const std::string& id, status s, const std::string& message,
                  const std::string& remedy = "") {
  return check_record{id, s, message, remedy};
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

const char* kNotLive = "needs the live system (skipped under --root)";

bool on_wsl2(const environment& env) {
  return env.host.is_wsl && env.host.wsl_version == 2;
}

/// Why a wsl.* check does not apply here, or "" when it does.
std::string wsl_not_applicable(const environment& env) {
  if (env.host.kernel_release.empty())
    return "cannot tell whether this is WSL (see host.wsl), so not checked";
  if (!env.host.is_wsl) return "not WSL";
  if (env.host.wsl_version == 1) return "WSL 1 has no GPU support (see host.wsl)";
  return "";
}

check_record host_wsl(const environment& env) {
  const host_info& h = env.host;
  if (h.kernel_release.empty())
    return make("host.wsl", status::warn,
                "cannot tell: /proc/sys/kernel/osrelease is empty or unreadable");
  if (!h.is_wsl)
    return make("host.wsl", status::skip,
                "not WSL (kernel " + h.kernel_release + (h.distro.empty() ? "" : ", " + h.distro) +
                    "): checking as bare-metal Linux");
  if (h.wsl_version == 1)
    return make("host.wsl", status::fail,
                "WSL 1 (kernel " + h.kernel_release + "): WSL 1 has no GPU support",
                "convert the distro to WSL 2 from Windows: `wsl --set-version <distro> 2` "
                "(`wsl -l -v` lists the distros)");
  return make("host.wsl", status::pass,
              "WSL 2, kernel " + h.kernel_release + (h.distro.empty() ? "" : ", " + h.distro));
}

check_record wsl_kernel(const environment& env) {
  if (const std::string na = wsl_not_applicable(env); !na.empty())
    return make("wsl.kernel", status::skip, na);
  const auto fields = kernel_version_fields(env.host.kernel_release);
  if (!fields)
    return make("wsl.kernel", status::warn,
                "cannot parse kernel release '" + env.host.kernel_release + "'",
                "run `wsl --update` from Windows");
  const std::string msg = "kernel " + env.host.kernel_release;
  if (compare_versions(*fields, kWslKernelRecommended) >= 0)
    return make("wsl.kernel", status::pass, msg + " >= 5.10.16.3");
  if (compare_versions(*fields, kWslKernelMinimum) >= 0)
    return make("wsl.kernel", status::warn, msg + " is older than the recommended 5.10.16.3",
                "run `wsl --update` from Windows, then `wsl --shutdown`");
  return make("wsl.kernel", status::fail,
              msg + " is older than 4.19.121: no GPU paravirtualisation",
              "run `wsl --update` from Windows, then `wsl --shutdown`");
}

check_record wsl_dxg(const environment& env) {
  if (const std::string na = wsl_not_applicable(env); !na.empty())
    return make("wsl.dxg", status::skip, na);
  if (env.wsl.dev_dxg)
    return make("wsl.dxg", status::pass, "/dev/dxg present (GPU paravirtualisation)");
  return make("wsl.dxg", status::fail, "/dev/dxg missing: the GPU is not exposed to this WSL 2 VM",
              "use Windows 10 21H2 or Windows 11 with a WSL-capable NVIDIA driver (R470 or newer), "
              "run `wsl --update`, then `wsl --shutdown` and reopen the shell");
}

check_record wsl_libcuda(const environment& env) {
  if (const std::string na = wsl_not_applicable(env); !na.empty())
    return make("wsl.libcuda", status::skip, na);
  if (!env.wsl.wsl_libcuda)
    return make(
        "wsl.libcuda", status::fail,
        "/usr/lib/wsl/lib/libcuda.so.1 missing: the Windows driver does not provide CUDA to WSL",
        "install or repair the NVIDIA driver on Windows (it installs /usr/lib/wsl/lib), then "
        "`wsl --shutdown`");
  return make(
      "wsl.libcuda", status::pass,
      std::string("/usr/lib/wsl/lib/libcuda.so.1 present") +
          (env.wsl.wsl_libcuda_is_regular
               ? " (a regular file, as the driver installs it: ldconfig's \"libcuda.so.1 is "
                 "not a symbolic link\" warning is harmless)"
               : ""));
}

check_record wsl_linux_driver(const environment& env) {
  if (const std::string na = wsl_not_applicable(env); !na.empty())
    return make("wsl.linux_driver", status::skip, na);
  const wsl_facts& w = env.wsl;
  if (w.linux_driver_files.empty() && w.linux_driver_packages.empty())
    return make("wsl.linux_driver", status::pass, "no Linux NVIDIA driver inside WSL");
  std::string msg = "a Linux NVIDIA driver is installed inside WSL and shadows the Windows driver:";
  if (!w.linux_driver_packages.empty()) msg += " packages " + join(w.linux_driver_packages) + ";";
  if (!w.linux_driver_files.empty()) msg += " files " + join(w.linux_driver_files) + ";";
  msg.pop_back();
  std::string remedy;
  if (!w.linux_driver_packages.empty())
    remedy = "`sudo apt-get remove --purge " + join(w.linux_driver_packages, " ") + "`; ";
  if (!w.linux_driver_files.empty())
    remedy += "remove " + join(w.linux_driver_files) + " (not links into /usr/lib/wsl); ";
  remedy +=
      "inside WSL install only the toolkit (`cuda-toolkit-13-0`), never `cuda` or `cuda-drivers`; "
      "then `sudo ldconfig`";
  return make("wsl.linux_driver", status::fail, msg, remedy);
}

/// Index of the first hardware NVIDIA adapter, -1 if none.
int first_nvidia(const environment& env) {
  for (std::size_t i = 0; i < env.dxcore.adapters.size(); ++i) {
    const dxcore_adapter& a = env.dxcore.adapters[i];
    if (a.is_hardware && a.vendor_id == kNvidiaVendorId) return static_cast<int>(i);
  }
  return -1;
}

check_record wsl_dxcore(const environment& env) {
  if (const std::string na = wsl_not_applicable(env); !na.empty())
    return make("wsl.dxcore", status::skip, na);
  if (!env.live || !env.dxcore_probed) return make("wsl.dxcore", status::skip, kNotLive);
  const dxcore_result& d = env.dxcore;
  const std::string remedy =
      "install or repair the NVIDIA driver on Windows, run `wsl --update`, then `wsl --shutdown`";
  if (!d.loaded) return make("wsl.dxcore", status::fail, "DXCore unavailable: " + d.error, remedy);
  if (!d.error.empty()) return make("wsl.dxcore", status::fail, d.error, remedy);
  int software = 0, hardware_other = 0;
  for (const dxcore_adapter& a : d.adapters) {
    if (!a.is_hardware)
      ++software;
    else if (a.vendor_id != kNvidiaVendorId)
      ++hardware_other;
  }
  const std::string filtered =
      software > 0 ? "; " + std::to_string(software) + " software adapter(s) filtered" : "";
  const int nv = first_nvidia(env);
  if (nv < 0)
    return make(
        "wsl.dxcore", status::fail,
        "no hardware NVIDIA adapter among " + std::to_string(d.adapters.size()) +
            " D3D12 core-compute adapter(s)" + filtered,
        "check that Windows sees the GPU with an NVIDIA driver (Device Manager); a GPU in TCC "
        "mode is not exposed to WSL: switch it to WDDM with `nvidia-smi -dm 0` on Windows");
  const dxcore_adapter& a = d.adapters[static_cast<std::size_t>(nv)];
  std::ostringstream msg;
  msg << a.description << ", Windows driver " << a.windows_driver_version.value_or("?") << " ("
      << a.driver_version << "), " << format_bytes_binary(a.dedicated_memory_bytes) << filtered;
  if (hardware_other > 0) msg << "; " << hardware_other << " other hardware adapter(s)";
  return make("wsl.dxcore", status::pass, msg.str());
}

check_record wsl_d3d12(const environment& env) {
  if (const std::string na = wsl_not_applicable(env); !na.empty())
    return make("wsl.d3d12", status::skip, na);
  if (!env.live || !env.dxcore_probed) return make("wsl.d3d12", status::skip, kNotLive);
  if (!env.dxcore.d3d12_error)
    return make("wsl.d3d12", status::skip, "no hardware NVIDIA adapter to create a device on");
  if (env.dxcore.d3d12_error->empty())
    return make(
        "wsl.d3d12", status::pass,
        "D3D12 device at D3D_FEATURE_LEVEL_1_0_CORE created through " + env.dxcore.d3d12_library);
  return make(
      "wsl.d3d12", status::fail, *env.dxcore.d3d12_error,
      "update the NVIDIA driver on Windows; DirectML and TensorFlow-DirectML use this path");
}

check_record cuda_driver(const environment& env) {
  const std::string remedy =
      env.host.is_wsl
          ? "install or repair the NVIDIA driver on Windows (not inside WSL); WSL gets libcuda "
            "from it through /usr/lib/wsl/lib. Then run `wsl --shutdown` and reopen the shell"
          : "install the NVIDIA driver for this GPU (its libcuda.so.1 must be on the loader path)";
  if (!env.live) return make("cuda.driver", status::skip, kNotLive);
  if (env.driver.libcuda_path.empty())
    return make("cuda.driver", status::fail,
                "no CUDA driver: " + (env.driver.libcuda_error.empty()
                                          ? std::string("libcuda.so.1 not found")
                                          : env.driver.libcuda_error),
                remedy);
  if (env.driver.cuda_driver_api <= 0)
    return make("cuda.driver", status::fail,
                "libcuda loaded from " + env.driver.libcuda_path +
                    " but the driver did not report its CUDA API version",
                remedy);
  if (on_wsl2(env) && env.driver.libcuda_path.rfind("/usr/lib/wsl/", 0) != 0)
    return make(
        "cuda.driver", status::fail,
        "libcuda loaded from " + env.driver.libcuda_path +
            ", not from /usr/lib/wsl/lib: a Linux driver library shadows the Windows driver",
        "remove the Linux NVIDIA driver from WSL (see wsl.linux_driver) and make sure "
        "/usr/lib/wsl/lib comes first (`ldconfig -p | grep libcuda`)");
  return make("cuda.driver", status::pass,
              "libcuda " + env.driver.libcuda_path + ", CUDA driver API " +
                  cuda_version_string(env.driver.cuda_driver_api));
}

check_record cuda_runtime_compat(const environment& env) {
  if (!env.live) return make("cuda.runtime_compat", status::skip, kNotLive);
  const std::string rt = cuda_version_string(env.driver.cuda_runtime);
  if (env.driver.cuda_driver_api <= 0)
    return make("cuda.runtime_compat", status::skip,
                "no CUDA driver to compare with runtime " + rt);
  const std::string drv = cuda_version_string(env.driver.cuda_driver_api);
  if (env.driver.cuda_runtime > env.driver.cuda_driver_api)
    return make("cuda.runtime_compat", status::fail,
                "CUDA runtime " + rt + " is newer than the driver's CUDA API " + drv,
                std::string("update the NVIDIA driver") + (env.host.is_wsl ? " on Windows" : "") +
                    " to one that supports CUDA " + rt);
  return make("cuda.runtime_compat", status::pass, "runtime " + rt + " <= driver API " + drv);
}

check_record cuda_devices(const environment& env) {
  if (!env.live) return make("cuda.devices", status::skip, kNotLive);
  if (env.driver.libcuda_path.empty())
    return make("cuda.devices", status::skip, "no CUDA driver (see cuda.driver)");
  if (env.devices.empty())
    return make(
        "cuda.devices", status::fail,
        env.no_device_reason.empty() ? "no CUDA device" : env.no_device_reason,
        env.host.is_wsl
            ? "check that the GPU is visible to Windows (Device Manager) and not in TCC "
              "mode; WSL 2 exposes WDDM GPUs only"
            : "check that the GPU is visible (lspci) and that the driver is loaded (nvidia-smi)");
  check_record c = make("cuda.devices", status::pass, "");
  std::string list;
  for (const device_record& d : env.devices) {
    list += (list.empty() ? "" : "; ") + std::to_string(d.index) + ": " + d.name + " (sm_" +
            std::to_string(d.cc_major) + std::to_string(d.cc_minor) + ")";
    if (d.cc_major * 10 + d.cc_minor < kMinComputeCapability) {
      c.status = status::fail;
      c.remedy =
          "CUDA 13 needs compute capability 7.5 or newer; use an older CUDA toolkit for this GPU";
    }
  }
  c.message = std::to_string(env.devices.size()) + " device(s): " + list;
  return c;
}

check_record cuda_device_match(const environment& env) {
  if (!on_wsl2(env))
    return make("cuda.device_match", status::skip,
                env.host.is_wsl                   ? "WSL 1"
                : env.host.kernel_release.empty() ? "cannot tell whether this is WSL (see host.wsl)"
                                                  : "not WSL: no DXCore adapters to match");
  if (!env.live || !env.dxcore_probed) return make("cuda.device_match", status::skip, kNotLive);
  if (env.devices.empty())
    return make("cuda.device_match", status::skip, "no CUDA device to match");
  std::string list;
  bool all = true;
  for (const device_record& d : env.devices) {
    list += (list.empty() ? "" : "; ") + std::to_string(d.index) + " -> ";
    if (d.dxcore_adapter < 0) {
      all = false;
      list += "no adapter";
    } else {
      list += "adapter " + std::to_string(d.dxcore_adapter) + " by " + d.dxcore_match;
    }
  }
  if (all) return make("cuda.device_match", status::pass, list);
  return make(
      "cuda.device_match", status::warn, list + " (LUID, PCI ids and name+memory all differ)",
      "report this with `wslcuda doctor --json` output: the Windows adapter of a CUDA device could "
      "not be identified");
}

check_record cuda_pinned(const environment& env) {
  if (!env.live) return make("cuda.pinned_memory", status::skip, kNotLive);
  if (!env.pinned_max_bytes)
    return make("cuda.pinned_memory", status::skip, "no CUDA device to pin memory for");
  const std::uint64_t got = *env.pinned_max_bytes;
  const std::string msg =
      format_bytes_binary(got) + " of pinned host memory allocated (probe cap " +
      format_bytes_binary(env.pinned_cap_bytes) +
      (env.pinned_cap_bytes > kPinnedWarnBytes ? ", 256 MiB steps)"
                                               : "; `wslcuda doctor --deep` finds the ceiling)");
  if (got >= kPinnedWarnBytes || got >= env.pinned_cap_bytes)
    return make("cuda.pinned_memory", status::pass, msg);
  return make("cuda.pinned_memory", status::warn,
              msg + ": under 2 GiB, data loaders with pin_memory=True may fail",
              env.host.is_wsl
                  ? "raise `memory=` in %UserProfile%\\.wslconfig and `wsl --shutdown`, or use "
                    "pin_memory=False"
                  : "raise the locked-memory limit (`ulimit -l`) or use pin_memory=False");
}

check_record cuda_managed(const environment& env) {
  if (!env.live) return make("cuda.managed_memory", status::skip, kNotLive);
  if (env.devices.empty()) return make("cuda.managed_memory", status::skip, "no CUDA device");
  const device_record& d = env.devices.front();
  const std::string flags =
      std::string("managedMemory=") + (d.managed_memory ? "1" : "0") +
      ", concurrentManagedAccess=" + (d.concurrent_managed_access ? "1" : "0");
  if (!d.managed_memory)
    return make("cuda.managed_memory", status::warn, flags + ": cudaMallocManaged is not supported",
                "avoid managed memory (cudaMallocManaged) on this system");
  if (env.host.is_wsl && !d.concurrent_managed_access)
    return make(
        "cuda.managed_memory", status::warn,
        flags +
            ": on WSL the CPU must not touch managed memory while a kernel runs (no concurrent "
            "CPU/GPU access)",
        "synchronise before CPU access to managed memory, or prefetch it explicitly");
  return make("cuda.managed_memory", status::pass, flags);
}

check_record cuda_watchdog(const environment& env) {
  if (!env.live) return make("cuda.watchdog", status::skip, kNotLive);
  if (env.devices.empty()) return make("cuda.watchdog", status::skip, "no CUDA device");
  for (const device_record& d : env.devices)
    if (d.kernel_exec_timeout)
      return make("cuda.watchdog", status::pass,
                  "watchdog active on device " + std::to_string(d.index) +
                      ": kernels running longer than ~2 s are killed by the Windows TDR watchdog "
                      "(wslcuda keeps its kernels well under that)");
  return make("cuda.watchdog", status::pass, "no kernel run-time limit");
}

check_record library_check(const environment& env, const library_record& lib) {
  const std::string id = "lib." + lib.name;
  if (!env.live) return make(id, status::skip, kNotLive);
  const library_source* source = find_library_source(lib.name);
  const std::string title = source != nullptr ? source->title : lib.name;
  if (!lib.loaded)
    return make(id, status::warn,
                title + " not loaded (" + lib.error + ")" +
                    (source != nullptr ? "; " + source->without_it : std::string()),
                library_remedy(lib.name));
  std::string msg = lib.path + (lib.version.empty() ? "" : ", version " + lib.version);
  if (!lib.detail.empty()) msg += "; " + lib.detail;
  if (!lib.check_error.empty())
    return make(id, status::fail,
                msg + ": " + lib.check_error +
                    (source != nullptr ? "; " + source->without_it : std::string()),
                library_remedy(lib.name) + " (wslcuda's runtime is CUDA " +
                    cuda_version_string(env.driver.cuda_runtime) + ")");
  return make(id, status::pass, msg);
}

}  // namespace

std::vector<check_record> doctor_checks(const environment& env) {
  std::vector<check_record> checks = {
      host_wsl(env),     wsl_kernel(env),        wsl_dxg(env),
      wsl_libcuda(env),  wsl_linux_driver(env),  wsl_dxcore(env),
      wsl_d3d12(env),    cuda_driver(env),       cuda_runtime_compat(env),
      cuda_devices(env), cuda_device_match(env), cuda_pinned(env),
      cuda_managed(env), cuda_watchdog(env)};
  for (const library_record& lib : env.libraries)
    if (lib.name != "cuda") checks.push_back(library_check(env, lib));
  return checks;
}

}  // namespace wslcuda
