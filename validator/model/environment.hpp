#pragma once
// What the probe found: host, driver, libraries, devices and the checks derived from them.
// Plain data, CUDA-free; filled by host_probe (files below a root), library_loader (dlopen) and
// cuda_probe (the CUDA runtime).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/status.hpp"

namespace wslcuda {

/// WSL facts read from files below a root (probe/wsl_probe.hpp).
struct wsl_facts {
  bool dev_dxg = false;                 ///< /dev/dxg exists (GPU paravirtualisation)
  bool wsl_libcuda = false;             ///< /usr/lib/wsl/lib/libcuda.so.1 exists
  bool wsl_libcuda_is_regular = false;  ///< a regular file there (normal; ldconfig warns, harmless)
  /// libcuda.so* / libnvidia-ml.so* in the system library folders that are not links into
  /// /usr/lib/wsl (paths as seen inside the root).
  std::vector<std::string> linux_driver_files;
  /// Installed dpkg packages of a Linux NVIDIA driver (nvidia-driver-*, libnvidia-compute-*,
  /// cuda-drivers, libcuda1, …; the container toolkit and Debian's CUDA toolkit excluded).
  std::vector<std::string> linux_driver_packages;
};

/// One DXCore adapter, from IDXCoreAdapter properties.
struct dxcore_adapter {
  std::string description;  ///< DriverDescription, e.g. "NVIDIA GeForce RTX 4090"
  std::uint32_t vendor_id = 0, device_id = 0, subsys_id = 0, revision = 0;  ///< HardwareID
  std::uint64_t driver_version_raw = 0;               ///< DriverVersion: four 16-bit fields a.b.c.d
  std::string driver_version;                         ///< "31.0.15.5222"
  std::optional<std::string> windows_driver_version;  ///< NVIDIA's "552.22"; nullopt otherwise
  std::uint32_t luid_low = 0;                         ///< InstanceLuid.LowPart
  std::int32_t luid_high = 0;                         ///< InstanceLuid.HighPart
  std::uint64_t dedicated_memory_bytes = 0;           ///< DedicatedAdapterMemory
  bool is_hardware = false;  ///< IsHardware (false: Microsoft Basic Render Driver)
};

/// What probing DXCore found.
struct dxcore_result {
  bool loaded = false;  ///< libdxcore.so loaded and the factory created
  std::string library;  ///< file loaded
  std::string error;    ///< why not, or what failed
  std::vector<dxcore_adapter>
      adapters;  ///< every adapter with D3D12_CORE_COMPUTE (hardware or not)
  /// D3D12 device creation on the first hardware NVIDIA adapter (D3D_FEATURE_LEVEL_1_0_CORE):
  /// nullopt when not attempted, else "" on success or the error.
  std::optional<std::string> d3d12_error;
  std::string d3d12_library;
};

/// One doctor check (ids are a public contract, e.g. "cuda.driver").
struct check_record {
  std::string id;
  wslcuda::status status = status::skip;
  std::string message;
  std::string remedy;  ///< set on fail (and on warn when there is something to do)
};

struct host_info {
  std::string
      kernel_release;  ///< /proc/sys/kernel/osrelease, e.g. "5.15.167.4-microsoft-standard-WSL2"
  bool is_wsl = false;
  int wsl_version = 0;         ///< 1 or 2 on WSL, 0 elsewhere
  std::string distro;          ///< PRETTY_NAME of /etc/os-release
  std::string virtualization;  ///< "wsl2", "hypervisor", "none detected"
  std::string cpu;             ///< model name of the first processor in /proc/cpuinfo
  int logical_cpus = 0;
  std::uint64_t memory_bytes = 0;  ///< MemTotal
};

struct driver_info {
  int cuda_driver_api = 0;   ///< cudaDriverGetVersion, e.g. 13000 (the API level, not the driver)
  int cuda_runtime = 0;      ///< cudaRuntimeGetVersion of the statically linked runtime
  std::string libcuda_path;  ///< the libcuda file actually loaded; empty when none
  std::string libcuda_error;
  std::optional<std::string> windows_driver_version;  ///< as users know it, e.g. "552.22" (DXCore)
  std::optional<std::string> kernel_module_version;   ///< /proc/driver/nvidia/version on Linux
  std::optional<std::string> nvml_driver_version;     ///< nvmlSystemGetDriverVersion
};

struct library_record {
  std::string name;  ///< "cublas", "cuda", …
  bool loaded = false;
  std::string path;         ///< file actually loaded
  std::string version;      ///< from the library itself, when it says
  std::string error;        ///< why it did not load
  std::string check_error;  ///< loaded, but its functional check failed (cudnnCreate, cudart major)
  std::string detail;       ///< extra facts for the report (e.g. "cudnnCreate ok")
  std::vector<std::string> searched;  ///< where it was looked for, in order
};

/// The link between host memory and the GPU, one direction.
struct host_link_info {
  double bytes_per_s = 0.0;  ///< 0 = unknown
  int generation = 0;        ///< PCIe generation (1…6), 0 = unknown
  int width = 0;             ///< lanes
  /// "PCIe Gen5 x16 (sysfs max_link_speed/max_link_width of the GPU and its upstream port)",
  /// or why it is unknown ("no PCI sysfs entry for 0000:01:00.0 (normal on WSL 2)").
  std::string description;
};

struct device_record {
  int index = 0;
  std::string name;
  std::string uuid;        ///< "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
  std::string pci_bus_id;  ///< "0000:1b:00.0"
  int cc_major = 0, cc_minor = 0;
  int sm_count = 0;
  std::uint64_t total_memory_bytes = 0;
  int l2_cache_bytes = 0;
  int sm_clock_khz = 0;      ///< cudaDevAttrClockRate (peak)
  int memory_clock_khz = 0;  ///< cudaDevAttrMemoryClockRate (peak)
  int memory_bus_width_bits = 0;
  bool kernel_exec_timeout = false;  ///< watchdog (Windows TDR) active
  bool managed_memory = false;
  bool concurrent_managed_access = false;
  std::string luid;  ///< 16 hex digits when the driver reports one (Windows/WSL), else ""
  std::uint32_t pci_device_id = 0;    ///< PCI device id (e.g. 0x2330) from sysfs; 0 when unknown
  std::string dxcore_match = "none";  ///< "luid", "pci", "name_memory" or "none"
  int dxcore_adapter = -1;            ///< index into environment::dxcore.adapters
  double peak_fp32_flops = 0.0;
  double peak_dram_bytes_per_s = 0.0;
  host_link_info host_link;
};

/// Everything `doctor` and `run` know about the machine.
struct environment {
  /// True when probing the running system (root "/"): libraries were loaded and the GPU asked.
  bool live = false;
  std::string root = "/";
  host_info host;
  wsl_facts wsl;
  bool dxcore_probed = false;  ///< DXCore was tried (live, on WSL)
  dxcore_result dxcore;
  driver_info driver;
  std::vector<library_record> libraries;
  std::vector<device_record> devices;
  /// Empty when at least one device can be used; else why not, in words a user understands.
  std::string no_device_reason;
  /// Largest pinned host allocation that succeeded (cudaHostAlloc), probed up to
  /// `pinned_cap_bytes`; nullopt when not probed (no device, not live).
  std::optional<std::uint64_t> pinned_max_bytes;
  std::uint64_t pinned_cap_bytes = 0;
  std::vector<check_record> checks;
};

/// True when a CUDA device can run workloads: no reason recorded and at least one device.
bool environment_usable(const environment& env) noexcept;

}  // namespace wslcuda
