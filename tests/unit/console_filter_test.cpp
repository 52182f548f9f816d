// The console's escaping filter (issue 27, item 5): every byte passes terminal_safe, a UTF-8
// sequence is never split by the filter's own buffering, and failures reach the stream.

#include "report/console_filter.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>

namespace wslcuda {

TEST(ConsoleFilter, EscapesEveryLineWhateverItCarries) {
  std::stringbuf target;
  const auto filter = make_escaping_streambuf(&target);
  std::ostream out(filter.get());
  out << "gpu: GPU \x1b]0;pwned\x07\x1b[2J\n"
      << "path: r\xff.json\tC1 \xc2\x9b ok: \xc3\xa9 \xe2\x80\xa6" << std::flush;
  EXPECT_EQ(target.str(),
            "gpu: GPU \\x1b]0;pwned\\x07\\x1b[2J\n"
            "path: r\\xff.json\tC1 \\u009b ok: \xc3\xa9 \xe2\x80\xa6");
}

TEST(ConsoleFilter, NeverSplitsAUtf8SequenceItself) {
  std::stringbuf target;
  const auto filter = make_escaping_streambuf(&target);
  std::ostream out(filter.get());
  // Two halves of "é" in two writes, and 3001 "é" without a newline (past the 4096-byte chunk).
  out << "\xc3";
  out << "\xa9\n";
  std::string long_line;
  for (int i = 0; i < 3001; ++i) long_line += "\xc3\xa9";
  out << long_line << "\n";
  EXPECT_EQ(target.str(), "\xc3\xa9\n" + long_line + "\n");
  // A flush in the middle of one: its bytes are written escaped, as an invalid sequence is.
  out << "\xe2\x80" << std::flush;
  EXPECT_EQ(target.str().substr(target.str().size() - 8), "\\xe2\\x80");
}

TEST(ConsoleFilter, AFailingTargetFailsTheStream) {
  struct refusing : std::streambuf {
    std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
  } target;
  const auto filter = make_escaping_streambuf(&target);
  std::ostream out(filter.get());
  out << "line\n" << std::flush;
  EXPECT_FALSE(out.good());
}

}  // namespace wslcuda
