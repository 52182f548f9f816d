#include "suite/gpu/builtin.hpp"

#include <algorithm>

#include "suite/isolation.hpp"

namespace wslcuda {

suite_config suite_config_for(const target_info& target, bool quick, std::uint64_t seed) {
  suite_config config;
  config.quick = quick;
  config.seed = seed;
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
  // The family table: each row adds one family's workloads (register_cudnn_conv adds family
  // conv's cuDNN rows).
  using add_family = void (*)(registry&, const suite_config&);
  static constexpr add_family kFamilies[] = {
      register_gemm,     register_conv,    register_cudnn_conv, register_reduction,
      register_transfer, register_latency, register_managed,    register_jit,
      register_nccl,     register_p2p};
  for (const add_family add : kFamilies) add(r, config);
}

}  // namespace wslcuda
