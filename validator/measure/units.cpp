#include "measure/units.hpp"

#include <cstdio>

#include <cctype>
#include <cmath>
#include <sstream>

namespace wslcuda {

std::string format_si(double value, const std::string& unit) {
  static const char* const prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int i = 0;
  while (std::fabs(value) >= 1000.0 && i < 6) {
    value /= 1000.0;
    ++i;
  }
  std::ostringstream os;
  os.precision(4);
  os << value << ' ' << prefixes[i] << unit;
  return os.str();
}

std::string upper_case(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string format_fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string format_general(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

std::string format_percent(double fraction, bool sign) {
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.1f %%" : "%.1f %%", 100.0 * fraction);
  return buf;
}

std::string format_seconds(double seconds) {
  std::ostringstream os;
  os.precision(3);
  const double a = std::fabs(seconds);
  if (a < 1e-6)
    os << seconds * 1e9 << " ns";
  else if (a < 1e-3)
    os << seconds * 1e6 << " us";
  else if (a < 1.0)
    os << seconds * 1e3 << " ms";
  else
    os << seconds << " s";
  return os.str();
}

std::string cuda_version_string(int version) {
  return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

std::string format_bytes_binary(std::uint64_t bytes) {
  std::ostringstream os;
  os.precision(3);
  if (bytes >= (std::uint64_t{1} << 30))
    os << static_cast<double>(bytes) / (1 << 30) << " GiB";
  else
    os << static_cast<double>(bytes) / (1 << 20) << " MiB";
  return os.str();
}

}  // namespace wslcuda
