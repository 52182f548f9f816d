#pragma once
// NVML, loaded at run time (libnvidia-ml.so.1; the toolkit ships no nvml.h): the clocks and
// clock-event (throttle) reasons of a CUDA device, and its PCIe link. Read-only: wslcuda never
// changes clocks, power limits or persistence mode.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/result.hpp"  // clock_reading

namespace wslcuda {

/// A reader for CUDA device `device`, matched to its NVML handle by PCI bus id
/// (cudaDeviceGetPCIBusId, nvmlDeviceGetHandleByPciBusId_v2: CUDA and NVML orders may differ).
/// Empty when NVML cannot be loaded or does not know the device (some WSL builds): the rows
/// then carry no clocks block and the floors say that throttling could not be ruled out. The
/// reader returns nullopt for a reading NVML refuses.
std::function<std::optional<clock_reading>()> nvml_clock_reader(int device);

/// The PCIe link of CUDA device `device` as NVML reports it: maximum generation and width for
/// the device and system, then the current ones; nullopt when NVML cannot answer. The probe
/// uses it where sysfs has no PCI node for the GPU (WSL 2).
struct nvml_pcie_link {
  int max_generation = 0, max_width = 0, current_generation = 0, current_width = 0;
};
std::optional<nvml_pcie_link> nvml_link_of(int device);

/// The names of the clock-event reason bits of NVML's nvml.h (nvmlClocksEventReason*, formerly
/// nvmlClocksThrottleReason*) set in `mask`, leaving out "GPU idle": "applications clocks"
/// (0x2), "power cap" (0x4), "HW slowdown" (0x8), "sync boost" (0x10), "SW thermal" (0x20),
/// "HW thermal" (0x40), "HW power brake" (0x80), "display clock" (0x100).
std::vector<std::string> clock_event_reasons(unsigned long long mask);

}  // namespace wslcuda
