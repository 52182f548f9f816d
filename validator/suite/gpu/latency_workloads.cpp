// Latency family: what one submission costs, as distributions in microseconds. Every interval
// is taken on the host's steady clock around exactly the calls the id names (no blocking
// kernel, no batching): that is where WSL 2 differs, each submission crossing VMBus to the
// Windows host.

#include <chrono>
#include <functional>
#include <stdexcept>

#include "platform/platform_kernels.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/platform_plan.hpp"

namespace wslcuda {
namespace {

enum class latency_op { launch, launch_sync, event_sync, graph, malloc_free, host_alloc };

/// Back-to-back launches are synchronised, outside the interval, after this many: the launch
/// queue (about 1000 entries) never fills, so no sample waits for the GPU. (kLatencyOps' launch
/// row says the number in words.)
constexpr int kLaunchesBeforeSync = 256;

/// One operation of the family: its id part, what its interval holds, and one line for
/// `wslcuda list` ("{nodes}" is the graph's node count).
struct latency_row {
  latency_op op;
  const char* name;
  const char* timing_definition;
  const char* description;
};

const latency_row kLatencyOps[] = {
    {latency_op::launch, "launch",
     "host steady_clock around one cudaLaunchKernel of an empty <<<1,1>>> kernel, launched back "
     "to back; the stream is synchronised outside the interval every 256 launches so the launch "
     "queue never fills",
     "host cost of one kernel launch (no synchronisation)"},
    {latency_op::launch_sync, "launch_sync",
     "host steady_clock around cudaLaunchKernel (empty <<<1,1>>> kernel) + "
     "cudaStreamSynchronize on an idle stream: the submission round trip",
     "launch of an empty kernel and wait for it"},
    {latency_op::event_sync, "event_sync",
     "host steady_clock around cudaEventRecord + cudaEventSynchronize on an idle stream (event "
     "created with cudaEventDisableTiming)",
     "record an event and wait for it"},
    {latency_op::graph, "graph",
     "host steady_clock around cudaGraphLaunch of an instantiated graph of {nodes} serial "
     "1-thread kernel nodes + cudaStreamSynchronize; metrics.per_node_s = p50 / nodes",
     "CUDA graph of {nodes} kernel nodes: launch and wait"},
    {latency_op::malloc_free, "malloc_free",
     "host steady_clock around cudaMalloc(1 MiB) + cudaFree",
     "device allocation and free of 1 MiB"},
    {latency_op::host_alloc, "host_alloc",
     "host steady_clock around cudaHostAlloc(64 MiB, default flags) + cudaFreeHost",
     "pinned host allocation and free of 64 MiB"},
};

/// The row of `op`.
const latency_row& row_of(latency_op op) {
  return row_where(
      kLatencyOps, [&](const latency_row& r) { return r.op == op; }, "kLatencyOps");
}

/// The extents an operation has: a graph's nodes, an allocation's bytes; none for the others.
std::vector<std::pair<std::string, std::int64_t>> shape_of(latency_op op, int graph_nodes) {
  switch (op) {
    case latency_op::graph:
      return {{"nodes", graph_nodes}};
    case latency_op::malloc_free:
      return {{"bytes", static_cast<std::int64_t>(kMiB)}};
    case latency_op::host_alloc:
      return {{"bytes", static_cast<std::int64_t>(64 * kMiB)}};
    default:
      return {};
  }
}

/// Every latency workload: host clock, a distribution, no peak, one worker for the family.
workload_traits traits_of(const latency_row& row) {
  return {"latency", row.description,         row.timing_definition,  /*setup_estimate_s=*/1.0, {},
          "",        timing_kind::host_clock, sampling_kind::latency, peak_reference::none};
}

class latency_workload final : public workload_base {
 public:
  latency_workload(latency_op op, int graph_nodes = 0)
      : workload_base({"latency", "runtime", "none", row_of(op).name, shape_of(op, graph_nodes)},
                      traits_of(row_of(op))),
        op_(op),
        nodes_(graph_nodes) {}

  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return 0.0; }

  void prepare(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    counter_ = device_buffer<int>(1);
    if (op_ == latency_op::event_sync)
      WSLCUDA_CUDA_CHECK(cudaEventCreateWithFlags(&event_, cudaEventDisableTiming));
    if (op_ == latency_op::graph) {
      WSLCUDA_CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
      for (int i = 0; i < nodes_; ++i) {
        const cudaError_t e = kernels::launch_increment(counter_.get(), stream);
        if (e != cudaSuccess) {
          cudaGraph_t broken = nullptr;
          (void)cudaStreamEndCapture(stream, &broken);
          if (broken != nullptr) (void)cudaGraphDestroy(broken);
          WSLCUDA_CUDA_CHECK(e);
        }
      }
      WSLCUDA_CUDA_CHECK(cudaStreamEndCapture(stream, &graph_));
      WSLCUDA_CUDA_CHECK(cudaGraphInstantiate(&exec_, graph_, 0));
      WSLCUDA_CUDA_CHECK(cudaGraphUpload(exec_, stream));
    }
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
  }

  void run(execution_context& ctx) override { (void)run_host_timed(ctx); }

  double run_host_timed(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    switch (op_) {
      case latency_op::launch: {
        if (++pending_ > kLaunchesBeforeSync) {
          WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
          pending_ = 1;
        }
        const auto start = std::chrono::steady_clock::now();
        const cudaError_t e = kernels::launch_empty(stream);
        const double s = seconds_since(start);
        WSLCUDA_CUDA_CHECK(e);
        return s;
      }
      case latency_op::launch_sync: {
        const auto start = std::chrono::steady_clock::now();
        WSLCUDA_CUDA_CHECK(kernels::launch_empty(stream));
        WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
        return seconds_since(start);
      }
      case latency_op::event_sync: {
        const auto start = std::chrono::steady_clock::now();
        WSLCUDA_CUDA_CHECK(cudaEventRecord(event_, stream));
        WSLCUDA_CUDA_CHECK(cudaEventSynchronize(event_));
        return seconds_since(start);
      }
      case latency_op::graph: {
        const auto start = std::chrono::steady_clock::now();
        WSLCUDA_CUDA_CHECK(cudaGraphLaunch(exec_, stream));
        WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
        return seconds_since(start);
      }
      case latency_op::malloc_free: {
        void* p = nullptr;
        const auto start = std::chrono::steady_clock::now();
        WSLCUDA_CUDA_CHECK(cudaMalloc(&p, kMiB));
        WSLCUDA_CUDA_CHECK(cudaFree(p));
        return seconds_since(start);
      }
      case latency_op::host_alloc: {
        void* p = nullptr;
        const auto start = std::chrono::steady_clock::now();
        WSLCUDA_CUDA_CHECK(cudaHostAlloc(&p, 64 * kMiB, cudaHostAllocDefault));
        WSLCUDA_CUDA_CHECK(cudaFreeHost(p));
        return seconds_since(start);
      }
    }
    throw std::logic_error("unknown latency operation");
  }

  check_result verify(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    if (op_ == latency_op::graph) {
      // Every node must run once per launch: the counter counts them.
      WSLCUDA_CUDA_CHECK(cudaMemsetAsync(counter_.get(), 0, sizeof(int), stream));
      constexpr int kLaunches = 3;
      for (int i = 0; i < kLaunches; ++i) WSLCUDA_CUDA_CHECK(cudaGraphLaunch(exec_, stream));
      const std::vector<int> got = download(counter_, stream);
      const float expected = static_cast<float>(kLaunches * nodes_);
      const float value = static_cast<float>(got[0]);
      check_result r = check_equal(&value, &expected, 1,
                                   "kernel nodes executed in 3 graph launches, counted on the "
                                   "device (expected 3 × nodes)");
      return r;
    }
    // The others have no output: the operation must complete without an error, and a counter
    // kernel enqueued behind it must run.
    WSLCUDA_CUDA_CHECK(cudaMemsetAsync(counter_.get(), 0, sizeof(int), stream));
    (void)run_host_timed(ctx);
    WSLCUDA_CUDA_CHECK(kernels::launch_increment(counter_.get(), stream));
    const std::vector<int> got = download(counter_, stream);
    pending_ = 0;
    const float expected = 1.0f, value = static_cast<float>(got[0]);
    return check_equal(&value, &expected, 1,
                       "the operation completed without a CUDA error and a kernel enqueued "
                       "after it ran (device counter = 1)");
  }

  std::vector<std::pair<std::string, double>> derived_metrics(double median_s) const override {
    if (op_ == latency_op::graph && nodes_ > 0) return {{"per_node_s", median_s / nodes_}};
    return {};
  }

  void release() noexcept override {
    if (exec_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaGraphExecDestroy(exec_));
    if (graph_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaGraphDestroy(graph_));
    if (event_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaEventDestroy(event_));
    exec_ = nullptr;
    graph_ = nullptr;
    event_ = nullptr;
    counter_.reset();
    pending_ = 0;
  }

 private:
  latency_op op_;
  int nodes_;
  device_buffer<int> counter_;
  cudaEvent_t event_ = nullptr;
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t exec_ = nullptr;
  int pending_ = 0;  ///< launches since the last synchronisation (latency.launch)
};

}  // namespace

void register_latency(registry& r, const suite_config& /*config*/) {
  r.add(std::make_unique<latency_workload>(latency_op::launch));
  r.add(std::make_unique<latency_workload>(latency_op::launch_sync));
  r.add(std::make_unique<latency_workload>(latency_op::event_sync));
  r.add(std::make_unique<latency_workload>(latency_op::graph, 1));
  r.add(std::make_unique<latency_workload>(latency_op::graph, 100));
  r.add(std::make_unique<latency_workload>(latency_op::malloc_free));
  r.add(std::make_unique<latency_workload>(latency_op::host_alloc));
}

}  // namespace wslcuda
