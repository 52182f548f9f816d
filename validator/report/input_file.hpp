#pragma once
// Reading the JSON files users hand wslcuda (reports, baselines, policies): every problem is an
// input_error naming the file and the line and column (or the JSON pointer), never a crash.

#include <cstddef>
#include <filesystem>
#include <string>

#include "report/json_report.hpp"

namespace wslcuda {

/// Limits that keep a hostile file from exhausting memory or the stack.
struct input_limits {
  std::uintmax_t max_bytes = std::uintmax_t{256} << 20;  ///< larger files are refused unread
  int max_depth = 64;  ///< nesting deeper than any wslcuda document is refused while parsing
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

/// Line and column (1-based) of byte `offset` in `text`.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset);

}  // namespace wslcuda
