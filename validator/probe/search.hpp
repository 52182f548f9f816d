#pragma once

#include <cstdint>
#include <functional>

namespace wslcuda {

/// Largest size, a multiple of `step`, in [0, cap] for which `try_alloc(size)` succeeds,
/// assuming success is monotone (a size that fits means every smaller one fits). Tries `cap`
/// first (the common case costs one call), then bisects: O(log2(cap/step)) calls.
inline std::uint64_t largest_successful(std::uint64_t cap, std::uint64_t step,
                                        const std::function<bool(std::uint64_t)>& try_alloc) {
  if (step == 0 || cap < step) return 0;
  cap = cap / step * step;
  if (try_alloc(cap)) return cap;
  std::uint64_t lo = 0, hi = cap / step;  // lo steps fit (0 trivially), hi steps do not
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (try_alloc(mid * step))
      lo = mid;
    else
      hi = mid;
  }
  return lo * step;
}

}  // namespace wslcuda
