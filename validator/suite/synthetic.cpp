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

namespace wslcuda {
namespace {

enum class behaviour { ok, sleep, hang, segfault, abort, throws, garbage, exit, memory, wrong };

class synthetic_workload final : public workload {
 public:
  synthetic_workload(const char* name, behaviour b, const char* description) : b_(b) {
    info_.id = std::string("synthetic.host.f32.") + name;
    info_.family = "synthetic";
    info_.implementation = "host";
    info_.precision = "f32";
    info_.shape = {{"N", 1}};
    info_.seed = 1;
    info_.requirements.needs_device = false;
    info_.setup_estimate_s = 0.0;
    info_.description = description;
  }
  const workload_info& info() const noexcept override { return info_; }
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
        return;
      case behaviour::sleep:
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return;
      case behaviour::hang:
        for (;;) pause();
      case behaviour::segfault:
        std::raise(SIGSEGV);
        return;
      case behaviour::abort:
        std::abort();
      case behaviour::throws:
        throw std::runtime_error("synthetic failure: cudaErrorIllegalAddress (700)");
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
    return r;
  }

 private:
  behaviour b_;
  workload_info info_;
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
             {"wrong", behaviour::wrong, "fails verification"}};
  for (const auto& s : all) r.add(std::make_unique<synthetic_workload>(s.name, s.b, s.description));
}

}  // namespace wslcuda
