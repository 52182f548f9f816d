#pragma once
// The workload interface (CUTLASS library `Operation`, nvbench's benchmark declaration): a
// workload says what it computes, its FLOPs and bytes, how to prepare, run and verify it; the
// runner does timing, sampling and reporting. CUDA-free, so the runner is tested on the CPU.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/result.hpp"
#include "model/target.hpp"
#include "verify/check.hpp"

namespace wslcuda {

/// Thrown by prepare() or verify() when the workload cannot run here for a reason that is not a
/// defect (the shape does not fit in device memory, pinned memory is capped): the row is `skip`
/// with the message.
class workload_skip : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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
  /// Prepares `runs` back-to-back calls of `body` (which enqueues work on stream()) as one unit
  /// that time_prepared_batch() replays with no host submission inside the timed interval, as
  /// kernels shorter than a launch need (otherwise the interval measures how fast the host
  /// submits). On success returns true and sets `note` to how (for timing.mode); otherwise
  /// returns false with the reason in `note`, and the caller times a plain batch. The default:
  /// the context cannot (the host has no such thing).
  virtual bool prepare_batch(const std::function<void()>& body, int runs, std::string& note) {
    (void)body;
    (void)runs;
    note.clear();
    return false;
  }
  /// Replays the prepared batch once and returns its duration in seconds. `while_running`, when
  /// not empty, is called after the replay is launched and before it is waited for, while the
  /// device runs it: the timed interval lies inside the batch, so host work there cannot bias
  /// it (the runner reads the clocks there). Only after prepare_batch returned true; throws
  /// std::logic_error otherwise.
  virtual double time_prepared_batch(const std::function<void()>& while_running) {
    (void)while_running;
    throw std::logic_error("time_prepared_batch without a prepared batch");
  }
  /// Drops the prepared batch, if any.
  virtual void release_batch() noexcept {}
};

/// The lowest compute capability CUDA 13 supports (7.5), major·10 + minor.
inline constexpr int kCuda13MinComputeCapability = 75;

/// What a workload needs from the device and the environment.
struct workload_requirements {
  bool needs_device = true;  ///< false: runs on the host (synthetic test workloads)
  int min_compute_capability = kCuda13MinComputeCapability;  ///< major·10 + minor
  std::vector<std::string> libraries = {};                   ///< run-time libraries, e.g. "cublas"
  int min_devices = 1;                                       ///< peer-to-peer needs two
  /// cudaMemPrefetchAsync and GPU/CPU access at once need concurrentManagedAccess, which WSL 2
  /// and Windows do not offer (CUDA on WSL User Guide, "Known Limitations").
  bool concurrent_managed_access = false;
  /// The worker sets CUDA_CACHE_DISABLE=1 before CUDA starts, so the driver's compute cache
  /// cannot answer a JIT compile that is being measured.
  bool jit_cache_disabled = false;
};

/// How one sample is timed.
enum class timing_kind {
  /// CUDA events recorded on the context's stream around a batch of run() calls (GPU time).
  device_events,
  /// The workload times one operation itself on the host's steady clock (run_host_timed): for
  /// latencies, where the submission cost on the CPU is the quantity measured.
  host_clock,
};

/// How samples are taken (see sampling_policy and latency_sampling_policy in measure/sampler.hpp).
enum class sampling_kind {
  throughput,  ///< batched runs, stop when the relative standard deviation is small
  latency,     ///< one operation per sample, a distribution; stop when the p50 is stable
};

/// Which peak `fraction_of_peak` divides by.
enum class peak_reference {
  automatic,         ///< FLOP/s: the precision's peak; B/s: the DRAM peak
  dram,              ///< B/s against the DRAM peak
  host_link,         ///< B/s against one direction of the host link (PCIe), when known
  host_link_duplex,  ///< B/s against both directions of the host link (bidirectional copies)
  none,              ///< no meaningful peak (managed-memory migration, latencies)
};

/// The fields a workload's id is derived from (workload_id()).
struct workload_identity {
  std::string family;          ///< gemm, conv, reduce, … (or a test family)
  std::string implementation;  ///< own, cublas, cudnn, cub, runtime, …
  std::string precision;       ///< f32, tf32, f16, bf16, u8; "none" where no data is computed
  std::string op;              ///< what is done when a family does several things, e.g. "sum"
  std::vector<std::pair<std::string, std::int64_t>> shape;  ///< named extents, in order (M, N, K)
  /// The shape part of the id: "" derives it from `shape` (shape_label()); a family with its
  /// own notation sets it (conv: cuDNN's "n32c64h56w56k64r3s3p1u1"); "-" leaves the shape out.
  std::string shape_label = {};
};

/// What a workload declares besides its identity and seed: how it is timed and sampled, which
/// peak and bound apply, what it says about itself, what it needs and which worker it shares. A
/// family holds these as rows of a table (after kOwnKernels in suite/gpu/gemm_workloads.cpp) and
/// workload_base takes them whole, so a family's constructor assigns nothing. In `description`
/// and `timing_definition`, "{op}" and "{<extent name>}" (e.g. "{nodes}") stand for the
/// identity's op and extents (make_workload_info).
struct workload_traits {
  // In order of how often a family sets them, so that a table's aggregate names only what it
  // changes: a device-timed family writes its group and description and stops there.
  /// Workloads with the same non-empty group that run one after another share one worker
  /// process (one CUDA context creation, shared library handles such as an NCCL communicator).
  std::string group;
  std::string description;  ///< one line for `wslcuda list`
  /// What one sample covers (which clock, what is inside the interval), copied into the
  /// report's timing.mode; empty: the runner's default wording.
  std::string timing_definition = {};
  double setup_estimate_s = 2.0;  ///< seconds of input generation and CPU reference (time limit)
  workload_requirements requirements = {};
  /// What a vendor library was told to run, as specifically as its API allows (the cuDNN
  /// algorithm and math type; for cuBLAS the routine and algorithm argument, since cublasGemmEx
  /// does not name the kernel its heuristics choose); "" for our own kernels. Copied into the
  /// row, kept in baselines, and named by a comparison when the two sides differ.
  std::string algorithm = {};
  timing_kind timing = timing_kind::device_events;
  sampling_kind sampling = sampling_kind::throughput;
  peak_reference peak = peak_reference::automatic;
  /// What bounds its time when the runner finds no host in the interval: `link` for copies over
  /// the host link (pinned host↔device, peer), `device` for the rest. The runner decides `host`
  /// itself (host-clock timing, launch-bound batches: measured_bound).
  bound_kind bound = bound_kind::device;
  /// Multiplies the sampling policy's min_time_s and max_time_s: < 1 for the points of a size
  /// sweep, which are many and individually less important (nvbench's per-benchmark min_time).
  double time_scale = 1.0;
  /// A fixed time limit in seconds (still × `--timeout-scale`) instead of the one derived by
  /// workload_timeout_s; 0 = derived. Only the synthetic hangs set it: their limit is the thing
  /// they test, and the 20 s floor would make every such test 20 s long.
  double time_limit_s = 0.0;
};

/// The row of a family's table `table` that `matches`. Throws std::logic_error naming
/// `table_name` when none does (a defect of the table, not of the machine).
template <typename Row, std::size_t N, typename Match>
const Row& row_where(const Row (&table)[N], Match matches, const char* table_name) {
  for (const Row& row : table)
    if (matches(row)) return row;
  throw std::logic_error(std::string("no row for this workload in ") + table_name);
}

/// Everything known about a workload before it runs: its identity, its traits, the id derived
/// from the identity (`family.implementation.precision[.op][.shape]`, e.g.
/// "gemm.own.f32.m1024n1024k1024") and the seed of its random inputs.
struct workload_info : workload_identity, workload_traits {
  std::string id;
  std::uint64_t seed = 0;  ///< seed of the random inputs
};

/// The info of a workload from its parts: the id derived by workload_id(), and "{op}" and
/// "{<extent name>}" in the traits' description and timing definition replaced by the
/// identity's op and extent values. Throws std::invalid_argument for a placeholder that names
/// neither (a defect of the family's table).
workload_info make_workload_info(workload_identity identity, workload_traits traits,
                                 std::uint64_t seed);

/// The id's shape part from named extents: each extent's name, first letter lowercased, then
/// its value, e.g. {M 64, N 32, K 16} → "m64n32k16", {bytes 4096} → "b4096"; "" for none.
std::string shape_label(const std::vector<std::pair<std::string, std::int64_t>>& shape);

/// The id of `info`: family.implementation.precision, then ".op" when `op` is set, then the
/// shape part (info.shape_label, or shape_label(info.shape) when that is empty; none for "-").
/// The one place ids are made: reports and baselines key on them.
std::string workload_id(const workload_info& info);

/// Why `info.id` breaks the id grammar (README, "Workload ids"), or "" when it does not:
/// dot-separated parts of [a-z0-9_] (3 to 5 of them), starting with family, implementation and
/// precision.
std::string id_grammar_error(const workload_info& info);

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
  /// For timing_kind::host_clock: performs one operation and returns its duration in seconds,
  /// measured by the workload on the host's steady clock as its info().timing_definition says.
  /// Warm-up calls it too and ignores the value. The default throws std::logic_error.
  virtual double run_host_timed(execution_context& /*ctx*/) {
    throw std::logic_error(info().id + ": host_clock timing without run_host_timed (wslcuda bug)");
  }
  /// Figures derived from the measured timing (units in the names), added to the report row's
  /// `metrics`: e.g. nccl-tests' busbw from the median time. Default: none.
  virtual std::vector<std::pair<std::string, double>> derived_metrics(double median_s) const {
    (void)median_s;
    return {};
  }
  /// Frees what prepare allocated; safe to call more than once.
  virtual void release() noexcept {}
};

/// The common part of every built-in workload: it owns the info and answers info(). Its
/// constructor takes the identity (the id follows from it), the traits (a row of the family's
/// table) and the seed, so a family's constructor assigns nothing.
class workload_base : public workload {
 public:
  const workload_info& info() const noexcept final { return info_; }

 protected:
  workload_base(workload_identity identity, workload_traits traits, std::uint64_t seed = 0)
      : info_(make_workload_info(std::move(identity), std::move(traits), seed)) {}

  workload_info info_;
};

/// Why `info` cannot run on `target`, or nullopt when it can: the device is unusable, its
/// compute capability is too low, or a required library is missing (then the message names the
/// library, why, and how to get it: missing_library_message, model/library_sources.hpp).
/// Workloads that do not need a device always run.
std::optional<std::string> unmet_requirement(const workload_info& info, const target_info& target);

}  // namespace wslcuda
