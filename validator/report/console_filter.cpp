#include "report/console_filter.hpp"

#include <iostream>
#include <streambuf>
#include <string>

#include "model/printable.hpp"

namespace wslcuda {
namespace {

/// Bytes at the end of text[0, n) that begin a UTF-8 sequence they do not finish (0 to 3).
std::size_t unfinished_utf8_tail(const std::string& text, std::size_t n) {
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    const auto c = static_cast<unsigned char>(text[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/// A streambuf that passes text on to `to` through terminal_safe, line by line.
class escaping_buf final : public std::streambuf {
 public:
  explicit escaping_buf(std::streambuf* to) : to_(to) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof()))
      return sync() == 0 ? traits_type::not_eof(c) : traits_type::eof();
    pending_ += traits_type::to_char_type(c);
    if (c == '\n' || pending_.size() >= kChunk) return pass_on(false) ? c : traits_type::eof();
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    if (pending_.find('\n') != std::string::npos || pending_.size() >= kChunk)
      if (!pass_on(false)) return 0;
    return n;
  }
  int sync() override {
    if (!pass_on(true)) return -1;
    return to_->pubsync();
  }

 private:
  static constexpr std::size_t kChunk = 4096;

  /// Passes on the complete lines (everything when `all`, or when no newline came for kChunk
  /// bytes, keeping an unfinished UTF-8 sequence for the next call).
  bool pass_on(bool all) {
    std::size_t n = pending_.size();
    if (!all) {
      const std::size_t eol = pending_.rfind('\n');
      n = eol != std::string::npos ? eol + 1 : n - unfinished_utf8_tail(pending_, n);
    }
    if (n == 0) return true;
    const std::string out = terminal_safe(pending_.substr(0, n));
    pending_.erase(0, n);
    return to_->sputn(out.data(), static_cast<std::streamsize>(out.size())) ==
           static_cast<std::streamsize>(out.size());
  }

  std::streambuf* to_;
  std::string pending_;
};

}  // namespace

std::unique_ptr<std::streambuf> make_escaping_streambuf(std::streambuf* to) {
  return std::make_unique<escaping_buf>(to);
}

void escape_console_streams() {
  static bool done = false;
  if (done) return;
  done = true;
  // Never freed: the streams flush through them at exit, after static destructors. Kept here
  // too, so that they stay reachable when a stream is later pointed elsewhere
  // (keep_console_off_stdout) and LeakSanitizer does not call them leaked.
  static std::streambuf* kept[3] = {};
  int i = 0;
  for (std::ostream* s :
       {static_cast<std::ostream*>(&std::cout), static_cast<std::ostream*>(&std::cerr),
        static_cast<std::ostream*>(&std::clog)}) {
    s->flush();
    kept[i] = make_escaping_streambuf(s->rdbuf()).release();
    s->rdbuf(kept[i++]);
  }
}

}  // namespace wslcuda
