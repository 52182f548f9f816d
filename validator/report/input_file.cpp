#include "report/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace wslcuda {

std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

json parse_json_text(const std::string& text, const std::string& source,
                     const input_limits& limits) {
  bool too_deep = false;
  // The callback sees the depth of every element; returning false on a too-deep one is not
  // enough (the parser keeps going), so it throws to stop at once.
  const json::parser_callback_t guard = [&](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= limits.max_depth) {
      too_deep = true;
      throw input_error(source + ": nesting deeper than " + std::to_string(limits.max_depth) +
                        " levels");
    }
    return true;
  };
  try {
    return json::parse(text, guard, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const input_error&) {
    throw;
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based position of the byte where parsing stopped.
    const std::size_t offset = e.byte > 0 ? static_cast<std::size_t>(e.byte - 1) : 0;
    const auto [line, column] = line_and_column(text, offset);
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 5: ...";
    // keep the part after the position, which says what was expected.
    const std::size_t colon = what.find(": ", what.find("parse error"));
    if (colon != std::string::npos) what = what.substr(colon + 2);
    throw input_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      what);
  } catch (const json::exception& e) {
    throw input_error(source + ": " + e.what());
  }
}

json read_json_file(const std::filesystem::path& path, const input_limits& limits) {
  const std::string name = path.string();
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) throw input_error(name + ": no such file");
  if (std::filesystem::is_directory(st))
    throw input_error(name + ": is a directory, not a JSON file");
  if (!std::filesystem::is_regular_file(st)) throw input_error(name + ": not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw input_error(name + ": cannot read its size: " + ec.message());
  if (size > limits.max_bytes)
    throw input_error(name + ": " + std::to_string(size) + " bytes, larger than the " +
                      std::to_string(limits.max_bytes) + "-byte limit for wslcuda documents");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(name + ": cannot open: " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw input_error(name + ": empty file");
  return parse_json_text(text, name, limits);
}

std::string string_member(const json& doc, const char* key) {
  if (!doc.is_object()) return "";
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void check_schema_version(const json& doc, const std::string& source, int supported_major) {
  if (!doc.is_object()) throw input_error(source + ": expected a JSON object at the top level");
  const auto it = doc.find("schema_version");
  if (it == doc.end()) throw input_error(source + ": /schema_version: missing");
  if (!it->is_string()) throw input_error(source + ": /schema_version: expected a string");
  const std::string v = it->get<std::string>();
  static const std::regex semver(R"(^([0-9]+)\.([0-9]+)\.([0-9]+)$)");
  std::smatch m;
  if (!std::regex_match(v, m, semver))
    throw input_error(source + ": /schema_version: \"" + v + "\" is not MAJOR.MINOR.PATCH");
  if (m[1].str() != std::to_string(supported_major))
    throw input_error(source + ": /schema_version: major " + m[1].str() +
                      " is not supported (this wslcuda reads " + std::to_string(supported_major) +
                      ".x)");
}

}  // namespace wslcuda
