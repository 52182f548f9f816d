// DXCore probing against the fake libdxcore.so / libd3d12.so built by the tests
// (tests/fixtures/fake_dxcore), through the same code as the real library on WSL.

#include "probe/dxcore/dxcore_probe.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "probe/device_match.hpp"

namespace wslcuda {
namespace {

const std::string kDxcore = WSLCUDA_FAKE_WSL_LIB_DIR "/libdxcore.so";
const std::string kD3d12 = WSLCUDA_FAKE_WSL_LIB_DIR "/libd3d12.so";

/// Sets an environment variable for the scope of a test.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;
  ~scoped_env() { unsetenv(name_); }

 private:
  const char* name_;
};

}  // namespace

TEST(Dxcore, DriverVersionDecoding) {
  const std::uint64_t v = (31ULL << 48) | (0ULL << 32) | (15ULL << 16) | 5222ULL;
  EXPECT_EQ(format_driver_version(v), "31.0.15.5222");
  EXPECT_EQ(nvidia_windows_version(v), "552.22");
  EXPECT_EQ(nvidia_windows_version((32ULL << 48) | (15ULL << 16) | 8115ULL), "581.15");
  EXPECT_EQ(nvidia_windows_version((31ULL << 48) | (15ULL << 16) | 3623ULL), "536.23");
  EXPECT_EQ(nvidia_windows_version((30ULL << 48) | (14ULL << 16) | 7212ULL), "472.12");
  EXPECT_EQ(nvidia_windows_version((32ULL << 48) | (16ULL << 16) | 105ULL),
            "601.05");  // leading zero kept
}

TEST(Dxcore, EnumeratesTheFakeAdapters) {
  const dxcore_result r = probe_dxcore(kDxcore, kD3d12);
  ASSERT_TRUE(r.loaded) << r.error;
  EXPECT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.adapters.size(), 2u);
  const dxcore_adapter& nv = r.adapters[0];
  EXPECT_EQ(nv.description, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(nv.vendor_id, kNvidiaVendorId);
  EXPECT_EQ(nv.device_id, 0x2684u);
  EXPECT_EQ(nv.driver_version, "31.0.15.5222");
  EXPECT_EQ(nv.windows_driver_version, std::optional<std::string>("552.22"));
  EXPECT_EQ(nv.luid_low, 0xd1e5u);
  EXPECT_EQ(nv.dedicated_memory_bytes, 25757220864ULL);
  EXPECT_TRUE(nv.is_hardware);
  const dxcore_adapter& sw = r.adapters[1];
  EXPECT_EQ(sw.description, "Microsoft Basic Render Driver");
  EXPECT_FALSE(sw.is_hardware);
  EXPECT_FALSE(sw.windows_driver_version.has_value());  // not NVIDIA: no NVIDIA numbering
  ASSERT_TRUE(r.d3d12_error.has_value());
  EXPECT_EQ(*r.d3d12_error, "");
}

TEST(Dxcore, MatchesCudaDevicesToFakeAdapters) {
  const dxcore_result r = probe_dxcore(kDxcore, "");
  ASSERT_EQ(r.adapters.size(), 2u);
  EXPECT_FALSE(r.d3d12_error.has_value());  // not asked for
  device_record by_luid;
  by_luid.luid = "e5d1000000000000";
  EXPECT_EQ(match_device(by_luid, r.adapters).method, "luid");
  device_record by_pci;
  by_pci.pci_device_id = 0x2684;
  EXPECT_EQ(match_device(by_pci, r.adapters).method, "pci");
  device_record by_name;
  by_name.name = "NVIDIA GeForce RTX 4090";
  by_name.total_memory_bytes = 25393692672ULL;
  EXPECT_EQ(match_device(by_name, r.adapters).method, "name_memory");
}

TEST(Dxcore, NoNvidiaAdapter) {
  scoped_env mode("FAKE_DXCORE_MODE", "no-nvidia");
  const dxcore_result r = probe_dxcore(kDxcore, kD3d12);
  ASSERT_TRUE(r.loaded);
  ASSERT_EQ(r.adapters.size(), 1u);
  EXPECT_FALSE(r.adapters[0].is_hardware);
  EXPECT_FALSE(r.d3d12_error.has_value());  // nothing to create a device on
}

TEST(Dxcore, FactoryAndListFailures) {
  {
    scoped_env mode("FAKE_DXCORE_MODE", "factory-fails");
    const dxcore_result r = probe_dxcore(kDxcore, kD3d12);
    EXPECT_FALSE(r.loaded);
    EXPECT_NE(r.error.find("DXCoreCreateAdapterFactory failed: HRESULT 0x80004005"),
              std::string::npos)
        << r.error;
  }
  {
    scoped_env mode("FAKE_DXCORE_MODE", "list-fails");
    const dxcore_result r = probe_dxcore(kDxcore, kD3d12);
    EXPECT_TRUE(r.loaded);
    EXPECT_NE(r.error.find("CreateAdapterList"), std::string::npos) << r.error;
    EXPECT_TRUE(r.adapters.empty());
  }
}

TEST(Dxcore, D3d12Failure) {
  scoped_env mode("FAKE_D3D12_MODE", "unsupported");
  const dxcore_result r = probe_dxcore(kDxcore, kD3d12);
  ASSERT_TRUE(r.d3d12_error.has_value());
  EXPECT_NE(r.d3d12_error->find("0x887a0004"), std::string::npos) << *r.d3d12_error;
}

TEST(Dxcore, MissingLibraries) {
  const dxcore_result r = probe_dxcore("/nonexistent/libdxcore.so", kD3d12);
  EXPECT_FALSE(r.loaded);
  EXPECT_NE(r.error.find("cannot load /nonexistent/libdxcore.so"), std::string::npos);
  const dxcore_result d = probe_dxcore(kDxcore, "/nonexistent/libd3d12.so");
  ASSERT_TRUE(d.d3d12_error.has_value());
  EXPECT_NE(d.d3d12_error->find("cannot load"), std::string::npos);
}

}  // namespace wslcuda
