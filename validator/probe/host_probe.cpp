#include "probe/host_probe.hpp"
#include "model/printable.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
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
  if (auto rel = read_below_root(root, "/proc/sys/kernel/osrelease"))
    h.kernel_release = one_line(trim(*rel));
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
    h.distro = one_line(field(*os, "PRETTY_NAME", '=').value_or(""));
  const std::string cpuinfo = read_below_root(root, "/proc/cpuinfo").value_or("");
  h.cpu = one_line(field(cpuinfo, "model name", ':').value_or(""));
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

double pcie_lane_bytes_per_s(double gt_per_s) noexcept {
  switch (pcie_generation(gt_per_s)) {
    case 1:
    case 2:
      return gt_per_s * 1e9 * (8.0 / 10.0) / 8.0;
    case 3:
    case 4:
    case 5:
      return gt_per_s * 1e9 * (128.0 / 130.0) / 8.0;
    case 6:
      return gt_per_s * 1e9 * (236.0 / 256.0) / 8.0;
    default:
      return 0.0;
  }
}

namespace {

/// GT/s per lane of PCIe generations 1 to 6 (PCI-SIG base specifications 1.0 to 6.0).
constexpr double kPcieGtPerLane[] = {2.5, 5.0, 8.0, 16.0, 32.0, 64.0};

}  // namespace

int pcie_generation(double gt_per_s) noexcept {
  for (int g = 0; g < 6; ++g)
    if (std::fabs(gt_per_s - kPcieGtPerLane[g]) < 0.05) return g + 1;
  return 0;
}

namespace {

struct link_reading {
  double gt_per_s = 0.0;
  int width = 0;
};

/// max_link_speed and max_link_width of one sysfs PCI directory; nullopt when either is missing
/// or unparsable.
std::optional<link_reading> read_link(const std::filesystem::path& dir) {
  auto read = [&](const char* name) -> std::optional<std::string> {
    std::error_code ec;
    const auto file = dir / name;
    if (!std::filesystem::is_regular_file(file, ec) || ec) return std::nullopt;
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    return trim(line);
  };
  const auto speed = read("max_link_speed");
  const auto width = read("max_link_width");
  if (!speed || !width) return std::nullopt;
  link_reading r;
  try {
    r.gt_per_s = std::stod(*speed);  // "32.0 GT/s PCIe"
    r.width = std::stoi(*width);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (pcie_generation(r.gt_per_s) == 0 || r.width <= 0 || r.width > 32) return std::nullopt;
  return r;
}

}  // namespace

host_link_info probe_host_link(const std::filesystem::path& root, const std::string& bus_id) {
  host_link_info info;
  const std::filesystem::path dir = below(root, "/sys/bus/pci/devices/" + bus_id);
  std::error_code ec;
  if (bus_id.empty() || !std::filesystem::is_directory(dir, ec) || ec) {
    info.description = "unknown: no PCI sysfs entry for " + (bus_id.empty() ? "the GPU" : bus_id) +
                       " (normal on WSL 2, where the GPU is reached through /dev/dxg)";
    return info;
  }
  const std::optional<link_reading> gpu = read_link(dir);
  if (!gpu) {
    info.description = "unknown: " + bus_id + " has no readable max_link_speed/max_link_width";
    return info;
  }
  link_reading link = *gpu;
  std::string source = "sysfs max_link_speed/max_link_width of " + bus_id;
  const std::filesystem::path resolved = std::filesystem::canonical(dir, ec);
  if (!ec) {
    if (const auto port = read_link(resolved.parent_path())) {
      source += " and its upstream port";
      link.gt_per_s = std::min(link.gt_per_s, port->gt_per_s);
      link.width = std::min(link.width, port->width);
    }
  }
  info.generation = pcie_generation(link.gt_per_s);
  info.width = link.width;
  info.bytes_per_s = pcie_lane_bytes_per_s(link.gt_per_s) * link.width;
  info.description = "PCIe Gen" + std::to_string(info.generation) + " x" +
                     std::to_string(info.width) + " (" + source + ")";
  return info;
}

host_link_info host_link_from_nvml(int max_generation, int max_width, int current_generation,
                                   int current_width) {
  host_link_info info;
  if (max_generation < 1 || max_generation > 6 || max_width < 1 || max_width > 32) {
    info.description = "unknown: NVML gave no usable PCIe link (generation " +
                       std::to_string(max_generation) + ", width " + std::to_string(max_width) +
                       ")";
    return info;
  }
  info.generation = max_generation;
  info.width = max_width;
  info.bytes_per_s = pcie_lane_bytes_per_s(kPcieGtPerLane[max_generation - 1]) * max_width;
  info.description =
      "PCIe Gen" + std::to_string(max_generation) + " x" + std::to_string(max_width) +
      " (NVML's maximum for the device as this system allows it: a slot narrower than the "
      "card lowers it, so NVML cannot show an x4 slot; " +
      (current_generation > 0 && current_width > 0
           ? "now Gen" + std::to_string(current_generation) + " x" + std::to_string(current_width) +
                 ", lower while idle)"
           : std::string("NVML gave no current link)"));
  return info;
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
