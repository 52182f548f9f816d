#pragma once
// Comparing device output with a reference under a bound. NaN and ±∞ never pass.

#include <cstdint>
#include <string>
#include <vector>

#include "model/status.hpp"

namespace wslcuda {

/// One compared element.
struct compared_element {
  std::int64_t index = 0;  ///< flat index in the output
  double got = 0.0;        ///< device value
  double expected = 0.0;   ///< reference value
  double scale = 0.0;      ///< magnitude the bound is relative to (> 0; 0 demands equality)
};

/// Outcome of a comparison, ready for the report's `correctness` block.
struct check_result {
  wslcuda::status status = status::fail;
  std::string metric;  ///< what `value` measures
  double value = 0.0;  ///< worst |got − expected| / scale over the compared elements (∞ for NaN)
  double bound = 0.0;
  std::string method;
  std::int64_t compared = 0;      ///< elements compared with a reference
  std::int64_t out_of_bound = 0;  ///< of those, how many failed (non-finite included)
  std::int64_t non_finite = 0;    ///< NaN/∞ in the whole output (poison that survived, overflow)
  std::vector<compared_element> first_mismatches;  ///< up to 8, in index order
  std::string message;                             ///< one line for humans
};

/// Counts NaN and ±∞ in `out` (every element, whether or not it is compared with a reference).
std::int64_t count_non_finite(const float* out, std::int64_t n) noexcept;

/// Checks |got − expected| ≤ bound·scale for every element of `elements`; any non-finite value
/// (in `elements` or counted in `non_finite_in_output`) fails. `metric`/`method` go to the report.
check_result check_elements(const std::vector<compared_element>& elements,
                            std::int64_t non_finite_in_output, double bound,
                            const std::string& metric, const std::string& method);

/// Same as check_elements over parallel arrays of `n` elements (no per-element copies):
/// got[i] against expected[i] with scale[i]; the flat index is i.
check_result check_arrays(const float* got, const double* expected, const double* scale,
                          std::int64_t n, std::int64_t non_finite_in_output, double bound,
                          const std::string& metric, const std::string& method);

/// Exact comparison (nccl-tests' #wrong): got[i] == expected[i] for every i < n; value is 0 or
/// ∞, out_of_bound the number of unequal elements; NaN in `got` never passes.
check_result check_equal(const float* got, const float* expected, std::int64_t n,
                         const std::string& method);

/// The result of an exact comparison done elsewhere (on the device): `wrong` of `compared`
/// elements differed. value is 0 or ∞; pass only when wrong = 0 and compared > 0.
check_result check_from_wrong_count(std::int64_t wrong, std::int64_t compared,
                                    const std::string& metric, const std::string& method);

/// Byte-for-byte comparison of copied data: out_of_bound is the number of differing bytes.
check_result check_equal_bytes(const unsigned char* got, const unsigned char* expected,
                               std::int64_t n, const std::string& method);

}  // namespace wslcuda
