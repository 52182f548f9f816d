#pragma once
// Seeded inputs: reproducible on every platform (no std::uniform_real_distribution, whose output
// is implementation-defined), never zero, exactly representable in fp32.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wslcuda {

/// n values on the grid {j / 2^23 : j = −2^23 … 2^23 − 1} \ {0} ⊂ [−1, 1), element i being
/// kernels::reduction_input(seed, i): the top 24 bits of splitmix64(seed + (i + 1)·φ), 0 mapped
/// to 2^-23 (so that value is twice as likely as the others). Uniform otherwise; computed on
/// every core (OpenMP), the same values for any number of threads; the reductions' device fill
/// uses the same formula. Every value is a multiple of 2^-23, so it is exact in fp32 and sums of
/// up to 2^29 of them are exact in fp64.
std::vector<float> uniform_nonzero(std::size_t n, std::uint64_t seed);

/// Mixes a run seed and a stream number into an independent seed (SplitMix64 finaliser,
/// Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept;

/// Writes bytes [offset, offset + n) of a seeded pseudo-random byte stream to p[0, n): byte b is
/// byte (b mod 8) of derive_seed(seed, b / 8) (splitmix64), so any piece of a
/// buffer can be generated, and checked, on its own (copies of 1 GiB are verified in chunks).
void fill_byte_pattern(unsigned char* p, std::size_t offset, std::size_t n,
                       std::uint64_t seed) noexcept;

}  // namespace wslcuda
