#pragma once
// The workload interface (CUTLASS library `Operation`, nvbench's benchmark declaration): a
// workload says what it computes, its FLOPs and bytes, how to prepare, run and verify it; the
// runner does timing, sampling and reporting. CUDA-free, so the runner is tested on the CPU.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "verify/check.hpp"

namespace wslcuda {

/// Where a workload runs: a stream and a timer. The GPU implementation records CUDA events on a
/// dedicated non-blocking stream; tests use scripted host implementations.
class execution_context {
 public:
  virtual ~execution_context() = default;
  /// The stream work is enqueued on (a cudaStream_t for GPU contexts; nullptr on the host).
  virtual void* stream() const noexcept = 0;
  /// Marks the start of a timed interval on the stream.
  virtual void start_timer() = 0;
  /// Marks the end, waits for it, and returns the interval in seconds.
  virtual double stop_timer() = 0;
  /// Waits until everything enqueued so far has finished.
  virtual void synchronize() = 0;
  /// Short description of the clock, copied into the report's timing.mode ("cuda_event").
  virtual std::string clock_name() const = 0;
};

/// What a workload needs from the device and the environment.
struct workload_requirements {
  bool needs_device = true;            ///< false: runs on the host (synthetic test workloads)
  int min_compute_capability = 75;     ///< major·10 + minor; CUDA 13 supports 7.5 and newer
  std::vector<std::string> libraries;  ///< run-time libraries, e.g. "cublas"
};

/// Identity and shape. `id` is `family.implementation.precision[.op].shape`
/// (e.g. "gemm.own.f32.m1024n1024k1024").
struct workload_info {
  std::string id;
  std::string family;          ///< gemm, conv, reduce, … (or a test family)
  std::string implementation;  ///< own, cublas, cudnn, cub, …
  std::string precision;       ///< f32, tf32, f16, bf16
  std::vector<std::pair<std::string, std::int64_t>> shape;  ///< named extents, in order (M, N, K)
  workload_requirements requirements;
  std::uint64_t seed = 0;         ///< seed of the random inputs
  double setup_estimate_s = 2.0;  ///< seconds of input generation and CPU reference (time limit)
  std::string description;        ///< one line for `wslcuda list`
};

/// One operation to validate and time.
class workload {
 public:
  virtual ~workload() = default;
  virtual const workload_info& info() const noexcept = 0;
  /// Floating-point operations of one run (0 for a data-movement workload).
  virtual double flops() const noexcept = 0;
  /// Minimum bytes one run must move to or from device memory (inputs read once, outputs
  /// written once).
  virtual double bytes() const noexcept = 0;
  /// Allocates and fills inputs (seeded), creates handles. May throw.
  virtual void prepare(execution_context& ctx) = 0;
  /// Enqueues exactly one run on ctx.stream(), without synchronising. May throw.
  virtual void run(execution_context& ctx) = 0;
  /// Poisons the outputs (NaN), runs once, waits, and compares every output element that was
  /// written with the reference under the documented bound. May throw.
  virtual check_result verify(execution_context& ctx) = 0;
  /// Frees what prepare allocated; safe to call more than once.
  virtual void release() noexcept {}
};

}  // namespace wslcuda
