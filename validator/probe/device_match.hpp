#pragma once
// Matching CUDA devices to DXCore adapters: on WSL the DXCore LUID may not equal CUDA's `luid`, so
// the LUID is used when both are non-zero and equal, else the PCI vendor/device and bus id, else
// the name and memory size, and the method that matched is recorded. CUDA-free and DirectX-free:
// plain records in, method out.

#include <string>
#include <vector>

#include "model/environment.hpp"
#include "probe/dxcore/dxcore_probe.hpp"

namespace wslcuda {

/// How a device was matched: "luid", "pci", "name_memory", or "none".
struct device_match {
  std::string method = "none";
  int adapter = -1;  ///< index into the adapter list, -1 when none
};

/// 16 hex digits of an adapter LUID in the byte order of cudaDeviceProp::luid (LowPart then
/// HighPart, each little-endian), so it compares with device_record::luid.
std::string luid_hex(const dxcore_adapter& a);

/// Matches `device` to one of the hardware `adapters`: by LUID when both are non-zero and equal;
/// else by PCI vendor (NVIDIA) and device id when the device's PCI device id is known; else by
/// name (case-insensitive, "NVIDIA " prefix ignored) and memory within 10 % (DXCore reports
/// dedicated memory, CUDA total global memory; they differ by reserved regions).
device_match match_device(const device_record& device, const std::vector<dxcore_adapter>& adapters);

}  // namespace wslcuda
