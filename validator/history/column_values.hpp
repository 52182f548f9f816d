#pragma once
// Reading a store column (history/store.hpp `value`) as the type the query asked for, with the
// value a missing column stands for, and a case-insensitive glob over stored text.

#include <fnmatch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "history/store.hpp"

namespace wslcuda::history {

/// An integer column: the integer, a double truncated, 0 for NULL or text.
inline std::int64_t int_of(const value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  return 0;
}

/// A text column: the text, "" for NULL or any other type.
inline std::string text_of(const value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

/// A real column: the double (an integer converted), nullopt for NULL or text.
inline std::optional<double> real_of(const value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

/// Case-insensitive shell glob (fnmatch with FNM_CASEFOLD); "" matches everything.
inline bool glob_matches_text(const std::string& glob, const std::string& text) {
  return glob.empty() || ::fnmatch(glob.c_str(), text.c_str(), FNM_CASEFOLD) == 0;
}

}  // namespace wslcuda::history
