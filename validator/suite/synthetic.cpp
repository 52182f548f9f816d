#include "suite/synthetic.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/named_error.hpp"

namespace wslcuda {
namespace {

enum class behaviour {
  ok,
  sleep,
  hang,
  segfault,
  abort,
  throws,
  garbage,
  exit,
  memory,
  wrong,
  latency,  ///< host-clock timing, latency sampling: a distribution of short busy waits
};

/// A synthetic workload's traits: on the host (no device), seed 1, no set-up; a latency one is
/// host-timed as a distribution; a hang has a short time limit (the thing it tests; every other
/// keeps the production limit, 20 s and up, so no test depends on how fast the machine runs
/// them); grouped ones share a worker.
workload_traits traits_of(behaviour b, const char* description, const char* group) {
  const bool latency = b == behaviour::latency;
  return {group != nullptr ? group : "",
          description,
          latency ? "host steady_clock around a busy wait of 1 to 3 µs" : "",
          /*setup_estimate_s=*/0.0,
          {/*needs_device=*/false},
          /*algorithm=*/"",
          latency ? timing_kind::host_clock : timing_kind::device_events,
          latency ? sampling_kind::latency : sampling_kind::throughput,
          peak_reference::automatic,
          bound_kind::device,
          /*time_scale=*/1.0,
          /*time_limit_s=*/b == behaviour::hang ? 1.0 : 0.0};
}

class synthetic_workload final : public workload_base {
 public:
  synthetic_workload(const char* name, behaviour b, const char* description,
                     const char* group = nullptr)
      // N = 1 says nothing about a synthetic workload: the shape stays out of its id.
      : workload_base(
            {"synthetic", group != nullptr ? "group" : "host", "f32", name, {{"N", 1}}, "-"},
            traits_of(b, description, group), /*seed=*/1),
        b_(b) {}
  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return 0.0; }
  void prepare(execution_context&) override {
    if (b_ == behaviour::memory) {
      rlimit lim{};
      if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
        throw std::runtime_error("synthetic.memory refuses to run without an address-space limit");
    }
  }
  void run(execution_context&) override {
    switch (b_) {
      case behaviour::ok:
      case behaviour::wrong:
      case behaviour::latency:
        return;
      case behaviour::sleep:
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return;
      case behaviour::hang:
        // Said before waiting, so a test can signal a run that is surely inside the hang.
        std::cerr << "synthetic hang: waiting for a signal\n" << std::flush;
        for (;;) pause();
      case behaviour::segfault:
        std::raise(SIGSEGV);
        return;
      case behaviour::abort:
        std::abort();
      case behaviour::throws:
        // As a CUDA error would: the row's error names it, and the worker stops after it.
        throw named_error("synthetic failure: cudaErrorIllegalAddress (700)", "cuda",
                          "cudaErrorIllegalAddress", 700);
      case behaviour::garbage:
        std::cout << "\x01\x02 this is not a result \xff\n" << std::flush;
        std::_Exit(0);
      case behaviour::exit:
        std::_Exit(3);
      case behaviour::memory: {
        std::vector<std::vector<char>> hog;
        for (;;) hog.emplace_back(std::size_t{64} << 20, '\x5a');  // touched: not just reserved
      }
    }
  }
  check_result verify(execution_context& ctx) override {
    run(ctx);
    check_result r;
    r.metric = "synthetic";
    r.bound = 0.0;
    r.compared = 1;
    r.status = b_ == behaviour::wrong ? status::fail : status::pass;
    r.value = b_ == behaviour::wrong ? 1.0 : 0.0;
    r.message = b_ == behaviour::wrong ? "wrong on purpose" : "ok";
    // Grouped workloads say which process ran them, so tests can tell shared workers apart.
    if (!info_.group.empty()) r.message += " (pid " + std::to_string(::getpid()) + ")";
    return r;
  }

  double run_host_timed(execution_context&) override {
    // 1, 2 or 3 µs in turn: a distribution with distinct percentiles.
    const auto wait = std::chrono::microseconds(1 + (calls_++ % 3));
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < wait) {
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

 private:
  behaviour b_;
  unsigned calls_ = 0;
};

}  // namespace

void register_synthetic(registry& r) {
  const struct {
    const char* name;
    behaviour b;
    const char* description;
  } all[] = {{"ok", behaviour::ok, "passes"},
             {"sleep", behaviour::sleep, "sleeps 20 ms per run"},
             {"hang", behaviour::hang, "never returns"},
             {"segfault", behaviour::segfault, "raises SIGSEGV"},
             {"abort", behaviour::abort, "calls abort()"},
             {"throw", behaviour::throws, "throws an exception"},
             {"garbage", behaviour::garbage, "writes garbage on stdout and exits 0"},
             {"exit", behaviour::exit, "exits with code 3"},
             {"memory", behaviour::memory, "allocates until the address-space limit"},
             {"wrong", behaviour::wrong, "fails verification"},
             {"latency", behaviour::latency, "host-timed distribution of 1–3 µs waits"}};
  for (const auto& s : all) r.add(std::make_unique<synthetic_workload>(s.name, s.b, s.description));
  // One worker group: a crash or a hang in the middle loses only that workload, and the rest
  // of the group continues in a new worker.
  const struct {
    const char* name;
    behaviour b;
  } grouped[] = {
      {"a_ok", behaviour::ok}, {"b_ok", behaviour::ok},     {"c_segfault", behaviour::segfault},
      {"d_ok", behaviour::ok}, {"e_hang", behaviour::hang}, {"f_ok", behaviour::ok}};
  for (const auto& g : grouped)
    r.add(std::make_unique<synthetic_workload>(g.name, g.b, "member of a worker group",
                                               "synthetic-group"));
}

}  // namespace wslcuda
