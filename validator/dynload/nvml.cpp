#include "dynload/nvml.hpp"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <memory>
#include <string>

#include "dynload/library_loader.hpp"

namespace wslcuda {
namespace {

// From NVML's nvml.h: nvmlReturn_t is an int enum (0 = NVML_SUCCESS), nvmlDevice_t an opaque
// pointer, nvmlClockType_t NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2.
using nvml_device = struct nvml_device_st*;
constexpr int kNvmlSuccess = 0;
constexpr int kClockSm = 1;
constexpr int kClockMem = 2;

struct nvml_api {
  int (*clock)(nvml_device, int, unsigned*) = nullptr;
  int (*max_clock)(nvml_device, int, unsigned*) = nullptr;
  int (*reasons)(nvml_device, unsigned long long*) = nullptr;
};

template <typename Fn>
void bind(void* handle, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
}

/// NVML initialised and the handle of CUDA device `device` (by PCI bus id); nullptr when not.
nvml_device nvml_handle_of(int device, void*& library) {
  const loaded_library& lib = load_library_once(nvml_spec());
  library = lib.handle;
  if (lib.handle == nullptr) return nullptr;
  int (*init)() = nullptr;
  int (*handle_by_pci)(const char*, nvml_device*) = nullptr;
  bind(lib.handle, "nvmlInit_v2", init);
  bind(lib.handle, "nvmlDeviceGetHandleByPciBusId_v2", handle_by_pci);
  if (init == nullptr || handle_by_pci == nullptr || init() != kNvmlSuccess) return nullptr;
  char bus_id[32] = {};
  if (cudaDeviceGetPCIBusId(bus_id, sizeof bus_id, device) != cudaSuccess) {
    (void)cudaGetLastError();
    return nullptr;
  }
  nvml_device handle = nullptr;
  return handle_by_pci(bus_id, &handle) == kNvmlSuccess ? handle : nullptr;
}

}  // namespace

std::optional<nvml_pcie_link> nvml_link_of(int device) {
  void* lib = nullptr;
  const nvml_device handle = nvml_handle_of(device, lib);
  if (handle == nullptr) return std::nullopt;
  int (*query[4])(nvml_device, unsigned*) = {};
  bind(lib, "nvmlDeviceGetMaxPcieLinkGeneration", query[0]);
  bind(lib, "nvmlDeviceGetMaxPcieLinkWidth", query[1]);
  bind(lib, "nvmlDeviceGetCurrPcieLinkGeneration", query[2]);
  bind(lib, "nvmlDeviceGetCurrPcieLinkWidth", query[3]);
  unsigned v[4] = {};
  for (int i = 0; i < 4; ++i)
    if (query[i] == nullptr || query[i](handle, &v[i]) != kNvmlSuccess) return std::nullopt;
  return nvml_pcie_link{static_cast<int>(v[0]), static_cast<int>(v[1]), static_cast<int>(v[2]),
                        static_cast<int>(v[3])};
}

std::vector<std::string> clock_event_reasons(unsigned long long mask) {
  static const struct {
    unsigned long long bit;
    const char* name;
  } names[] = {{0x2, "applications clocks"}, {0x4, "power cap"},      {0x8, "HW slowdown"},
               {0x10, "sync boost"},         {0x20, "SW thermal"},    {0x40, "HW thermal"},
               {0x80, "HW power brake"},     {0x100, "display clock"}};
  std::vector<std::string> out;
  for (const auto& n : names)
    if ((mask & n.bit) != 0) out.emplace_back(n.name);
  return out;
}

std::function<std::optional<clock_reading>()> nvml_clock_reader(int device) {
  void* lib = nullptr;
  const nvml_device handle = nvml_handle_of(device, lib);
  if (handle == nullptr) return {};
  auto api = std::make_shared<nvml_api>();
  bind(lib, "nvmlDeviceGetClockInfo", api->clock);
  bind(lib, "nvmlDeviceGetMaxClockInfo", api->max_clock);
  bind(lib, "nvmlDeviceGetCurrentClocksEventReasons", api->reasons);
  if (api->reasons == nullptr)  // drivers before 535 name it after throttling
    bind(lib, "nvmlDeviceGetCurrentClocksThrottleReasons", api->reasons);
  if (api->clock == nullptr || api->max_clock == nullptr) return {};
  unsigned max_sm = 0;
  if (api->max_clock(handle, kClockSm, &max_sm) != kNvmlSuccess || max_sm == 0) return {};
  return [api, handle, max_sm]() -> std::optional<clock_reading> {
    unsigned sm = 0, mem = 0;
    if (api->clock(handle, kClockSm, &sm) != kNvmlSuccess) return std::nullopt;
    if (api->clock(handle, kClockMem, &mem) != kNvmlSuccess) mem = 0;
    clock_reading r;
    r.sm_mhz = sm;
    r.sm_max_mhz = max_sm;
    r.mem_mhz = mem;
    unsigned long long mask = 0;
    if (api->reasons != nullptr && api->reasons(handle, &mask) == kNvmlSuccess) {
      r.reasons = clock_event_reasons(mask);
      r.idle = (mask & 0x1) != 0;  // nvmlClocksEventReasonGpuIdle
    }
    return r;
  };
}

}  // namespace wslcuda
