#include "dynload/nvml.hpp"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <cstdio>
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

std::optional<nvml_pcie_link> pcie_link_from(std::optional<unsigned> max_generation,
                                             std::optional<unsigned> max_width,
                                             std::optional<unsigned> current_generation,
                                             std::optional<unsigned> current_width) {
  if (!max_generation || !max_width) return std::nullopt;
  nvml_pcie_link link;
  link.max_generation = static_cast<int>(*max_generation);
  link.max_width = static_cast<int>(*max_width);
  if (current_generation && current_width) {
    link.current_generation = static_cast<int>(*current_generation);
    link.current_width = static_cast<int>(*current_width);
  }
  return link;
}

std::optional<nvml_pcie_link> nvml_link_of(int device) {
  void* lib = nullptr;
  const nvml_device handle = nvml_handle_of(device, lib);
  if (handle == nullptr) return std::nullopt;
  const char* const names[4] = {
      "nvmlDeviceGetMaxPcieLinkGeneration", "nvmlDeviceGetMaxPcieLinkWidth",
      "nvmlDeviceGetCurrPcieLinkGeneration", "nvmlDeviceGetCurrPcieLinkWidth"};
  std::optional<unsigned> answers[4];
  for (int i = 0; i < 4; ++i) {
    int (*query)(nvml_device, unsigned*) = nullptr;
    bind(lib, names[i], query);
    unsigned v = 0;
    if (query != nullptr && query(handle, &v) == kNvmlSuccess) answers[i] = v;
  }
  return pcie_link_from(answers[0], answers[1], answers[2], answers[3]);
}

std::vector<std::string> clock_event_reasons(unsigned long long mask) {
  static const struct {
    unsigned long long bit;
    const char* name;
  } names[] = {{0x2, "applications clocks"}, {0x4, "power cap"},      {0x8, "HW slowdown"},
               {0x10, "sync boost"},         {0x20, "SW thermal"},    {0x40, "HW thermal"},
               {0x80, "HW power brake"},     {0x100, "display clock"}};
  std::vector<std::string> out;
  unsigned long long named = 0x1;  // GPU idle: clock_reading::idle
  for (const auto& n : names) {
    named |= n.bit;
    if ((mask & n.bit) != 0) out.emplace_back(n.name);
  }
  for (unsigned long long bit = 1; bit != 0; bit <<= 1) {
    if ((mask & bit) == 0 || (named & bit) != 0) continue;
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx", bit);
    out.emplace_back(std::string("reason bit ") + hex);
  }
  return out;
}

std::optional<clock_reading> clock_reading_from(std::optional<unsigned> sm_mhz,
                                                std::optional<unsigned> sm_max_mhz,
                                                std::optional<unsigned> mem_mhz,
                                                std::optional<unsigned long long> reasons) {
  if (!sm_mhz) return std::nullopt;
  clock_reading r;
  r.sm_mhz = *sm_mhz;
  r.sm_max_mhz = sm_max_mhz.value_or(0);
  r.mem_mhz = mem_mhz.value_or(0);
  r.reasons_known = reasons.has_value();
  if (reasons) {
    r.reasons = clock_event_reasons(*reasons);
    r.idle = (*reasons & 0x1) != 0;  // nvmlClocksEventReasonGpuIdle
  }
  return r;
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
  if (api->clock == nullptr) return {};
  // The maximum once (it does not change); a device without one still gives its clocks.
  std::optional<unsigned> max_sm;
  unsigned v = 0;
  if (api->max_clock != nullptr && api->max_clock(handle, kClockSm, &v) == kNvmlSuccess && v > 0)
    max_sm = v;
  return [api, handle, max_sm]() -> std::optional<clock_reading> {
    const auto clock = [&](int type) -> std::optional<unsigned> {
      unsigned mhz = 0;
      if (api->clock(handle, type, &mhz) != kNvmlSuccess) return std::nullopt;
      return mhz;
    };
    std::optional<unsigned long long> reasons;
    unsigned long long mask = 0;
    if (api->reasons != nullptr && api->reasons(handle, &mask) == kNvmlSuccess) reasons = mask;
    return clock_reading_from(clock(kClockSm), max_sm, clock(kClockMem), reasons);
  };
}

}  // namespace wslcuda
