#pragma once
// Inputs and expected results of the collective workloads, shared by the host (CPU tests, the
// size plan) and the device (fill and check kernels), so both use one formula.

#include <cstddef>

#include "common/host_device.hpp"

namespace wslcuda::kernels {

/// The NCCL collectives wslcuda runs.
enum class collective_kind : int { all_reduce, all_gather, reduce_scatter, broadcast };

/// Input element `i` of rank `rank`: a small integer in [1, 13], exact in fp32, so every
/// collective's result is exact and compared for equality (nccl-tests' #wrong).
WSLCUDA_HOST_DEVICE inline float collective_input(int rank, std::size_t i) {
  return static_cast<float>((i * 7u + static_cast<std::size_t>(rank) * 3u) % 13u + 1u);
}

/// Expected element `i` of rank `rank`'s receive buffer after `c` on `ranks` ranks with per-rank
/// `count` (NCCL's count argument) and collective_input inputs; broadcast roots at rank 0,
/// all-reduce and reduce-scatter sum. Sums of at most 13 × ranks are exact in fp32.
WSLCUDA_HOST_DEVICE inline float collective_expected(collective_kind c, int ranks, int rank,
                                                     std::size_t count, std::size_t i) {
  switch (c) {
    case collective_kind::all_reduce:
    case collective_kind::reduce_scatter: {
      const std::size_t index =
          c == collective_kind::all_reduce ? i : static_cast<std::size_t>(rank) * count + i;
      float s = 0.0f;
      for (int r = 0; r < ranks; ++r) s += collective_input(r, index);
      return s;
    }
    case collective_kind::all_gather:
      return collective_input(static_cast<int>(i / count), i % count);
    case collective_kind::broadcast:
      return collective_input(0, i);
  }
  return 0.0f;
}

}  // namespace wslcuda::kernels
