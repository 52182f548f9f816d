#pragma once
// The in-process watchdog of `run --no-isolation`: a workload running in the wslcuda process
// cannot be stopped, so its time limit (workload_timeout_s) and a stop signal are enforced by a
// thread that, when the limit passes or a stop is asked and the workload does not return within
// a grace period, hands the run to a callback that writes the report of what finished and ends
// the process (_exit). CUDA-free.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "measure/sampler.hpp"
#include "model/result.hpp"
#include "suite/workload.hpp"

namespace wslcuda {

/// Why the watchdog acted.
struct watchdog_event {
  enum class kind {
    deadline,  ///< the workload `id` passed its limit of `limit_s` seconds
    stop,      ///< a stop was asked (a signal) and no workload returned within the grace
  } why = kind::stop;
  std::string id;        ///< the workload in flight ("" between workloads)
  double limit_s = 0.0;  ///< its time limit (deadline)
};

/// One watchdog thread for one run. `act` runs on that thread, at most once; it is meant to write
/// the report and _exit (it must not return to a process whose main thread is stuck: when it
/// returns, the watchdog stops watching). Stops are delivered through notify_fd(), which a
/// signal handler may write to (write(2) is async-signal-safe): the first byte starts the grace
/// period, a second one acts at once.
class in_process_watchdog {
 public:
  /// `grace_s`: how long a stop waits for the workload in flight to return (then act).
  in_process_watchdog(double grace_s, std::function<void(const watchdog_event&)> act);
  in_process_watchdog(const in_process_watchdog&) = delete;
  in_process_watchdog& operator=(const in_process_watchdog&) = delete;
  /// Stops the thread and joins it (the run ended by itself).
  ~in_process_watchdog();

  /// The write end of the stop pipe, for a signal handler; -1 when the pipe could not be made.
  int notify_fd() const noexcept { return pipe_[1]; }

  /// `run` wrapped so that each call is watched: armed with the workload's id and `limit_s`
  /// from workload_timeout_s(info, sampling, scale) before, disarmed after.
  std::function<result_row(workload&)> guard(std::function<result_row(workload&)> run,
                                             const sampling_policy& sampling, double scale);

  /// From now on the main thread is finishing by itself (writing the outputs): the watchdog no
  /// longer acts. Returns false when the watchdog has already acted (the caller then waits to be
  /// ended, never writing a second report).
  bool main_thread_finishing();

 private:
  void arm(const std::string& id, double limit_s);
  void disarm();
  void loop();

  double grace_s_;
  std::function<void(const watchdog_event&)> act_;
  int pipe_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool armed_ = false;
  std::string id_;
  double limit_s_ = 0.0, deadline_ = 0.0;  ///< steady seconds
  bool finishing_ = false, acted_ = false, quit_ = false;
  std::thread thread_;
};

}  // namespace wslcuda
