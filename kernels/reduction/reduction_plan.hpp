#pragma once
// Launch plan of our two-stage sum, CUDA-free so its error-bound arithmetic is tested on the CPU.

#include <algorithm>
#include <cstdint>

namespace wslcuda::kernels {

/// How `launch_reduce_sum_f32` splits n elements, and the height of its summation tree.
struct reduce_plan {
  int blocks = 1;              ///< stage-1 blocks, each writing one partial sum
  int threads = 256;           ///< threads per block in both stages
  std::int64_t serial = 0;     ///< most elements one stage-1 thread adds serially (incl. the tail)
  int tree_height = 0;         ///< most floating-point additions on any element's path to the sum
  std::int64_t workspace = 0;  ///< floats of device workspace (one per stage-1 block)
};

/// Plans the sum of `n` ≥ 1 floats on a device with `sm_count` SMs: 8 blocks of 256 threads per SM
/// (enough loads in flight to saturate DRAM), fewer when n is small. Each stage-1 thread adds its
/// float4s serially (4 additions each), plus at most one tail element; the block then combines
/// 256 values by a binary tree (log2 256 = 8 levels); stage 2, one block, adds ⌈blocks/256⌉
/// partials serially per thread and combines them by the same tree. The tree height bounds the
/// rounding error: |ŝ − s| ≤ γ_h Σ|x_i| (Higham, Accuracy and Stability of Numerical Algorithms,
/// 2nd ed., §4.2, eq. 4.3, applied to a summation tree of height h).
inline reduce_plan plan_reduce_sum_f32(std::int64_t n, int sm_count) {
  reduce_plan plan;
  constexpr int kThreads = 256;
  constexpr int kLog2Threads = 8;
  constexpr int kBlocksPerSm = 8;
  const std::int64_t n4 = n / 4;
  const std::int64_t wanted = std::max<std::int64_t>(1, (n4 + kThreads - 1) / kThreads);
  const std::int64_t cap = std::max<std::int64_t>(1, std::int64_t{sm_count} * kBlocksPerSm);
  plan.blocks = static_cast<int>(std::min(wanted, cap));
  plan.threads = kThreads;
  const std::int64_t total = std::int64_t{plan.blocks} * kThreads;
  plan.serial = 4 * ((n4 + total - 1) / total) + ((n % 4) != 0 ? 1 : 0);
  const std::int64_t stage2_serial = (plan.blocks + kThreads - 1) / kThreads;
  plan.tree_height = static_cast<int>(plan.serial + kLog2Threads + stage2_serial + kLog2Threads);
  plan.workspace = plan.blocks;
  return plan;
}

}  // namespace wslcuda::kernels
