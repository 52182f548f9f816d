#pragma once
// Peak rates a result is compared with (fraction_of_peak). CUDA-free: the device attributes
// are read by the probe and passed in.

namespace wslcuda {

/// fp32 FMA lanes per SM per clock for compute capability major.minor; 0 when unknown.
/// Source: CUDA C++ Programming Guide, "Arithmetic Instructions", throughput table, row
/// "32-bit floating-point add, multiply, multiply-add" (results per clock per multiprocessor):
/// 64 for 7.5 and 8.0, 128 for 8.6, 8.7, 8.9, 9.0, 10.x, 11.x and 12.x.
int fp32_lanes_per_sm(int cc_major, int cc_minor) noexcept;

/// Peak fp32 FLOP/s = SMs × lanes × 2 (an FMA is two FLOPs) × clock. `sm_clock_khz` is
/// cudaDevAttrClockRate (the peak SM clock, kHz). 0 when the architecture is unknown.
double peak_fp32_flops(int sm_count, int sm_clock_khz, int cc_major, int cc_minor) noexcept;

/// Theoretical DRAM bandwidth, B/s = 2 (double data rate) × memory clock × bus width / 8, with
/// cudaDevAttrMemoryClockRate (kHz) and cudaDevAttrGlobalMemoryBusWidth (bits). Source: NVIDIA
/// Technical Blog, "How to Implement Performance Metrics in CUDA C/C++" (theoretical bandwidth).
/// E.g. H100 SXM5: 2 × 2.619 GHz × 5120 / 8 = 3.35 TB/s. 0 when either input is 0.
double peak_dram_bytes_per_s(int memory_clock_khz, int bus_width_bits) noexcept;

}  // namespace wslcuda
