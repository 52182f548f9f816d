#include "suite/isolation.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "suite/runner.hpp"

namespace wslcuda {
namespace {

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/// Closes both ends on scope exit.
struct pipe_pair {
  int fd[2] = {-1, -1};
  bool open() { return ::pipe2(fd, O_CLOEXEC) == 0; }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
  ~pipe_pair() {
    close_end(0);
    close_end(1);
  }
};

std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of("\r\n");
  if (end == std::string::npos) return "";
  const std::size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end - (start == std::string::npos ? 0 : start + 1) + 1);
}

std::string printable_prefix(const std::string& s, std::size_t n) {
  std::string out;
  for (char c : s.substr(0, n)) out += (c >= 32 && c < 127) ? c : '?';
  return out;
}

}  // namespace

child_result run_child(const child_request& request, const std::atomic<int>* interrupt) {
  child_result r;
  if (request.argv.empty()) {
    r.start_error = "empty command";
    return r;
  }
  pipe_pair in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    r.start_error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  std::vector<char*> argv;
  for (const std::string& a : request.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const double start = now_s();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    r.start_error = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    // The worker dies with wslcuda (SIGKILL, a closed terminal): never an orphan running on.
    // If the parent died before prctl took effect, getppid() is no longer the parent.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(128 + SIGKILL);
    ::setpgid(0, 0);
    if (request.address_space_limit > 0) {
      const rlimit lim{request.address_space_limit, request.address_space_limit};
      ::setrlimit(RLIMIT_AS, &lim);
    }
    ::dup2(in.fd[0], 0);
    ::dup2(out.fd[1], 1);
    ::dup2(err.fd[1], 2);
    ::execv(argv[0], argv.data());
    const char msg[] = "wslcuda: exec of the worker failed\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent: no race with the first kill
  r.started = true;
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  for (int fd : {in.fd[1], out.fd[0], err.fd[0]})
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

  std::size_t written = 0;
  if (request.stdin_data.empty()) in.close_end(1);
  double term_sent = 0.0, kill_sent = 0.0, reaped_at = 0.0;
  const bool staged = !request.stage_timeouts_s.empty() && !request.stage_marker.empty();
  double stage_start = start;
  std::size_t scanned = 0;  // stdout bytes already searched for complete stage lines
  auto limit_now = [&] {
    if (!staged) return request.timeout_s;
    const std::size_t last = request.stage_timeouts_s.size() - 1;
    return request.stage_timeouts_s[std::min(r.stages_done, last)];
  };
  bool reaped = false;
  int wstatus = 0;
  char buf[65536];
  for (;;) {
    pollfd fds[3];
    nfds_t n = 0;
    if (out.fd[0] >= 0) fds[n++] = {out.fd[0], POLLIN, 0};
    if (err.fd[0] >= 0) fds[n++] = {err.fd[0], POLLIN, 0};
    if (in.fd[1] >= 0) fds[n++] = {in.fd[1], POLLOUT, 0};
    if (n == 0 && reaped) break;
    ::poll(fds, n, 50);
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.fd[1]) {
        const ssize_t w = ::write(in.fd[1], request.stdin_data.data() + written,
                                  request.stdin_data.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 && errno != EAGAIN)
          written = request.stdin_data.size();  // the child closed stdin
        if (written >= request.stdin_data.size()) in.close_end(1);
        continue;
      }
      const bool is_out = fds[i].fd == out.fd[0];
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        if (is_out) {
          const std::size_t room =
              request.max_output_bytes - std::min(request.max_output_bytes, r.stdout_data.size());
          r.stdout_data.append(buf, std::min<std::size_t>(room, static_cast<std::size_t>(got)));
          for (std::size_t eol;
               staged && (eol = r.stdout_data.find('\n', scanned)) != std::string::npos;
               scanned = eol + 1) {
            if (r.stdout_data.compare(scanned, request.stage_marker.size(), request.stage_marker) ==
                0) {
              ++r.stages_done;
              stage_start = now_s();
              if (request.on_stage_line)
                request.on_stage_line(r.stdout_data.substr(scanned, eol - scanned));
            }
          }
        } else {
          r.stderr_tail.append(buf, static_cast<std::size_t>(got));
          if (r.stderr_tail.size() > 4096) r.stderr_tail.erase(0, r.stderr_tail.size() - 4096);
        }
      } else if (got == 0 || errno != EAGAIN) {
        is_out ? out.close_end(0) : err.close_end(0);
      }
    }
    const double t = now_s();
    if (!reaped && ::waitpid(pid, &wstatus, WNOHANG) == pid) {
      reaped = true;
      reaped_at = t;
      ::kill(-pid, SIGKILL);  // stray grandchildren must not hold the pipes open
    }
    if (reaped) {
      if (t - reaped_at > 1.0) break;  // drain what is left, briefly
      continue;
    }
    const bool interrupted = interrupt != nullptr && interrupt->load() != 0;
    if (term_sent == 0.0 && (t - stage_start >= limit_now() || interrupted)) {
      r.timed_out = !interrupted;
      if (r.timed_out) r.expired_limit_s = limit_now();
      r.interrupted = interrupted;
      ::kill(-pid, SIGTERM);
      term_sent = t;
    } else if (term_sent != 0.0 && kill_sent == 0.0 && t - term_sent >= request.grace_s) {
      ::kill(-pid, SIGKILL);
      r.killed = true;
      kill_sent = t;
    }
  }
  if (!reaped) ::waitpid(pid, &wstatus, 0);
  r.wall_s = now_s() - start;
  if (WIFEXITED(wstatus)) {
    r.exited = true;
    r.exit_code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    r.signaled = true;
    r.signal = WTERMSIG(wstatus);
  }
  return r;
}

std::string signal_description(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  const char* text = sigdescr_np(signal);
  return std::string(abbrev != nullptr ? std::string("SIG") + abbrev
                                       : "signal " + std::to_string(signal)) +
         (text != nullptr ? std::string(" (") + text + ")" : std::string());
}

result_row result_from_child(const workload_info& info, int device, const child_result& child,
                             double timeout_s) {
  // The worker's own result, when it wrote one that parses.
  std::string malformed, other_id;
  const std::string& out = child.stdout_data;
  if (auto row = find_result_line(out, info.id, &malformed, &other_id)) return *row;

  result_row row = identity_row(info, device);
  row.status = status::error;
  // A sanitizer's "SUMMARY: AddressSanitizer: SEGV on unknown address …" says more than its last
  // line ("==123==ABORTING").
  std::string tail = last_line(child.stderr_tail);
  if (const std::size_t summary = child.stderr_tail.rfind("SUMMARY: ");
      summary != std::string::npos)
    tail = child.stderr_tail.substr(summary, child.stderr_tail.find('\n', summary) - summary);
  std::string msg;
  error_kind kind = error_kind::worker;
  if (!child.started) {
    msg = "worker could not be started: " + child.start_error;
  } else if (child.interrupted) {
    msg = "interrupted";
    kind = error_kind::interrupted;
  } else if (child.timed_out) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", timeout_s);
    msg = std::string("timed out after ") + buf + " s" +
          (child.killed ? " (SIGTERM ignored, then SIGKILL)" : "");
    kind = error_kind::timeout;
  } else if (!malformed.empty()) {
    msg = malformed;
  } else if (child.signaled) {
    msg = "worker killed by " + signal_description(child.signal);
    kind = error_kind::crash;
  } else if (child.exited && child.exit_code != 0) {
    msg = "worker exited with code " + std::to_string(child.exit_code);
    kind = error_kind::crash;
  } else if (!other_id.empty()) {
    msg = "worker answered for " + other_id + " instead of " + info.id;
  } else if (!out.empty()) {
    msg = "garbage on the worker pipe: '" + printable_prefix(out, 60) + "'";
  } else {
    msg = "worker ended without a result";
  }
  row.error = error_block{kind, ""};
  if (!tail.empty() && !child.interrupted)
    msg += "; last stderr line: " + printable_prefix(tail, 200);
  row.message = msg;
  return row;
}

double workload_timeout_s(double sampling_cap_s, double warmup_s, double setup_estimate_s,
                          double scale) {
  const double base =
      std::clamp(20.0 + 2.0 * (sampling_cap_s + warmup_s) + 2.0 * setup_estimate_s, 20.0, 600.0);
  return base * (scale > 0.0 ? scale : 1.0);
}

double workload_timeout_s(const workload_info& info, const sampling_policy& sampling,
                          double scale) {
  if (info.time_limit_s > 0.0) return info.time_limit_s * (scale > 0.0 ? scale : 1.0);
  return workload_timeout_s(sampling.max_time_s, sampling.warmup_time_s, info.setup_estimate_s,
                            scale);
}

int tdr_chunks(double estimated_s, bool watchdog, double limit_s) {
  if (!watchdog || !std::isfinite(estimated_s) || estimated_s <= 0.0 || limit_s <= 0.0) return 1;
  return static_cast<int>(std::min(1e6, std::ceil(estimated_s / limit_s)));
}

}  // namespace wslcuda
