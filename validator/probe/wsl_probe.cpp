#include "probe/wsl_probe.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <system_error>

#include "probe/host_probe.hpp"

namespace wslcuda {
namespace fs = std::filesystem;

namespace {

/// System library folders where a Linux driver puts libcuda (Debian/Ubuntu multiarch, RPM lib64).
constexpr std::array<const char*, 8> kSystemLibDirs = {"/usr/lib/x86_64-linux-gnu",
                                                       "/lib/x86_64-linux-gnu",
                                                       "/usr/lib/aarch64-linux-gnu",
                                                       "/usr/lib64",
                                                       "/lib64",
                                                       "/usr/lib",
                                                       "/usr/local/lib",
                                                       "/usr/lib/nvidia"};

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

/// Where a link below the root points, as a path inside the root ("/usr/lib/wsl/lib/…").
std::string link_target_inside_root(const fs::path& link_inside_root, const fs::path& target) {
  const fs::path absolute = target.is_absolute() ? target : link_inside_root.parent_path() / target;
  return absolute.lexically_normal().string();
}

}  // namespace

bool is_linux_driver_package(const std::string& p) {
  static const char* const harmless[] = {"nvidia-container-toolkit", "libnvidia-container",
                                         "nvidia-cuda-toolkit",      "nvidia-cuda-dev",
                                         "nvidia-cuda-gdb",          "nvidia-profiler",
                                         "nvidia-visual-profiler",   "nvidia-opencl-dev",
                                         "nvidia-cuda-toolkit-doc",  "nvidia-openjdk"};
  for (const char* h : harmless)
    if (starts_with(p, h)) return false;
  return starts_with(p, "nvidia-") || starts_with(p, "libnvidia-") ||
         starts_with(p, "cuda-drivers") || p == "libcuda1" ||
         starts_with(p, "xserver-xorg-video-nvidia");
}

std::vector<std::string> installed_packages(const std::string& dpkg_status) {
  std::vector<std::string> out;
  std::istringstream lines(dpkg_status);
  std::string line, package;
  bool installed = false;
  auto flush = [&] {
    if (!package.empty() && installed) out.push_back(package);
    package.clear();
    installed = false;
  };
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
    } else if (starts_with(line, "Package:")) {
      package = line.substr(8);
      package.erase(0, package.find_first_not_of(" \t"));
      package.erase(package.find_last_not_of(" \t") + 1);
    } else if (starts_with(line, "Status:")) {
      installed = line.find("install ok installed") != std::string::npos;
    }
  }
  flush();
  return out;
}

std::optional<std::vector<int>> kernel_version_fields(const std::string& release) {
  std::vector<int> fields;
  std::size_t i = 0;
  while (i < release.size() && std::isdigit(static_cast<unsigned char>(release[i]))) {
    long v = 0;
    while (i < release.size() && std::isdigit(static_cast<unsigned char>(release[i])) &&
           v < 1000000)
      v = v * 10 + (release[i++] - '0');
    fields.push_back(static_cast<int>(v));
    if (i < release.size() && release[i] == '.')
      ++i;
    else
      break;
  }
  if (fields.empty()) return std::nullopt;
  return fields;
}

int compare_versions(const std::vector<int>& a, const std::vector<int>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const int x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

wsl_facts probe_wsl_files(const fs::path& root) {
  wsl_facts f;
  f.dev_dxg = exists_below_root(root, "/dev/dxg");
  std::error_code ec;
  const fs::path wsl_libcuda = root / "usr/lib/wsl/lib/libcuda.so.1";
  f.wsl_libcuda = fs::exists(wsl_libcuda, ec);
  f.wsl_libcuda_is_regular = fs::is_regular_file(fs::symlink_status(wsl_libcuda, ec));

  for (const char* dir : kSystemLibDirs) {
    const fs::path full = root / fs::path(dir).relative_path();
    if (!fs::is_directory(full, ec)) continue;
    for (fs::directory_iterator it(full, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!starts_with(name, "libcuda.so") && !starts_with(name, "libnvidia-ml.so")) continue;
      const std::string inside = std::string(dir) + "/" + name;
      std::error_code lec;
      if (fs::is_symlink(it->symlink_status(lec))) {
        const fs::path target = fs::read_symlink(it->path(), lec);
        if (!lec && starts_with(link_target_inside_root(inside, target), "/usr/lib/wsl/")) continue;
      }
      f.linux_driver_files.push_back(inside);
    }
  }
  std::sort(f.linux_driver_files.begin(), f.linux_driver_files.end());
  if (auto status = read_below_root(root, "/var/lib/dpkg/status", 64 << 20)) {
    for (const std::string& p : installed_packages(*status))
      if (is_linux_driver_package(p)) f.linux_driver_packages.push_back(p);
  }
  return f;
}

}  // namespace wslcuda
