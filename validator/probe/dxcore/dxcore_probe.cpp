// The only translation unit that includes the DirectX headers (their WSL stubs redefine
// LONG_MAX, `interface`, TRUE…). See dxcore_probe.hpp.

#include "probe/dxcore/dxcore_probe.hpp"

#include <dlfcn.h>

// The WSL stub header must come first.
// clang-format off
#include <wsl/winadapter.h>
#include <dxcore.h>
#include <d3d12.h>
// clang-format on

#include <cstdio>

namespace wslcuda {
namespace {

/// Releases a COM pointer on scope exit.
template <typename T>
struct com_ptr {
  T* p = nullptr;
  com_ptr() = default;
  com_ptr(const com_ptr&) = delete;
  com_ptr& operator=(const com_ptr&) = delete;
  ~com_ptr() {
    if (p != nullptr) p->Release();
  }
  void** out() { return reinterpret_cast<void**>(&p); }
};

std::string hresult_text(const char* call, HRESULT hr) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s failed: HRESULT 0x%08x", call, static_cast<unsigned>(hr));
  return buf;
}

template <typename T>
bool read_property(IDXCoreAdapter* a, DXCoreAdapterProperty prop, T* out) {
  if (!a->IsPropertySupported(prop)) return false;
  return SUCCEEDED(a->GetProperty(prop, sizeof(T), out));
}

dxcore_adapter read_adapter(IDXCoreAdapter* a) {
  dxcore_adapter out;
  size_t size = 0;
  if (a->IsPropertySupported(DXCoreAdapterProperty::DriverDescription) &&
      SUCCEEDED(a->GetPropertySize(DXCoreAdapterProperty::DriverDescription, &size)) && size > 0 &&
      size < 4096) {
    std::string text(size, '\0');
    if (SUCCEEDED(a->GetProperty(DXCoreAdapterProperty::DriverDescription, size, text.data())))
      out.description = text.c_str();  // drop the terminator
  }
  DXCoreHardwareID hw{};
  if (read_property(a, DXCoreAdapterProperty::HardwareID, &hw)) {
    out.vendor_id = hw.vendorID;
    out.device_id = hw.deviceID;
    out.subsys_id = hw.subSysID;
    out.revision = hw.revision;
  }
  uint64_t version = 0;
  if (read_property(a, DXCoreAdapterProperty::DriverVersion, &version)) {
    out.driver_version_raw = version;
    out.driver_version = format_driver_version(version);
    if (out.vendor_id == kNvidiaVendorId)
      out.windows_driver_version = nvidia_windows_version(version);
  }
  LUID luid{};
  if (read_property(a, DXCoreAdapterProperty::InstanceLuid, &luid)) {
    out.luid_low = luid.LowPart;
    out.luid_high = luid.HighPart;
  }
  uint64_t memory = 0;
  if (read_property(a, DXCoreAdapterProperty::DedicatedAdapterMemory, &memory))
    out.dedicated_memory_bytes = memory;
  bool hardware = false;
  if (read_property(a, DXCoreAdapterProperty::IsHardware, &hardware)) out.is_hardware = hardware;
  return out;
}

void try_d3d12(IDXCoreAdapter* adapter, const std::string& d3d12_path, dxcore_result& out) {
  out.d3d12_library = d3d12_path;
  void* lib = dlopen(d3d12_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* e = dlerror();
    out.d3d12_error = std::string("cannot load ") + d3d12_path + ": " + (e != nullptr ? e : "?");
    return;
  }
  auto create = reinterpret_cast<PFN_D3D12_CREATE_DEVICE>(dlsym(lib, "D3D12CreateDevice"));
  if (create == nullptr) {
    out.d3d12_error = d3d12_path + " has no D3D12CreateDevice";
    return;
  }
  com_ptr<IUnknown> device;
  const HRESULT hr = create(adapter, D3D_FEATURE_LEVEL_1_0_CORE, IID_ID3D12Device, device.out());
  out.d3d12_error = SUCCEEDED(hr) && device.p != nullptr
                        ? std::string()
                        : hresult_text("D3D12CreateDevice(D3D_FEATURE_LEVEL_1_0_CORE)", hr);
}

}  // namespace

std::string format_driver_version(std::uint64_t raw) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", static_cast<unsigned>((raw >> 48) & 0xffff),
                static_cast<unsigned>((raw >> 32) & 0xffff),
                static_cast<unsigned>((raw >> 16) & 0xffff), static_cast<unsigned>(raw & 0xffff));
  return buf;
}

std::string nvidia_windows_version(std::uint64_t raw) {
  const unsigned c = static_cast<unsigned>((raw >> 16) & 0xffff);
  const unsigned d = static_cast<unsigned>(raw & 0xffff);
  const unsigned v = (c % 10) * 10000 + d;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%u.%02u", v / 100, v % 100);
  return buf;
}

dxcore_result probe_dxcore(const std::string& dxcore_path, const std::string& d3d12_path) {
  dxcore_result out;
  out.library = dxcore_path;
  void* lib = dlopen(dxcore_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* e = dlerror();
    out.error = std::string("cannot load ") + dxcore_path + ": " + (e != nullptr ? e : "?");
    return out;
  }
  using create_factory_fn = HRESULT (*)(REFIID, void**);
  auto create = reinterpret_cast<create_factory_fn>(dlsym(lib, "DXCoreCreateAdapterFactory"));
  if (create == nullptr) {
    out.error = dxcore_path + " has no DXCoreCreateAdapterFactory";
    return out;
  }
  com_ptr<IDXCoreAdapterFactory> factory;
  if (const HRESULT hr = create(IID_IDXCoreAdapterFactory, factory.out());
      FAILED(hr) || factory.p == nullptr) {
    out.error = hresult_text("DXCoreCreateAdapterFactory", hr);
    return out;
  }
  out.loaded = true;
  com_ptr<IDXCoreAdapterList> list;
  const GUID attributes[] = {DXCORE_ADAPTER_ATTRIBUTE_D3D12_CORE_COMPUTE};
  if (const HRESULT hr =
          factory.p->CreateAdapterList(1, attributes, IID_IDXCoreAdapterList, list.out());
      FAILED(hr) || list.p == nullptr) {
    out.error = hresult_text("IDXCoreAdapterFactory::CreateAdapterList(D3D12_CORE_COMPUTE)", hr);
    return out;
  }
  const uint32_t count = list.p->GetAdapterCount();
  bool d3d12_tried = d3d12_path.empty();
  for (uint32_t i = 0; i < count && i < 64; ++i) {
    com_ptr<IDXCoreAdapter> adapter;
    if (FAILED(list.p->GetAdapter(i, IID_IDXCoreAdapter, adapter.out())) || adapter.p == nullptr)
      continue;
    out.adapters.push_back(read_adapter(adapter.p));
    const dxcore_adapter& a = out.adapters.back();
    if (!d3d12_tried && a.is_hardware && a.vendor_id == kNvidiaVendorId) {
      try_d3d12(adapter.p, d3d12_path, out);
      d3d12_tried = true;
    }
  }
  return out;
}

}  // namespace wslcuda
