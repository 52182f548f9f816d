#include "probe/host_probe.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <system_error>

namespace wslcuda {
namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// Value of `key` in a "key<sep>value" line file (os-release, cpuinfo, meminfo).
std::optional<std::string> field(const std::string& text, const std::string& key, char sep) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto pos = line.find(sep);
    if (pos == std::string::npos) continue;
    if (trim(line.substr(0, pos)) != key) continue;
    std::string value = trim(line.substr(pos + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

std::filesystem::path below(const std::filesystem::path& root, const std::string& path) {
  return root / std::filesystem::path(path).relative_path();
}

}  // namespace

std::optional<std::string> read_below_root(const std::filesystem::path& root,
                                           const std::string& path, std::size_t max_bytes) {
  const auto full = below(root, path);
  std::error_code ec;
  // /proc files report size 0, so only the type is checked, not the size.
  if (!std::filesystem::is_regular_file(full, ec) || ec) return std::nullopt;
  std::ifstream in(full, std::ios::binary);
  if (!in) return std::nullopt;
  std::string out(max_bytes, '\0');
  in.read(out.data(), static_cast<std::streamsize>(max_bytes));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

bool exists_below_root(const std::filesystem::path& root, const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(below(root, path), ec) && !ec;
}

host_info probe_host(const std::filesystem::path& root) {
  host_info h;
  if (auto rel = read_below_root(root, "/proc/sys/kernel/osrelease")) h.kernel_release = trim(*rel);
  const std::string version = lower(read_below_root(root, "/proc/version").value_or(""));
  const std::string release = lower(h.kernel_release);
  if (release.find("microsoft") != std::string::npos ||
      version.find("microsoft") != std::string::npos) {
    h.is_wsl = true;
    const bool wsl2 = release.find("microsoft-standard") != std::string::npos ||
                      release.find("wsl2") != std::string::npos ||
                      version.find("microsoft-standard") != std::string::npos;
    h.wsl_version = wsl2 ? 2 : 1;
  }
  if (auto os = read_below_root(root, "/etc/os-release"))
    h.distro = field(*os, "PRETTY_NAME", '=').value_or("");
  const std::string cpuinfo = read_below_root(root, "/proc/cpuinfo").value_or("");
  h.cpu = field(cpuinfo, "model name", ':').value_or("");
  {
    std::istringstream lines(cpuinfo);
    std::string line;
    while (std::getline(lines, line))
      if (line.rfind("processor", 0) == 0) ++h.logical_cpus;
  }
  const bool hypervisor = std::regex_search(cpuinfo, std::regex(R"(flags\s*:.*\bhypervisor\b)"));
  h.virtualization = h.is_wsl ? (h.wsl_version == 2 ? "wsl2" : "wsl1")
                              : (hypervisor ? "hypervisor" : "none detected");
  if (auto mem = field(read_below_root(root, "/proc/meminfo").value_or(""), "MemTotal", ':')) {
    try {
      h.memory_bytes = std::stoull(*mem) * 1024ULL;  // "32768000 kB"
    } catch (const std::exception&) {
      h.memory_bytes = 0;
    }
  }
  return h;
}

std::uint32_t probe_pci_device_id(const std::filesystem::path& root, const std::string& bus_id) {
  const auto text = read_below_root(root, "/sys/bus/pci/devices/" + bus_id + "/device", 64);
  if (!text) return 0;
  try {
    const unsigned long v = std::stoul(*text, nullptr, 16);
    return v <= 0xffff ? static_cast<std::uint32_t>(v) : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

std::optional<std::string> probe_kernel_module_version(const std::filesystem::path& root) {
  const auto text = read_below_root(root, "/proc/driver/nvidia/version");
  if (!text) return std::nullopt;
  std::smatch m;
  if (std::regex_search(*text, m,
                        std::regex(R"(Kernel Module(?:\s+for\s+\S+)?\s+([0-9]+(?:\.[0-9]+)+))")))
    return m[1].str();
  return std::nullopt;
}

}  // namespace wslcuda
