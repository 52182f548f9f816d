#pragma once
// Host facts read from files below a root directory ("/" normally; a fake root in the tests,
// `--root DIR` on the command line). Never throws: unreadable files leave fields empty.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "probe/environment.hpp"

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

/// The NVIDIA kernel module version from /proc/driver/nvidia/version ("580.65.06"), if present.
std::optional<std::string> probe_kernel_module_version(const std::filesystem::path& root);

}  // namespace wslcuda
