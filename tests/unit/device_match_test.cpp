#include "probe/device_match.hpp"

#include <gtest/gtest.h>

namespace wslcuda {
namespace {

dxcore_adapter adapter(const std::string& name, std::uint32_t device_id, std::uint32_t luid_low,
                       std::uint64_t memory, bool hardware = true) {
  dxcore_adapter a;
  a.description = name;
  a.vendor_id = kNvidiaVendorId;
  a.device_id = device_id;
  a.luid_low = luid_low;
  a.dedicated_memory_bytes = memory;
  a.is_hardware = hardware;
  return a;
}

device_record device(const std::string& name, std::uint64_t memory) {
  device_record d;
  d.name = name;
  d.total_memory_bytes = memory;
  return d;
}

}  // namespace

TEST(DeviceMatch, LuidHexUsesCudaByteOrder) {
  dxcore_adapter a;
  a.luid_low = 0x0000d1e5;
  a.luid_high = 0x1;
  EXPECT_EQ(luid_hex(a), "e5d1000001000000");
}

TEST(DeviceMatch, ByLuidFirst) {
  const std::vector<dxcore_adapter> adapters = {
      adapter("NVIDIA RTX A6000", 0x2230, 0x1111, 48ULL << 30),
      adapter("NVIDIA GeForce RTX 4090", 0x2684, 0xd1e5, 24ULL << 30)};
  device_record d = device("NVIDIA GeForce RTX 4090", 24ULL << 30);
  d.luid = "e5d1000000000000";
  const device_match m = match_device(d, adapters);
  EXPECT_EQ(m.method, "luid");
  EXPECT_EQ(m.adapter, 1);
}

TEST(DeviceMatch, ByPciIdsWhenLuidsDiffer) {
  const std::vector<dxcore_adapter> adapters = {
      adapter("NVIDIA GeForce RTX 4090", 0x2684, 0xd1e5, 24ULL << 30)};
  device_record d = device("something else", 1);
  d.luid = "0102030400000000";  // WSL may report a different LUID
  d.pci_device_id = 0x2684;
  const device_match m = match_device(d, adapters);
  EXPECT_EQ(m.method, "pci");
  EXPECT_EQ(m.adapter, 0);
}

TEST(DeviceMatch, ByNameAndMemoryLast) {
  const std::vector<dxcore_adapter> adapters = {
      adapter("Microsoft Basic Render Driver", 0, 0, 0, false),
      adapter("NVIDIA GeForce RTX 4090", 0x2684, 0, 25757220864ULL)};
  // CUDA reports slightly less total memory than DXCore's dedicated memory.
  const device_match m = match_device(device("NVIDIA GeForce RTX 4090", 25393692672ULL), adapters);
  EXPECT_EQ(m.method, "name_memory");
  EXPECT_EQ(m.adapter, 1);
  EXPECT_EQ(match_device(device("NVIDIA GeForce RTX 4090", 12ULL << 30), adapters).method, "none");
  EXPECT_EQ(match_device(device("NVIDIA GeForce RTX 3090", 24ULL << 30), adapters).method, "none");
}

TEST(DeviceMatch, SoftwareAdaptersNeverMatch) {
  const std::vector<dxcore_adapter> adapters = {
      adapter("NVIDIA GeForce RTX 4090", 0x2684, 0xd1e5, 24ULL << 30, false)};
  device_record d = device("NVIDIA GeForce RTX 4090", 24ULL << 30);
  d.luid = "e5d1000000000000";
  d.pci_device_id = 0x2684;
  EXPECT_EQ(match_device(d, adapters).method, "none");
}

}  // namespace wslcuda
