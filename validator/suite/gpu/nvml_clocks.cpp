#include "suite/gpu/nvml_clocks.hpp"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <memory>
#include <string>

#include "probe/library_loader.hpp"

namespace wslcuda {
namespace {

// From NVML's nvml.h: nvmlReturn_t is an int enum (0 = NVML_SUCCESS), nvmlDevice_t an opaque
// pointer, nvmlClockType_t NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2.
using nvml_device = struct nvml_device_st*;
constexpr int kNvmlSuccess = 0;
constexpr int kClockSm = 1;
constexpr int kClockMem = 2;

struct nvml_api {
  int (*init)() = nullptr;
  int (*handle_by_pci)(const char*, nvml_device*) = nullptr;
  int (*clock)(nvml_device, int, unsigned*) = nullptr;
  int (*max_clock)(nvml_device, int, unsigned*) = nullptr;
  int (*reasons)(nvml_device, unsigned long long*) = nullptr;
};

template <typename Fn>
void bind(void* handle, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
}

}  // namespace

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
  const loaded_library& lib = load_library_once(nvml_spec());
  if (lib.handle == nullptr) return {};
  auto api = std::make_shared<nvml_api>();
  bind(lib.handle, "nvmlInit_v2", api->init);
  bind(lib.handle, "nvmlDeviceGetHandleByPciBusId_v2", api->handle_by_pci);
  bind(lib.handle, "nvmlDeviceGetClockInfo", api->clock);
  bind(lib.handle, "nvmlDeviceGetMaxClockInfo", api->max_clock);
  bind(lib.handle, "nvmlDeviceGetCurrentClocksEventReasons", api->reasons);
  if (api->reasons == nullptr)  // drivers before 535 name it after throttling
    bind(lib.handle, "nvmlDeviceGetCurrentClocksThrottleReasons", api->reasons);
  if (api->init == nullptr || api->handle_by_pci == nullptr || api->clock == nullptr ||
      api->max_clock == nullptr || api->init() != kNvmlSuccess)
    return {};
  char bus_id[32] = {};
  if (cudaDeviceGetPCIBusId(bus_id, sizeof bus_id, device) != cudaSuccess) {
    (void)cudaGetLastError();
    return {};
  }
  nvml_device handle = nullptr;
  if (api->handle_by_pci(bus_id, &handle) != kNvmlSuccess) return {};
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
    if (api->reasons != nullptr && api->reasons(handle, &mask) == kNvmlSuccess)
      r.reasons = clock_event_reasons(mask);
    return r;
  };
}

}  // namespace wslcuda
