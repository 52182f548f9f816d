#include "verify/random_fill.hpp"

#include <random>

namespace wslcuda {

std::vector<float> uniform_nonzero(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> out(n);
  constexpr std::int64_t kHalf = std::int64_t{1} << 23;
  for (auto& v : out) {
    std::int64_t j = 0;
    do {
      j = static_cast<std::int64_t>(rng() >> 40) - kHalf;  // top 24 bits → [−2^23, 2^23)
    } while (j == 0);
    v = static_cast<float>(static_cast<double>(j) / static_cast<double>(kHalf));
  }
  return out;
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace wslcuda
