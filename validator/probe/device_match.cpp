#include "probe/device_match.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace wslcuda {
namespace {

std::string normalized_name(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string prefix = "nvidia ";
  if (s.rfind(prefix, 0) == 0) s.erase(0, prefix.size());
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

bool all_zero(const std::string& hex) {
  return hex.find_first_not_of('0') == std::string::npos;
}

}  // namespace

std::string luid_hex(const dxcore_adapter& a) {
  const auto high = static_cast<std::uint32_t>(a.luid_high);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%02x%02x%02x%02x%02x%02x%02x%02x", a.luid_low & 0xff,
                (a.luid_low >> 8) & 0xff, (a.luid_low >> 16) & 0xff, (a.luid_low >> 24) & 0xff,
                high & 0xff, (high >> 8) & 0xff, (high >> 16) & 0xff, (high >> 24) & 0xff);
  return buf;
}

device_match match_device(const device_record& device,
                          const std::vector<dxcore_adapter>& adapters) {
  device_match m;
  if (!device.luid.empty() && !all_zero(device.luid)) {
    for (std::size_t i = 0; i < adapters.size(); ++i) {
      const std::string hex = luid_hex(adapters[i]);
      if (adapters[i].is_hardware && !all_zero(hex) && hex == device.luid)
        return {"luid", static_cast<int>(i)};
    }
  }
  if (device.pci_device_id != 0) {
    for (std::size_t i = 0; i < adapters.size(); ++i) {
      const dxcore_adapter& a = adapters[i];
      if (a.is_hardware && a.vendor_id == kNvidiaVendorId && a.device_id == device.pci_device_id)
        return {"pci", static_cast<int>(i)};
    }
  }
  const std::string name = normalized_name(device.name);
  for (std::size_t i = 0; i < adapters.size(); ++i) {
    const dxcore_adapter& a = adapters[i];
    if (!a.is_hardware || normalized_name(a.description) != name || a.dedicated_memory_bytes == 0)
      continue;
    const double ratio = static_cast<double>(device.total_memory_bytes) /
                         static_cast<double>(a.dedicated_memory_bytes);
    if (std::fabs(ratio - 1.0) <= 0.10) return {"name_memory", static_cast<int>(i)};
  }
  return m;
}

}  // namespace wslcuda
