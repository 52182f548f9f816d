#pragma once
// An execution context on the host: std::chrono::steady_clock, no stream. Used by workloads
// that do not need a device (the synthetic workloads that test the runner and isolation).

#include <chrono>

#include "suite/workload.hpp"

namespace wslcuda {

class host_context final : public execution_context {
 public:
  void* stream() const noexcept override { return nullptr; }
  void start_timer() override { start_ = std::chrono::steady_clock::now(); }
  double stop_timer() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void synchronize() override {}
  std::string clock_name() const override { return "steady_clock"; }

 private:
  std::chrono::steady_clock::time_point start_{};
};

}  // namespace wslcuda
