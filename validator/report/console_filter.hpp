#pragma once
// The console's one escaping point: every byte a command writes to std::cout, std::cerr and
// std::clog passes through terminal_safe (model/printable.hpp), so outside text (a GPU name, a
// path, an argument, a message read from a report, CLI11's echo of a bad value) can never carry
// an escape sequence or an invalid UTF-8 byte to a terminal, whichever line prints it. Files
// the commands write (reports, CSV, Markdown) do not pass here: each writer escapes its own.

#include <memory>
#include <streambuf>

namespace wslcuda {

/// Puts the escaping filter in front of std::cout, std::cerr and std::clog, once (later calls do
/// nothing). Text is passed on at each newline and each flush; a UTF-8 sequence is never split
/// (a flush in the middle of one writes its bytes as `\xNN`, as an invalid sequence is). The
/// filters live until the process ends (the streams' last flush at exit goes through them).
/// Not for `__worker`, whose stdout is the result protocol.
void escape_console_streams();

/// The filter itself, in front of `to` (which must outlive it): what escape_console_streams puts
/// in front of each stream.
std::unique_ptr<std::streambuf> make_escaping_streambuf(std::streambuf* to);

}  // namespace wslcuda
