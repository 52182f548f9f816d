#include "verify/random_fill.hpp"

#include <cstring>

#include "reduction/reduction_inputs.hpp"

namespace wslcuda {

std::vector<float> uniform_nonzero(std::size_t n, std::uint64_t seed) {
  std::vector<float> out(n);
  const auto count = static_cast<std::int64_t>(n);
  // Element i depends on (seed, i) only: every core draws its share, and the values do not
  // depend on how many there are.
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < count; ++i)
    out[static_cast<std::size_t>(i)] =
        kernels::reduction_input(seed, static_cast<std::uint64_t>(i));
  return out;
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void fill_byte_pattern(unsigned char* p, std::size_t offset, std::size_t n,
                       std::uint64_t seed) noexcept {
  auto word = [seed](std::uint64_t k) { return derive_seed(seed, k); };
  std::size_t i = 0;
  // Unaligned head, whole words, tail.
  for (; i < n && (offset + i) % 8 != 0; ++i)
    p[i] = static_cast<unsigned char>(word((offset + i) / 8) >> (8 * ((offset + i) % 8)));
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t w = word((offset + i) / 8);
    std::memcpy(p + i, &w, 8);  // little-endian: byte b of the word at offset + i + b
  }
  for (; i < n; ++i)
    p[i] = static_cast<unsigned char>(word((offset + i) / 8) >> (8 * ((offset + i) % 8)));
}

}  // namespace wslcuda
