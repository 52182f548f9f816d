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

double peak_dram_bytes_per_s(int memory_clock_khz, int bus_width_bits) noexcept {
  return 2.0 * static_cast<double>(memory_clock_khz) * 1e3 * static_cast<double>(bus_width_bits) /
         8.0;
}

}  // namespace wslcuda
