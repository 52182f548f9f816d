#pragma once
// The reductions' seeded inputs as a pure function of (seed, index), evaluated on the device to
// fill 2^28 elements in a millisecond and on the host for the reference, with one formula.

#include <cstdint>

#include "common/host_device.hpp"

namespace wslcuda::kernels {

/// Element i of the input drawn from `seed`: the top 24 bits of splitmix64(seed + (i + 1)·φ)
/// (Steele, Lea & Flood, OOPSLA 2014; φ = 0x9e3779b97f4a7c15) as j ∈ [−2^23, 2^23), 0 mapped to
/// 1, value j / 2^23. Non-zero multiples of 2^-23 in [−1, 1): exact in fp32, and sums of up to
/// 2^29 of them exact in fp64, so the host reference of a sum is exact.
WSLCUDA_HOST_DEVICE inline float reduction_input(std::uint64_t seed, std::uint64_t i) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (i + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  std::int64_t j = static_cast<std::int64_t>(z >> 40) - (std::int64_t{1} << 23);
  if (j == 0) j = 1;
  return static_cast<float>(j) * (1.0f / 8388608.0f);  // exact: |j| < 2^24
}

}  // namespace wslcuda::kernels
