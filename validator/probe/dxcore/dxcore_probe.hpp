#pragma once
// DXCore as WSL exposes it (libdxcore.so in /usr/lib/wsl/lib): the Windows adapters the GPU
// paravirtualisation sees, with the Windows driver version. Plain C++ interface; the DirectX
// headers (whose WSL stubs redefine LONG_MAX, interface, TRUE…) stay in dxcore_probe.cpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/environment.hpp"

namespace wslcuda {

/// Loads DXCore from `dxcore_path` (dlopen), lists adapters with the
/// DXCORE_ADAPTER_ATTRIBUTE_D3D12_CORE_COMPUTE attribute and reads their properties; when
/// `d3d12_path` is not empty, also tries D3D12CreateDevice on the first hardware NVIDIA adapter.
/// Never throws: failures are in `error` / `d3d12_error`.
dxcore_result probe_dxcore(const std::string& dxcore_path, const std::string& d3d12_path);

/// "a.b.c.d" of a DXCore DriverVersion (16 bits each, a in the top bits).
std::string format_driver_version(std::uint64_t raw);

/// The version NVIDIA users know from a Windows driver version a.b.c.d: (c % 10)·10000 + d,
/// written with two decimals: 31.0.15.5222 → "552.22", 32.0.15.8115 → "581.15".
/// Source: NVIDIA's driver numbering (the last five digits of the Windows version).
std::string nvidia_windows_version(std::uint64_t raw);

/// PCI vendor id of NVIDIA.
constexpr std::uint32_t kNvidiaVendorId = 0x10de;

}  // namespace wslcuda
