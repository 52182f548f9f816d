#include "measure/roofline.hpp"

namespace wslcuda {

int fp32_lanes_per_sm(int cc_major, int cc_minor) noexcept {
  if (cc_major == 7 && cc_minor == 5) return 64;
  if (cc_major == 8 && cc_minor == 0) return 64;
  if (cc_major == 8 && (cc_minor == 6 || cc_minor == 7 || cc_minor == 9)) return 128;
  if (cc_major == 9 && cc_minor == 0) return 128;
  if (cc_major == 10 || cc_major == 11 || cc_major == 12) return 128;
  return 0;
}

double peak_fp32_flops(int sm_count, int sm_clock_khz, int cc_major, int cc_minor) noexcept {
  return static_cast<double>(sm_count) * fp32_lanes_per_sm(cc_major, cc_minor) * 2.0 *
         static_cast<double>(sm_clock_khz) * 1e3;
}

int tensor_flops_per_sm_clock(int cc_major, int cc_minor, const std::string& precision) noexcept {
  const bool tf32 = precision == "tf32";
  const bool half = precision == "f16" || precision == "bf16";
  if (!tf32 && !half) return 0;
  if (cc_major == 7 && cc_minor == 5) return precision == "f16" ? 1024 : 0;
  if (cc_major == 8 && cc_minor == 0) return half ? 2048 : 1024;
  if ((cc_major == 8 && (cc_minor == 6 || cc_minor == 7 || cc_minor == 9)) || cc_major == 12)
    return half ? 1024 : 512;
  if (cc_major == 9 && cc_minor == 0) return half ? 4096 : 2048;
  if (cc_major == 10) return half ? 8192 : 4096;
  return 0;
}

double peak_tensor_flops(int sm_count, int sm_clock_khz, int cc_major, int cc_minor,
                         const std::string& precision) noexcept {
  return static_cast<double>(sm_count) * tensor_flops_per_sm_clock(cc_major, cc_minor, precision) *
         static_cast<double>(sm_clock_khz) * 1e3;
}

double peak_dram_bytes_per_s(int memory_clock_khz, int bus_width_bits) noexcept {
  return 2.0 * static_cast<double>(memory_clock_khz) * 1e3 * static_cast<double>(bus_width_bits) /
         8.0;
}

}  // namespace wslcuda
