#include "suite/gpu/builtin.hpp"

namespace wslcuda {

void register_builtin_workloads(registry& r, const suite_config& config) {
  register_gemm(r, config);
  register_conv(r, config);
  register_reduction(r, config);
}

}  // namespace wslcuda
