#include "probe/wsl_probe.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "probe/host_probe.hpp"
#include "probe/search.hpp"

namespace wslcuda {
namespace {
std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(WSLCUDA_FIXTURES_DIR) / "roots" / name;
}
}  // namespace

TEST(WslProbe, HealthyRoot) {
  const wsl_facts f = probe_wsl_files(fixture("wsl2-ubuntu-22.04"));
  EXPECT_TRUE(f.dev_dxg);
  EXPECT_TRUE(f.wsl_libcuda);
  EXPECT_TRUE(f.wsl_libcuda_is_regular);
  EXPECT_TRUE(f.linux_driver_files.empty());  // its libcuda.so.1 link points into /usr/lib/wsl
  EXPECT_TRUE(f.linux_driver_packages.empty());
}

TEST(WslProbe, LinuxDriverInsideWsl) {
  const wsl_facts f = probe_wsl_files(fixture("wsl2-linux-driver"));
  EXPECT_EQ(f.linux_driver_files,
            (std::vector<std::string>{"/usr/lib/x86_64-linux-gnu/libcuda.so.1",
                                      "/usr/lib/x86_64-linux-gnu/libcuda.so.535.183.01",
                                      "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.535.183.01"}));
  EXPECT_EQ(f.linux_driver_packages,
            (std::vector<std::string>{"nvidia-driver-535", "libnvidia-compute-535"}));
}

TEST(WslProbe, MissingPieces) {
  EXPECT_FALSE(probe_wsl_files(fixture("wsl2-no-dxg")).dev_dxg);
  EXPECT_FALSE(probe_wsl_files(fixture("wsl2-no-libcuda")).wsl_libcuda);
  const wsl_facts none = probe_wsl_files("/nonexistent-root-for-wslcuda-tests");
  EXPECT_FALSE(none.dev_dxg);
  EXPECT_TRUE(none.linux_driver_files.empty());
}

TEST(WslProbe, DriverPackageNames) {
  for (const char* p :
       {"nvidia-driver-535", "nvidia-utils-550", "libnvidia-compute-580", "cuda-drivers",
        "cuda-drivers-580", "libcuda1", "nvidia-dkms-535", "xserver-xorg-video-nvidia-535"})
    EXPECT_TRUE(is_linux_driver_package(p)) << p;
  for (const char* p :
       {"cuda-toolkit-13-0", "nvidia-container-toolkit", "nvidia-container-toolkit-base",
        "libnvidia-container1", "nvidia-cuda-toolkit", "cuda-nvcc-13-0", "bash"})
    EXPECT_FALSE(is_linux_driver_package(p)) << p;
}

TEST(WslProbe, DpkgStatusParsing) {
  const std::string status =
      "Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: deinstall ok "
      "config-files\n\n"
      "Package:  c \r\nVersion: 1\r\nStatus: install ok installed\r\n";
  EXPECT_EQ(installed_packages(status), (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(installed_packages("").empty());
  const char junk[] = "\0\x01garbage\xff";
  EXPECT_TRUE(installed_packages(std::string(junk, sizeof junk - 1)).empty());
}

TEST(WslProbe, KernelVersions) {
  EXPECT_EQ(kernel_version_fields("5.15.153.1-microsoft-standard-WSL2"),
            (std::vector<int>{5, 15, 153, 1}));
  EXPECT_EQ(kernel_version_fields("6.6.36.6-microsoft-standard-WSL2+"),
            (std::vector<int>{6, 6, 36, 6}));
  EXPECT_EQ(kernel_version_fields("4.19.128-microsoft-standard"), (std::vector<int>{4, 19, 128}));
  EXPECT_FALSE(kernel_version_fields("").has_value());
  EXPECT_FALSE(kernel_version_fields("microsoft").has_value());
  EXPECT_LT(compare_versions({4, 19, 128}, {5, 10, 16, 3}), 0);
  EXPECT_GT(compare_versions({5, 10, 102, 1}, {5, 10, 16, 3}), 0);
  EXPECT_EQ(compare_versions({5, 10, 16, 3}, {5, 10, 16, 3}), 0);
  EXPECT_EQ(compare_versions({5, 10}, {5, 10, 0, 0}), 0);
}

TEST(HostProbe, PciDeviceIdFromSysfs) {
  const auto root = std::filesystem::path(::testing::TempDir()) / "sysfs-root";
  const auto dir = root / "sys/bus/pci/devices/0000:1b:00.0";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "device") << "0x2330\n";
  EXPECT_EQ(probe_pci_device_id(root, "0000:1b:00.0"), 0x2330u);
  EXPECT_EQ(probe_pci_device_id(root, "0000:65:00.0"), 0u);
  std::ofstream(dir / "device") << "garbage";
  EXPECT_EQ(probe_pci_device_id(root, "0000:1b:00.0"), 0u);
}

TEST(HostProbe, PcieLaneRates) {
  // Encoding only: 8b/10b for Gen1/2, 128b/130b for Gen3–5, 236/256 FLIT payload for Gen6.
  EXPECT_DOUBLE_EQ(pcie_lane_bytes_per_s(2.5), 250e6);
  EXPECT_DOUBLE_EQ(pcie_lane_bytes_per_s(5.0), 500e6);
  EXPECT_DOUBLE_EQ(pcie_lane_bytes_per_s(8.0), 1e9 * 128.0 / 130.0);
  EXPECT_DOUBLE_EQ(pcie_lane_bytes_per_s(32.0), 4e9 * 128.0 / 130.0);
  EXPECT_DOUBLE_EQ(pcie_lane_bytes_per_s(64.0), 8e9 * 236.0 / 256.0);
  EXPECT_EQ(pcie_lane_bytes_per_s(3.0), 0.0);
  EXPECT_EQ(pcie_generation(16.0), 4);
  EXPECT_EQ(pcie_generation(0.0), 0);
}

// Real sysfs: /sys/bus/pci/devices/<bdf> is a link into /sys/devices/pci…/<bridge>/<bdf>, and the
// bridge (the upstream port) has its own max_link_*.
TEST(HostProbe, HostLinkIsTheSlowerOfGpuAndUpstreamPort) {
  const auto root = std::filesystem::path(::testing::TempDir()) / "sysfs-link-root";
  std::filesystem::remove_all(root);
  const auto bridge = root / "sys/devices/pci0000:00/0000:00:01.0";
  const auto gpu = bridge / "0000:01:00.0";
  std::filesystem::create_directories(gpu);
  std::filesystem::create_directories(root / "sys/bus/pci/devices");
  std::filesystem::create_directory_symlink(gpu, root / "sys/bus/pci/devices/0000:01:00.0");
  std::ofstream(gpu / "max_link_speed") << "32.0 GT/s PCIe\n";
  std::ofstream(gpu / "max_link_width") << "16\n";

  host_link_info link = probe_host_link(root, "0000:01:00.0");
  EXPECT_EQ(link.generation, 5);
  EXPECT_EQ(link.width, 16);
  EXPECT_DOUBLE_EQ(link.bytes_per_s, 16 * 4e9 * 128.0 / 130.0);  // 63.0 GB/s
  EXPECT_NE(link.description.find("PCIe Gen5 x16"), std::string::npos) << link.description;

  std::ofstream(bridge / "max_link_speed") << "16.0 GT/s PCIe\n";  // a Gen4 slot
  std::ofstream(bridge / "max_link_width") << "8\n";
  link = probe_host_link(root, "0000:01:00.0");
  EXPECT_EQ(link.generation, 4);
  EXPECT_EQ(link.width, 8);
  EXPECT_NE(link.description.find("upstream port"), std::string::npos) << link.description;

  std::ofstream(gpu / "max_link_speed") << "Unknown\n";
  link = probe_host_link(root, "0000:01:00.0");
  EXPECT_EQ(link.bytes_per_s, 0.0);
  EXPECT_NE(link.description.find("unknown"), std::string::npos);
}

TEST(HostProbe, HostLinkUnknownOnWsl) {
  const host_link_info link = probe_host_link(
      std::filesystem::path(WSLCUDA_FIXTURES_DIR) / "roots" / "wsl2-ubuntu-24.04", "0000:01:00.0");
  EXPECT_EQ(link.bytes_per_s, 0.0);
  EXPECT_EQ(link.generation, 0);
  EXPECT_NE(link.description.find("WSL 2"), std::string::npos) << link.description;
}

TEST(Search, LargestSuccessfulAllocation) {
  constexpr std::uint64_t kStep = 256;
  int calls = 0;
  auto fits_below = [&](std::uint64_t limit) {
    return [&calls, limit](std::uint64_t bytes) {
      ++calls;
      return bytes <= limit;
    };
  };
  EXPECT_EQ(largest_successful(8192, kStep, fits_below(1u << 20)), 8192u);
  EXPECT_EQ(calls, 1);  // the cap fits: one attempt
  calls = 0;
  EXPECT_EQ(largest_successful(8192, kStep, fits_below(3000)), 2816u);  // 11 steps of 256
  EXPECT_LE(calls, 7);                                                  // 1 + log2(32)
  EXPECT_EQ(largest_successful(8192, kStep, fits_below(100)), 0u);
  EXPECT_EQ(largest_successful(100, kStep, fits_below(1000)), 0u);  // cap below one step
}

TEST(HostLink, FromNvmlWhereSysfsHasNone) {
  // WSL 2: NVML's maximum sets the peak, the current link is named.
  const host_link_info gen4 = host_link_from_nvml(4, 16, 1, 16);
  EXPECT_EQ(gen4.generation, 4);
  EXPECT_EQ(gen4.width, 16);
  EXPECT_NEAR(gen4.bytes_per_s, 16e9 * 128.0 / 130.0 / 8.0 * 16, 1e6);  // 31.5 GB/s
  EXPECT_NE(gen4.description.find("now Gen1 x16"), std::string::npos) << gen4.description;
  const host_link_info bad = host_link_from_nvml(0, 16, 0, 0);
  EXPECT_EQ(bad.bytes_per_s, 0.0);
  EXPECT_NE(bad.description.find("unknown"), std::string::npos);
  EXPECT_EQ(host_link_from_nvml(5, 64, 5, 64).bytes_per_s, 0.0);
  // A WSL build that answers the maximum but not the current link: the maximum still counts.
  const host_link_info max_only = host_link_from_nvml(5, 16, 0, 0);
  EXPECT_EQ(max_only.generation, 5);
  EXPECT_GT(max_only.bytes_per_s, 60e9);
  EXPECT_NE(max_only.description.find("NVML gave no current link"), std::string::npos)
      << max_only.description;
  EXPECT_EQ(max_only.description.find("Gen0"), std::string::npos) << max_only.description;
}

}  // namespace wslcuda
