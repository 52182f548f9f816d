#pragma once
// The GPU execution context: a dedicated non-blocking stream and a pair of CUDA events.

#include <chrono>

#include "common/cuda_raii.hpp"
#include "suite/workload.hpp"

namespace wslcuda {

/// Times work on `device` with CUDA events on its own non-blocking stream (DESIGN.md
/// "Measuring"). The interval between the two events is GPU time; stop_timer waits on the end
/// event (cudaEventSynchronize). Throws cuda_error when the device cannot be used.
class cuda_context final : public execution_context {
 public:
  explicit cuda_context(int device);
  void* stream() const noexcept override { return stream_.get(); }
  void start_timer() override;
  double stop_timer() override;
  void synchronize() override;
  std::string clock_name() const override { return "cuda_event"; }
  int device() const noexcept { return device_; }

 private:
  int device_;
  cuda_stream stream_;
  cuda_event start_, stop_;
};

/// Seconds on the host's steady clock since `start`: the clock of host-timed workloads.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// cudaStream_t of a context (nullptr for a host context, i.e. the legacy stream).
inline cudaStream_t stream_of(const execution_context& ctx) noexcept {
  return static_cast<cudaStream_t>(ctx.stream());
}

}  // namespace wslcuda
