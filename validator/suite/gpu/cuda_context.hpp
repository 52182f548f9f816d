#pragma once
// The GPU execution context: a dedicated non-blocking stream and a pair of CUDA events.

#include <chrono>
#include <functional>
#include <string>

#include "common/cuda_raii.hpp"
#include "suite/workload.hpp"

namespace wslcuda {

/// Times work on `device` with CUDA events on its own non-blocking stream (README, "How results
/// are checked and timed"). The interval between the two events is GPU time; stop_timer waits on
/// the end event (cudaEventSynchronize). Throws cuda_error when the device cannot be used.
class cuda_context final : public execution_context {
 public:
  explicit cuda_context(int device);
  void* stream() const noexcept override { return stream_.get(); }
  void start_timer() override;
  double stop_timer() override;
  void synchronize() override;
  std::string clock_name() const override { return "cuda_event"; }
  /// Captures the `runs` calls of `body` into one CUDA graph (stream capture, thread-local
  /// mode) between two event-record nodes, so the timed interval lies inside the graph: one
  /// cudaGraphLaunch per sample and no host submission between the events (the purpose of
  /// nvbench's blocking kernel, without its launch-queue limit). The graph is instantiated with
  /// cudaGraphInstantiateFlagAutoFreeOnLaunch, so that allocation nodes a library may capture
  /// (cuBLAS without a workspace: cudaMallocAsync) cannot fail the next launch with
  /// cudaErrorInvalidValue (CUDA Runtime API, cudaGraphLaunch), and uploaded. The note names
  /// the graph's nodes other than kernels, copies and event records (graph_nodes_note). When
  /// the body cannot be captured (a synchronising or allocating call, an exception), the
  /// capture is ended, the error cleared, and false returned with the reason.
  bool prepare_batch(const std::function<void()>& body, int runs, std::string& note) override;
  /// Launches the graph, calls `while_running` (when not empty) while the device runs it, waits,
  /// and returns the time between its two event nodes, in seconds.
  double time_prepared_batch(const std::function<void()>& while_running) override;
  void release_batch() noexcept override;
  ~cuda_context() override { release_batch(); }
  cuda_context(const cuda_context&) = delete;
  cuda_context& operator=(const cuda_context&) = delete;
  int device() const noexcept { return device_; }

 private:
  int device_;
  cuda_stream stream_;
  cuda_event start_, stop_;
  cudaGraphExec_t batch_ = nullptr;
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
