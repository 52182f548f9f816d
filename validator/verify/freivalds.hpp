#pragma once
// Verifying a large GEMM in O(n²): Freivalds' check with an fp64 random vector plus a random
// sample of entries computed exactly (Freivalds, "Probabilistic machines can use less
// running time", IFIP 1977).

#include <cstdint>
#include <vector>

#include "verify/check.hpp"

namespace wslcuda {

/// Row-major M×K (A), K×N (B) and M×N (C), fp32 on the host; C as the device produced it.
/// fp16/bf16 inputs are passed as the fp32 values they convert to exactly.
struct gemm_view {
  int m = 0, n = 0, k = 0;
  const float* a = nullptr;
  const float* b = nullptr;
  const float* c = nullptr;
};

/// Checks C against A·B without forming A·B:
///  1. Freivalds: for a seeded x ∈ {±1, ±½}ⁿ, every row of y = C·x − A·(B·x) must satisfy
///     |y_i| ≤ bound · (|A|·(|B|·|x|))_i (the element-wise bound summed along the row; the fp64
///     evaluation's own error is below it by ~2^-29). A wrong element changes some y_i with
///     probability ≥ ½ per x; two vectors are used.
///  2. `samples` seeded entries computed exactly in fp64 and compared with `bound`.
/// Every element of C is also scanned for NaN/∞. Cost O(M·N + N·K + M·K + samples·K).
/// Sensitivity: a row sums N element bounds, so Freivalds catches an error in one element once
/// it exceeds about N × the element bound (relative to (|A||B|)_ij), which every structural bug
/// does (wrong tile, race, transposition, wrong K); smaller errors are caught where sampled.
check_result check_gemm_freivalds(const gemm_view& g, double bound, const std::string& method,
                                  std::uint64_t seed, int samples = 1024);

}  // namespace wslcuda
