#pragma once
// Strings that come from files, libraries, devices or the command line are not trusted: a
// report may hold invalid UTF-8 (a path in another encoding, a binary file under --root) or
// terminal escapes (a crafted workload id or GPU name). These make them safe to print and to
// write as JSON.

#include <cstddef>
#include <string>

#include "model/json.hpp"

namespace wslcuda {

/// `s` with every byte that is not part of valid UTF-8 written as the four characters `\xNN`;
/// valid UTF-8 is kept as is. JSON can then hold it (nlohmann throws type_error 316 on invalid
/// UTF-8 when dumping).
std::string utf8_escaped(const std::string& s);

/// `s` safe for a terminal: C0 controls (but tab and newline), DEL, C1 controls (U+0080–U+009F)
/// and invalid UTF-8 bytes written as `\xNN` (C1 as `\u00NN`), so no escape sequence reaches
/// the terminal.
std::string terminal_safe(const std::string& s);

/// The first line of `s`, terminal-safe (newline and tab escaped too) and cut to `max_chars`
/// bytes with "…" when longer: for probed files that may be binary.
std::string one_line(const std::string& s, std::size_t max_chars = 200);

/// Every string (and object key) in `j` passed through utf8_escaped.
void escape_invalid_utf8(json& j);

}  // namespace wslcuda
