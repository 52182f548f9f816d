#include "model/printable.hpp"

#include <cstdio>

namespace wslcuda {
namespace {

/// Length of the valid UTF-8 sequence at s[i] (1–4), or 0 when the byte there does not start
/// one (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

void append_hex(std::string& out, unsigned char c, const char* prefix = "\\x") {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%s%02x", prefix, c);
  out += buf;
}

std::string safe(const std::string& s, bool single_line) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 0) {
      append_hex(out, c);
      ++i;
    } else if (n == 1) {
      const bool keep = (c >= 0x20 && c != 0x7F) || (!single_line && (c == '\n' || c == '\t'));
      if (keep)
        out += static_cast<char>(c);
      else
        append_hex(out, c);
      ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      append_hex(out, static_cast<unsigned char>(s[i + 1]), "\\u00");  // a C1 control
      i += 2;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string utf8_escaped(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    if (n == 0) {
      append_hex(out, static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

std::string terminal_safe(const std::string& s) {
  return safe(s, false);
}

std::string one_line(const std::string& s, std::size_t max_chars) {
  std::string first = s.substr(0, s.find('\n'));
  if (first.size() > max_chars) {
    first.resize(max_chars);
    return safe(first, true) + "…";
  }
  return safe(first, true);
}

void escape_invalid_utf8(json& j) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (utf8_escaped(s) != s) j = utf8_escaped(s);
  } else if (j.is_array()) {
    for (json& v : j) escape_invalid_utf8(v);
  } else if (j.is_object()) {
    json fixed = json::object();
    bool keys_changed = false;
    for (auto it = j.begin(); it != j.end(); ++it) {
      escape_invalid_utf8(it.value());
      if (utf8_escaped(it.key()) != it.key()) keys_changed = true;
    }
    if (!keys_changed) return;
    for (auto it = j.begin(); it != j.end(); ++it) fixed[utf8_escaped(it.key())] = it.value();
    j = std::move(fixed);
  }
}

}  // namespace wslcuda
