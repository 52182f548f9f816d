#include "probe/host_probe.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace wslcuda {
namespace {

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(WSLCUDA_FIXTURES_DIR) / "roots" / name;
}

}  // namespace

TEST(HostProbe, Wsl2Ubuntu2204) {
  const host_info h = probe_host(fixture("wsl2-ubuntu-22.04"));
  EXPECT_EQ(h.kernel_release, "5.15.153.1-microsoft-standard-WSL2");
  EXPECT_TRUE(h.is_wsl);
  EXPECT_EQ(h.wsl_version, 2);
  EXPECT_EQ(h.virtualization, "wsl2");
  EXPECT_EQ(h.distro, "Ubuntu 22.04.4 LTS");
  EXPECT_EQ(h.logical_cpus, 2);
  EXPECT_EQ(h.cpu, "AMD Ryzen 9 7950X 16-Core Processor");
  EXPECT_EQ(h.memory_bytes, 16318420ULL * 1024);
}

TEST(HostProbe, Wsl1) {
  const host_info h = probe_host(fixture("wsl1"));
  EXPECT_TRUE(h.is_wsl);
  EXPECT_EQ(h.wsl_version, 1);
}

TEST(HostProbe, BareMetalLinuxWithDriver) {
  const std::filesystem::path root = fixture("baremetal-linux-nvidia");
  const host_info h = probe_host(root);
  EXPECT_FALSE(h.is_wsl);
  EXPECT_EQ(h.wsl_version, 0);
  EXPECT_EQ(h.virtualization, "none detected");
  EXPECT_EQ(probe_kernel_module_version(root), std::optional<std::string>("580.65.06"));
  EXPECT_FALSE(probe_kernel_module_version(fixture("wsl2-ubuntu-22.04")).has_value());
}

TEST(HostProbe, GarbageNeverCrashes) {
  // Empty osrelease, binary junk in /proc/version, a directory where os-release should be,
  // a link loop for cpuinfo, no meminfo at all.
  const std::filesystem::path root = std::filesystem::path(::testing::TempDir()) / "garbage-root";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "proc/sys/kernel");
  std::filesystem::create_directories(root / "etc/os-release");
  std::ofstream(root / "proc/sys/kernel/osrelease").close();
  {
    std::ofstream junk(root / "proc/version", std::ios::binary);
    for (int i = 0; i < 4096; ++i) junk.put(static_cast<char>(i * 37));
  }
  std::filesystem::create_symlink("cpuinfo", root / "proc/cpuinfo");
  const host_info h = probe_host(root);
  EXPECT_EQ(h.kernel_release, "");
  EXPECT_EQ(h.distro, "");
  EXPECT_EQ(h.cpu, "");
  EXPECT_EQ(h.memory_bytes, 0u);
  EXPECT_FALSE(read_below_root(root, "/etc/os-release").has_value());
  EXPECT_FALSE(read_below_root(root, "/proc/cpuinfo").has_value());
  EXPECT_FALSE(read_below_root(root, "/does/not/exist").has_value());
}

TEST(HostProbe, ReadIsBounded) {
  const std::filesystem::path root = std::filesystem::path(::testing::TempDir()) / "big-root";
  std::filesystem::create_directories(root);
  {
    std::ofstream big(root / "big");
    big << std::string(10000, 'x');
  }
  EXPECT_EQ(read_below_root(root, "/big", 100)->size(), 100u);
}

}  // namespace wslcuda
