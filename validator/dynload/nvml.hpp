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
/// reader returns nullopt for a reading NVML refuses; a device without a maximum SM clock, or
/// whose reasons query fails, still gives readings (clock_reading_from).
std::function<std::optional<clock_reading>()> nvml_clock_reader(int device);

/// The PCIe link of CUDA device `device` as NVML reports it: maximum generation and width for
/// the device and system, then the current ones (0 where NVML gives none: some WSL builds answer
/// the maxima only); nullopt when NVML cannot answer the maxima. The probe uses it where sysfs
/// has no PCI node for the GPU (WSL 2).
struct nvml_pcie_link {
  int max_generation = 0, max_width = 0, current_generation = 0, current_width = 0;
};
std::optional<nvml_pcie_link> nvml_link_of(int device);

/// The link from NVML's four answers (nullopt for a query that failed or is missing): nullopt
/// unless both maxima are known, which set the peak; the current pair is 0 (unknown) when
/// either is missing.
std::optional<nvml_pcie_link> pcie_link_from(std::optional<unsigned> max_generation,
                                             std::optional<unsigned> max_width,
                                             std::optional<unsigned> current_generation,
                                             std::optional<unsigned> current_width);

/// One clock reading from NVML's answers (nullopt for a query that failed or is missing):
/// nullopt without an SM clock; the maximum SM clock 0 (unknown) when NVML gives none, so the
/// reading is still recorded but never counted as throttled; the memory clock 0 when unknown;
/// reasons_known false when the clock-event reasons failed (a low clock is then unknown, never
/// throttled), else the named reasons and the idle bit.
std::optional<clock_reading> clock_reading_from(std::optional<unsigned> sm_mhz,
                                                std::optional<unsigned> sm_max_mhz,
                                                std::optional<unsigned> mem_mhz,
                                                std::optional<unsigned long long> reasons);

/// The names of the clock-event reason bits set in `mask`, leaving out "GPU idle" (0x1, which
/// clock_reading::idle carries): "applications clocks" (0x2), "power cap" (0x4), "HW slowdown"
/// (0x8), "sync boost" (0x10), "SW thermal" (0x20), "HW thermal" (0x40), "HW power brake"
/// (0x80), "display clock" (0x100). These are all of nvmlClocksEventReasonAll in the NVML header
/// of NVML API version 13 (nvml.h as NVIDIA/go-nvml's gen/nvml/nvml.h carries it, 2026-07;
/// "board limit" and "reliability" there are perf-policy field ids, NVML_FI_DEV_PERF_POLICY_*,
/// not reason bits). A bit a later NVML adds is named "reason bit 0x…", never dropped.
std::vector<std::string> clock_event_reasons(unsigned long long mask);

}  // namespace wslcuda
