#include "cli/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace wslcuda {
namespace {

std::atomic<int> g_stop{0};
std::atomic<int> g_count{0};
std::atomic<bool> g_second_exits{false};
// Prepared before the handlers run: a handler may only write() and _exit().
char g_first_message[512];
char g_second_message[1024];

void say(const char* text) {
  (void)!::write(2, text, std::strlen(text));
}

extern "C" void on_stop_signal(int signo) {
  g_stop.store(signo);
  const int n = g_count.fetch_add(1) + 1;
  if (!g_second_exits.load()) return;
  if (n == 1) {
    say(g_first_message);
  } else {
    say(g_second_message);
    ::_exit(130);
  }
}

void copy(char* to, std::size_t size, const std::string& text) {
  const std::size_t n = std::min(size - 1, text.size());
  std::memcpy(to, text.data(), n);
  to[n] = '\0';
}

}  // namespace

std::atomic<int>& stop_request() {
  return g_stop;
}

void install_stop_handlers(bool second_signal_exits, const std::string& journal_path) {
  copy(g_first_message, sizeof g_first_message,
       "\nwslcuda: stopping after the current workload, then writing the report (signal again "
       "to exit at once)\n");
  copy(
      g_second_message, sizeof g_second_message,
      "\nwslcuda: stopped at once; no report written" +
          (journal_path.empty() ? std::string() : "; the finished results are in " + journal_path) +
          "\n");
  g_second_exits.store(second_signal_exits);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1}) sigaction(s, &sa, nullptr);
}

}  // namespace wslcuda
