#include "suite/gpu/builtin.hpp"

#include "suite/isolation.hpp"

namespace wslcuda {

int tdr_launches(const suite_config& config, double flops) {
  if (config.peak_fp32_flops <= 0.0) return 1;
  return tdr_chunks(flops / (kTdrEfficiencyFloor * config.peak_fp32_flops), config.watchdog);
}

void register_builtin_workloads(registry& r, const suite_config& config) {
  register_gemm(r, config);
  register_conv(r, config);
  register_reduction(r, config);
}

}  // namespace wslcuda
