#pragma once
// Peak rates a result is compared with (fraction_of_peak). CUDA-free: the device attributes
// are read by the probe and passed in.

#include <string>

namespace wslcuda {

/// fp32 FMA lanes per SM per clock for compute capability major.minor; 0 when unknown.
/// Source: CUDA C++ Programming Guide, "Arithmetic Instructions", throughput table, row
/// "32-bit floating-point add, multiply, multiply-add" (results per clock per multiprocessor):
/// 64 for 7.5 and 8.0, 128 for 8.6, 8.7, 8.9, 9.0, 10.x, 11.x and 12.x.
int fp32_lanes_per_sm(int cc_major, int cc_minor) noexcept;

/// Peak fp32 FLOP/s = SMs × lanes × 2 (an FMA is two FLOPs) × clock. `sm_clock_khz` is
/// cudaDevAttrClockRate (the peak SM clock, kHz). 0 when the architecture is unknown.
double peak_fp32_flops(int sm_count, int sm_clock_khz, int cc_major, int cc_minor) noexcept;

/// Dense tensor-core FLOPs per clock per SM (fp32 accumulation) for `precision` ("tf32", "f16",
/// "bf16"), 0 when the architecture has none. Upper bounds (the professional parts' rates;
/// GeForce halves fp32-accumulate throughput on some architectures), derived as datasheet peak /
/// (SMs × boost clock):
///   7.5: f16 1024 (Tesla T4: 65 TFLOPS, 40 SMs, 1.59 GHz); no tf32/bf16;
///   8.0: f16/bf16 2048, tf32 1024 (A100 whitepaper: 312 / 156 TFLOPS, 108 SMs, 1.41 GHz);
///   8.6, 8.7, 8.9, 12.x: f16/bf16 1024, tf32 512 (A40: 149.7 / 74.8 TFLOPS, 84 SMs, 1.74 GHz;
///        L40S: 362 / 183 TFLOPS, 142 SMs, 2.52 GHz; RTX PRO 6000 Blackwell likewise);
///   9.0: f16/bf16 4096, tf32 2048 (H100 SXM5: 989.4 / 494.7 TFLOPS, 132 SMs, 1.83 GHz);
///   10.x: f16/bf16 8192, tf32 4096 (HGX B200: 2.25 / 1.1 PFLOPS dense, 148 SMs).
int tensor_flops_per_sm_clock(int cc_major, int cc_minor, const std::string& precision) noexcept;

/// Peak dense tensor-core FLOP/s: SMs × tensor_flops_per_sm_clock × clock (kHz from
/// cudaDevAttrClockRate). 0 when unknown.
double peak_tensor_flops(int sm_count, int sm_clock_khz, int cc_major, int cc_minor,
                         const std::string& precision) noexcept;

/// Theoretical DRAM bandwidth, B/s = 2 (double data rate) × memory clock × bus width / 8, with
/// cudaDevAttrMemoryClockRate (kHz) and cudaDevAttrGlobalMemoryBusWidth (bits). Source: NVIDIA
/// Technical Blog, "How to Implement Performance Metrics in CUDA C/C++" (theoretical bandwidth).
/// E.g. H100 SXM5: 2 × 2.619 GHz × 5120 / 8 = 3.35 TB/s. 0 when either input is 0.
double peak_dram_bytes_per_s(int memory_clock_khz, int bus_width_bits) noexcept;

}  // namespace wslcuda
