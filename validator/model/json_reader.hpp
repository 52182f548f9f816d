#pragma once
// Reading the JSON files users hand wslcuda (reports, baselines, policies): every problem is an
// input_error naming the file and the line and column (or the JSON pointer), never a crash.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/json.hpp"
#include "model/status.hpp"

namespace wslcuda {

/// Limits that keep a hostile file from exhausting memory or the stack.
struct input_limits {
  std::uintmax_t max_bytes = std::uintmax_t{256} << 20;  ///< larger files are refused unread
  int max_depth = 64;  ///< nesting deeper than any wslcuda document is refused while parsing
  /// A document whose parsed form would take more than max_memory_factor × its size (plus
  /// memory_floor_bytes) is refused by a streaming pass before it is built: wslcuda documents
  /// are mostly numbers (≤ 2× in memory); a file of tiny containers is an attack.
  std::uintmax_t max_memory_factor = 4;
  std::uintmax_t memory_floor_bytes = std::uintmax_t{32} << 20;
};

/// Parses `text` as JSON. Throws input_error "SOURCE:LINE:COLUMN: message" for a syntax error
/// (NaN and Infinity are not JSON and are errors), or "SOURCE: nesting deeper than N".
json parse_json_text(const std::string& text, const std::string& source,
                     const input_limits& limits = {});

/// Reads and parses a JSON file. Throws input_error naming the file for: missing or unreadable,
/// a directory or other non-regular file, larger than the limit, empty, malformed (with line and
/// column), too deeply nested.
json read_json_file(const std::filesystem::path& path, const input_limits& limits = {});

/// Checks `doc["schema_version"]` ("MAJOR.MINOR.PATCH") against the major this build reads:
/// a missing or malformed version, or another major, is an input_error naming the file. A newer
/// minor is accepted (its unknown fields are ignored).
void check_schema_version(const json& doc, const std::string& source, int supported_major);

/// `v` as the arithmetic type T when it is a JSON number of that kind within T's range: integral
/// T takes only JSON integers; floating T any number. nullopt otherwise (never UB: converting an
/// out-of-range double to int is undefined behaviour, which the fuzzers found).
template <typename T>
std::optional<T> checked_number(const json& v) {
  static_assert(std::is_arithmetic<T>::value, "checked_number: arithmetic types only");
  if constexpr (std::is_floating_point<T>::value) {
    if (!v.is_number()) return std::nullopt;
    return static_cast<T>(v.get<double>());
  } else {
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
      return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
      const auto i = v.get<std::int64_t>();
      if (i < 0 && !std::is_signed<T>::value) return std::nullopt;
      if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
          (i > 0 && static_cast<std::uint64_t>(i) >
                        static_cast<std::uint64_t>(std::numeric_limits<T>::max())))
        return std::nullopt;
      return static_cast<T>(i);
    }
    return std::nullopt;
  }
}

/// The member `key` of `j`, or nullptr when `j` is not an object or the member is absent or
/// null: the lookup every reader of optional fields starts from.
const json* find_member(const json& j, const char* key);

/// The string member `key` of `j`, "" when absent or null. Throws input_error
/// "<where>/<key>: expected a string" for any other type.
std::string optional_string_at(const json& j, const char* key, const std::string& where);

/// `doc[key]` when `doc` is an object and that member is a string, else "" (never throws:
/// nlohmann's value() throws type_error for a non-string member).
std::string string_member(const json& doc, const char* key);

/// `j[key]`. Throws input_error "<where>: expected an object" when `j` is not an object and
/// "<where>: missing key \"<key>\"" when the member is absent.
const json& member(const json& j, const char* key, const std::string& where);

/// The string member `key`. Throws input_error "<where>/<key>: expected a string" (or as
/// member() when absent).
std::string string_at(const json& j, const char* key, const std::string& where);

/// The status member `key` ("pass", "warn", "fail", "skip" or "error"). Throws input_error as
/// string_at, or "<where>/<key>: \"x\" is not one of pass, warn, fail, skip, error".
status status_at(const json& j, const char* key, const std::string& where);

/// The number member `key` as a double. Throws input_error "<where>/<key>: expected a number".
double number_at(const json& j, const char* key, const std::string& where);

/// The boolean member `key`. Throws input_error "<where>/<key>: expected true or false".
bool bool_at(const json& j, const char* key, const std::string& where);

/// The member `key` as the arithmetic type T within its range (checked_number). Throws
/// input_error "<where>/<key>: expected an integer in range" (integral T) or "…: expected a
/// number" (floating T), or as member() when absent.
template <typename T>
T number_at(const json& j, const char* key, const std::string& where) {
  const std::optional<T> v = checked_number<T>(member(j, key, where));
  if (!v)
    throw input_error(
        where + "/" + key +
        (std::is_integral<T>::value ? ": expected an integer in range" : ": expected a number"));
  return *v;
}

/// The optional number member `key` (absent or null → `fallback`), as number_at<T> otherwise.
template <typename T>
T optional_number(const json& j, const char* key, const std::string& where, T fallback) {
  const json* v = find_member(j, key);
  if (v == nullptr) return fallback;
  const std::optional<T> n = checked_number<T>(*v);
  if (!n)
    throw input_error(
        where + "/" + key +
        (std::is_integral<T>::value ? ": expected an integer in range" : ": expected a number"));
  return *n;
}

/// The optional object member `key`: nullptr when absent or null. Throws input_error
/// "<where>/<key>: expected an object or null" for any other type.
const json* optional_object(const json& j, const char* key, const std::string& where);

/// The optional boolean member `key` (absent or null → `fallback`). Throws input_error
/// "<where>/<key>: expected true or false" for any other type.
bool optional_bool(const json& j, const char* key, const std::string& where, bool fallback = false);

/// The optional array member `key`: nullptr when absent or null. Throws input_error
/// "<where>/<key>: expected an array" for any other type.
const json* optional_array(const json& j, const char* key, const std::string& where);

/// `v` as a number in [lo, hi] (or (lo, hi] with `open_lo`). Throws input_error "<where>:
/// expected a number" or "<where>: expected a number in [lo, hi], got v".
double number_in_range(const json& v, const std::string& where, double lo, double hi,
                       bool open_lo = false);

/// The optional array-of-strings member `key` (absent or null → empty). Throws input_error
/// "<where>/<key>: expected an array of strings" or "<where>/<key>/<i>: expected a string".
std::vector<std::string> optional_strings_at(const json& j, const char* key,
                                             const std::string& where);

/// Line and column (1-based) of byte `offset` in `text`.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset);

}  // namespace wslcuda
