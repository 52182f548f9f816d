#include "suite/watchdog.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "measure/sampler.hpp"
#include "suite/isolation.hpp"

namespace wslcuda {
namespace {

constexpr char kStopByte = 's';
constexpr char kQuitByte = 'q';
/// The loop wakes at least this often to see an arm or a disarm (no wake-up is sent for them).
constexpr int kPollCapMs = 100;

}  // namespace

in_process_watchdog::in_process_watchdog(double grace_s,
                                         std::function<void(const watchdog_event&)> act)
    : grace_s_(grace_s), act_(std::move(act)) {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) pipe_[0] = pipe_[1] = -1;
  thread_ = std::thread([this] { loop(); });
}

in_process_watchdog::~in_process_watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  if (pipe_[1] >= 0) (void)!::write(pipe_[1], &kQuitByte, 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : pipe_)
    if (fd >= 0) ::close(fd);
}

void in_process_watchdog::arm(const std::string& id, double limit_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = true;
  id_ = id;
  limit_s_ = limit_s;
  deadline_ = steady_seconds() + limit_s;
}

void in_process_watchdog::disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = false;
  id_.clear();
}

bool in_process_watchdog::main_thread_finishing() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (acted_) return false;
  finishing_ = true;
  return true;
}

std::function<result_row(workload&)> in_process_watchdog::guard(
    std::function<result_row(workload&)> run, const sampling_policy& sampling, double scale) {
  return [this, run = std::move(run), sampling, scale](workload& w) {
    arm(w.info().id, workload_timeout_s(w.info(), sampling, scale));
    struct disarm_at_exit {
      in_process_watchdog* self;
      ~disarm_at_exit() { self->disarm(); }
    } disarm_later{this};
    return run(w);
  };
}

void in_process_watchdog::loop() {
  int stops = 0;
  double stop_at = 0.0;
  for (;;) {
    double wait_s = std::numeric_limits<double>::infinity();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (quit_) return;
      const double now = steady_seconds();
      if (armed_) wait_s = std::min(wait_s, deadline_ - now);
      if (stops > 0) wait_s = std::min(wait_s, stop_at + grace_s_ - now);
    }
    const int timeout_ms =
        static_cast<int>(std::clamp(wait_s * 1000.0, 0.0, static_cast<double>(kPollCapMs)));
    pollfd p{pipe_[0], POLLIN, 0};
    if (pipe_[0] >= 0 && ::poll(&p, 1, timeout_ms) > 0) {
      char bytes[16];
      ssize_t n = 0;
      while ((n = ::read(pipe_[0], bytes, sizeof bytes)) > 0)
        for (ssize_t i = 0; i < n; ++i)
          if (bytes[i] == kStopByte && ++stops == 1) stop_at = steady_seconds();
    } else if (pipe_[0] < 0) {
      ::usleep(kPollCapMs * 1000);
    }
    watchdog_event event;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (quit_) return;
      if (finishing_) continue;
      const double now = steady_seconds();
      const bool stop_now = stops >= 2 || (stops == 1 && now >= stop_at + grace_s_);
      const bool expired = armed_ && now >= deadline_;
      if (!stop_now && !expired) continue;
      event.why = stop_now ? watchdog_event::kind::stop : watchdog_event::kind::deadline;
      event.id = armed_ ? id_ : std::string();
      event.limit_s = limit_s_;
      acted_ = true;
    }
    act_(event);
    return;
  }
}

}  // namespace wslcuda
