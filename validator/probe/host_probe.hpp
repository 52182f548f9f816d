#pragma once
// Host facts read from files below a root directory ("/" normally; a fake root in the tests,
// `--root DIR` on the command line). Never throws: unreadable files leave fields empty.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "model/environment.hpp"

namespace wslcuda {

/// Reads `path` (absolute, e.g. "/proc/version") below `root`; nullopt when it cannot be read
/// as a regular file (missing, a directory, a link loop, no permission). At most `max_bytes`.
std::optional<std::string> read_below_root(const std::filesystem::path& root,
                                           const std::string& path,
                                           std::size_t max_bytes = 1 << 20);

/// True when `path` exists below `root` (any file type, links followed).
bool exists_below_root(const std::filesystem::path& root, const std::string& path);

/// Kernel release, WSL detection, distro, CPU and memory from /proc and /etc below `root`.
/// WSL 2 kernels say "microsoft-standard" (and "WSL2" since 5.10); WSL 1 reports a
/// "…-Microsoft" release from the NT kernel's Linux emulation (Microsoft WSL documentation).
host_info probe_host(const std::filesystem::path& root);

/// PCI device id of `bus_id` ("0000:1b:00.0") from /sys/bus/pci/devices/<bus_id>/device below
/// `root` (bare metal; WSL has no such node); 0 when unknown.
std::uint32_t probe_pci_device_id(const std::filesystem::path& root, const std::string& bus_id);

/// Usable bytes per second of one PCIe lane in one direction at `gt_per_s` (the link's transfer
/// rate, GT/s), after line encoding, before packet (TLP/DLLP) overhead: 8b/10b for 2.5 and 5 GT/s,
/// 128b/130b for 8, 16 and 32 GT/s (PCI Express Base Specification 3.0, §4.2.2), and for 64 GT/s
/// (PAM4, FLIT mode) 236 TLP bytes per 256-byte FLIT (PCIe 6.0, §4.2.3.1). 0 for other rates.
double pcie_lane_bytes_per_s(double gt_per_s) noexcept;

/// PCIe generation of a transfer rate in GT/s (2.5 → 1, 5 → 2, 8 → 3, 16 → 4, 32 → 5, 64 → 6);
/// 0 for other rates.
int pcie_generation(double gt_per_s) noexcept;

/// The host link of the GPU at `bus_id` from sysfs below `root`: max_link_speed ("32.0 GT/s
/// PCIe") and max_link_width ("16") of /sys/bus/pci/devices/<bus_id>, and of its upstream port
/// (the parent directory of the resolved device path) when that has them; the slower of the two.
/// The maximum, not current_link_*: GPUs lower the link speed when idle. On WSL 2 the GPU has no
/// PCI sysfs entry: bytes_per_s is 0 and the description says so.
host_link_info probe_host_link(const std::filesystem::path& root, const std::string& bus_id);

/// The host link from NVML's answers where sysfs has none (WSL 2): the maximum generation and
/// width the device and system support (nvmlDeviceGetMaxPcieLinkGeneration/Width) set the
/// peak, and the current ones (nvmlDeviceGetCurrPcieLinkGeneration/Width; idle GPUs lower them)
/// are named in the description, or said to be unknown when 0 (NVML gave none: the maximum is
/// still used). Generations outside 1…6 or widths outside 1…32 give an unknown link saying so.
host_link_info host_link_from_nvml(int max_generation, int max_width, int current_generation,
                                   int current_width);

/// The NVIDIA kernel module version from /proc/driver/nvidia/version ("580.65.06"), if present.
std::optional<std::string> probe_kernel_module_version(const std::filesystem::path& root);

}  // namespace wslcuda
