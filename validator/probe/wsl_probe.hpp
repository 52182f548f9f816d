#pragma once
// WSL facts read from files below a root: /dev/dxg, the Windows driver's libcuda in
// /usr/lib/wsl/lib, and a Linux NVIDIA driver installed inside the distro (which shadows the
// Windows one). Never throws.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/environment.hpp"

namespace wslcuda {

/// Reads the facts above below `root`.
wsl_facts probe_wsl_files(const std::filesystem::path& root);

/// True when the dpkg package name belongs to a Linux NVIDIA driver (not the toolkit, not the
/// container runtime).
bool is_linux_driver_package(const std::string& package);

/// Installed package names from a dpkg status file's text ("Status: install ok installed").
std::vector<std::string> installed_packages(const std::string& dpkg_status);

/// Leading numeric fields of a kernel release: "5.15.153.1-microsoft-standard-WSL2" →
/// {5, 15, 153, 1}; nullopt when it does not start with a number.
std::optional<std::vector<int>> kernel_version_fields(const std::string& release);

/// Lexicographic comparison of version fields, missing fields read as 0: <0, 0, >0.
int compare_versions(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace wslcuda
