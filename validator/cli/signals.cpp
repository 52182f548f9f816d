#include "cli/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wslcuda {
namespace {

std::atomic<int> g_stop{0};
std::atomic<int> g_count{0};
std::atomic<bool> g_second_exits{false};
std::atomic<int> g_notify_fd{-1};  // the watchdog's pipe (--no-isolation), -1 = none
// Prepared before the handlers run: a handler may only write() and _exit().
char g_first_message[512];
char g_second_message[1024];

void say(const char* text) {
  (void)!::write(2, text, std::strlen(text));
}

extern "C" void on_stop_signal(int signo) {
  const int saved_errno = errno;
  g_stop.store(signo);
  const int n = g_count.fetch_add(1) + 1;
  if (const int fd = g_notify_fd.load(); fd >= 0) {
    // The watchdog writes the report: the first signal after a grace, the second at once.
    if (n == 1) say(g_first_message);
    if (n <= 2) {
      const char byte = 's';
      (void)!::write(fd, &byte, 1);
      errno = saved_errno;
      return;
    }
    say(g_second_message);
    ::_exit(130);
  }
  errno = saved_errno;
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

void notify_stops_to(int notify_fd, double grace_s) {
  if (notify_fd >= 0) {
    char grace[32];
    std::snprintf(grace, sizeof grace, "%g", grace_s);
    copy(g_first_message, sizeof g_first_message,
         std::string("\nwslcuda: stopping: the report of what finished is written within ") +
             grace +
             " s, even if the workload in flight does not return (signal again to "
             "write it now)\n");
  }
  g_notify_fd.store(notify_fd);
}

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
