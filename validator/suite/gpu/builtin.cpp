#include "suite/gpu/builtin.hpp"

#include <algorithm>

#include "suite/isolation.hpp"

namespace wslcuda {

suite_config suite_config_for(const target_info& target, bool quick, std::uint64_t seed,
                              void* cublas) {
  suite_config config;
  config.quick = quick;
  config.seed = seed;
  config.cublas = cublas;
  config.watchdog = target.kernel_exec_timeout;
  config.device = target.device;
  config.device_count = std::max(1, target.device_count);
  if (const auto it = target.peak_flops.find("f32"); it != target.peak_flops.end())
    config.peak_fp32_flops = it->second;
  return config;
}

int tdr_launches(const suite_config& config, double flops) {
  if (config.peak_fp32_flops <= 0.0) return 1;
  return tdr_chunks(flops / (kTdrEfficiencyFloor * config.peak_fp32_flops), config.watchdog);
}

void register_builtin_workloads(registry& r, const suite_config& config) {
  register_gemm(r, config);
  register_conv(r, config);
  register_cudnn_conv(r, config);
  register_reduction(r, config);
  register_transfer(r, config);
  register_latency(r, config);
  register_managed(r, config);
  register_jit(r, config);
  register_nccl(r, config);
  register_p2p(r, config);
}

}  // namespace wslcuda
