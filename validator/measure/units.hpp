#pragma once
// Human-readable SI quantities for tables and messages (the JSON keeps plain SI numbers).

#include <cstdint>
#include <string>

namespace wslcuda {

/// `value` with an SI prefix and 4 significant digits: format_si(1.234e13, "FLOP/s") →
/// "12.34 TFLOP/s", format_si(3.2e9, "B/s") → "3.2 GB/s".
std::string format_si(double value, const std::string& unit);

/// ASCII upper case, for verdicts in headings and tables ("fail" → "FAIL").
std::string upper_case(std::string text);

/// `x` as printf's "%.<digits>f": format_fixed(1.23456, 3) = "1.235".
std::string format_fixed(double x, int digits);

/// `x` as printf's "%.<digits>g" (`digits` significant digits; 17 gives back the double a
/// JSON file holds): format_general(7.9e-37, 2) = "7.9e-37".
std::string format_general(double x, int digits);

/// A fraction as a percentage with one decimal and a space: 0.1234 → "12.3 %"; with `sign`,
/// "+12.3 %" / "-4.2 %".
std::string format_percent(double fraction, bool sign = false);

/// A duration in the unit that suits it: "812 ns", "41.2 us", "3.05 ms", "1.25 s".
std::string format_seconds(double seconds);

/// "13.0" from a CUDA API version number such as 13000 (major·1000 + minor·10), as
/// cudaDriverGetVersion and cudaRuntimeGetVersion return it.
std::string cuda_version_string(int version);

/// Bytes with a binary prefix, 3 significant digits: "8 GiB", "768 MiB".
std::string format_bytes_binary(std::uint64_t bytes);

}  // namespace wslcuda
