// Collective family: NCCL (loaded at run time) over every visible GPU in one process
// (ncclCommInitAll; one GPU runs too, n = 1), f32, over a size sweep. algbw and busbw exactly
// as nccl-tests reports them; results checked element-wise on the device (#wrong).

#include <nccl.h>

#include <cmath>
#include <memory>

#include "common/dl_symbol.hpp"
#include "platform/platform_kernels.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/nccl_workloads.hpp"
#include "suite/platform_plan.hpp"
#include "vendor/library_loader.hpp"

namespace wslcuda {
namespace {

/// The NCCL entry points, resolved with dlsym.
struct nccl_api {
  decltype(&ncclCommInitAll) init_all = nullptr;
  decltype(&ncclAllReduce) all_reduce = nullptr;
  decltype(&ncclAllGather) all_gather = nullptr;
  decltype(&ncclReduceScatter) reduce_scatter = nullptr;
  decltype(&ncclBroadcast) broadcast = nullptr;
  decltype(&ncclGroupStart) group_start = nullptr;
  decltype(&ncclGroupEnd) group_end = nullptr;
  decltype(&ncclGetErrorString) error_string = nullptr;

  void check(ncclResult_t r, const char* call) const {
    if (r != ncclSuccess)
      throw std::runtime_error(
          std::string(call) + " failed: " +
          (error_string != nullptr ? error_string(r) : "ncclResult_t " + std::to_string(r)));
  }
};

/// One communicator per visible device, created once per process and shared by every collective
/// workload of the worker (communicator set-up is not what is measured). Never destroyed: the
/// process ends right after, and tearing NCCL down after the CUDA runtime has unloaded is unsafe.
struct nccl_world {
  nccl_api api;
  int ranks = 0;
  std::vector<ncclComm_t> comms;
  std::vector<std::unique_ptr<cuda_stream>> streams;  ///< one per device
  std::vector<std::unique_ptr<cuda_event>> joins;     ///< one per device
  std::unique_ptr<cuda_event> fork;                   ///< on the context's device

  static nccl_world& get() {
    static nccl_world* world = create();
    return *world;
  }

 private:
  static nccl_world* create() {
    void* handle = load_library_once(nccl_spec()).handle;
    if (handle == nullptr) throw std::runtime_error("NCCL is not loaded");
    auto w = std::make_unique<nccl_world>();
    bind_symbol(handle, "ncclCommInitAll", w->api.init_all, "NCCL");
    bind_symbol(handle, "ncclAllReduce", w->api.all_reduce, "NCCL");
    bind_symbol(handle, "ncclAllGather", w->api.all_gather, "NCCL");
    bind_symbol(handle, "ncclReduceScatter", w->api.reduce_scatter, "NCCL");
    bind_symbol(handle, "ncclBroadcast", w->api.broadcast, "NCCL");
    bind_symbol(handle, "ncclGroupStart", w->api.group_start, "NCCL");
    bind_symbol(handle, "ncclGroupEnd", w->api.group_end, "NCCL");
    bind_symbol(handle, "ncclGetErrorString", w->api.error_string, "NCCL");
    int current = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&current));
    WSLCUDA_CUDA_CHECK(cudaGetDeviceCount(&w->ranks));
    w->comms.resize(static_cast<std::size_t>(w->ranks));
    std::vector<int> devices(static_cast<std::size_t>(w->ranks));
    for (int d = 0; d < w->ranks; ++d) devices[static_cast<std::size_t>(d)] = d;
    w->api.check(w->api.init_all(w->comms.data(), w->ranks, devices.data()), "ncclCommInitAll");
    for (int d = 0; d < w->ranks; ++d) {
      device_scope scope(d);
      w->streams.push_back(std::make_unique<cuda_stream>());
      w->joins.push_back(std::make_unique<cuda_event>());
    }
    w->fork = std::make_unique<cuda_event>();
    WSLCUDA_CUDA_CHECK(cudaSetDevice(current));
    return w.release();
  }
};

class nccl_workload final : public workload_base {
 public:
  nccl_workload(collective c, std::size_t size)
      : workload_base("nccl", "nccl", "f32", to_string(c),
                      {{"bytes", static_cast<std::int64_t>(size)}}),
        c_(c),
        size_(size) {
    info_.requirements.libraries = {"nccl"};
    info_.group = "nccl";
    info_.time_scale = 0.1;             // 40 points
    info_.peak = peak_reference::none;  // busbw is compared with links in metrics, not DRAM
    info_.setup_estimate_s = 3.0;       // communicator creation, in the first of the group
    info_.timing_definition =
        "cuda_event on the context's stream, which forks to one stream per GPU and joins them: "
        "one ncclGroupStart/End launching the collective on every rank";
    info_.description = to_string(c) + " of f32 over all visible GPUs (ncclCommInitAll)";
  }

  double flops() const noexcept override { return 0.0; }
  /// nccl-tests' algbw numerator: the size (S) of the collective.
  double bytes() const noexcept override { return static_cast<double>(size_); }

  void prepare(execution_context& ctx) override {
    nccl_world& w = nccl_world::get();
    ranks_ = w.ranks;
    count_ = collective_count(c_, size_, sizeof(float), ranks_);
    if (count_ == 0)
      throw workload_skip(std::to_string(size_) + " B is less than one f32 per rank on " +
                          std::to_string(ranks_) + " GPUs");
    for (int d = 0; d < ranks_; ++d) {
      device_scope scope(d);
      send_.emplace_back(collective_send_elements(c_, count_, ranks_));
      recv_.emplace_back(collective_receive_elements(c_, count_, ranks_));
      wrong_.emplace_back(1);
      const cudaStream_t s = w.streams[static_cast<std::size_t>(d)]->get();
      WSLCUDA_CUDA_CHECK(
          kernels::launch_collective_fill(send_.back().get(), send_.back().size(), d, s));
      WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(s));
    }
    (void)ctx;
  }

  void run(execution_context& ctx) override {
    nccl_world& w = nccl_world::get();
    const cudaStream_t main = stream_of(ctx);
    WSLCUDA_CUDA_CHECK(cudaEventRecord(w.fork->get(), main));
    for (int d = 0; d < ranks_; ++d)
      WSLCUDA_CUDA_CHECK(
          cudaStreamWaitEvent(w.streams[static_cast<std::size_t>(d)]->get(), w.fork->get(), 0));
    w.api.check(w.api.group_start(), "ncclGroupStart");
    for (int d = 0; d < ranks_; ++d) {
      const auto i = static_cast<std::size_t>(d);
      const cudaStream_t s = w.streams[i]->get();
      float* send = send_[i].get();
      float* recv = recv_[i].get();
      switch (c_) {
        case collective::all_reduce:
          w.api.check(w.api.all_reduce(send, recv, count_, ncclFloat32, ncclSum, w.comms[i], s),
                      "ncclAllReduce");
          break;
        case collective::all_gather:
          w.api.check(w.api.all_gather(send, recv, count_, ncclFloat32, w.comms[i], s),
                      "ncclAllGather");
          break;
        case collective::reduce_scatter:
          w.api.check(w.api.reduce_scatter(send, recv, count_, ncclFloat32, ncclSum, w.comms[i], s),
                      "ncclReduceScatter");
          break;
        case collective::broadcast:
          w.api.check(w.api.broadcast(send, recv, count_, ncclFloat32, 0, w.comms[i], s),
                      "ncclBroadcast");
          break;
      }
    }
    w.api.check(w.api.group_end(), "ncclGroupEnd");
    for (int d = 0; d < ranks_; ++d) {
      const auto i = static_cast<std::size_t>(d);
      WSLCUDA_CUDA_CHECK(cudaEventRecord(w.joins[i]->get(), w.streams[i]->get()));
      WSLCUDA_CUDA_CHECK(cudaStreamWaitEvent(main, w.joins[i]->get(), 0));
    }
  }

  check_result verify(execution_context& ctx) override {
    nccl_world& w = nccl_world::get();
    for (int d = 0; d < ranks_; ++d) {
      device_scope scope(d);
      const auto i = static_cast<std::size_t>(d);
      poison(recv_[i], w.streams[i]->get());
      WSLCUDA_CUDA_CHECK(
          cudaMemsetAsync(wrong_[i].get(), 0, sizeof(unsigned long long), w.streams[i]->get()));
      WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(w.streams[i]->get()));
    }
    run(ctx);
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream_of(ctx)));
    std::int64_t wrong_total = 0, compared = 0;
    for (int d = 0; d < ranks_; ++d) {
      device_scope scope(d);
      const auto i = static_cast<std::size_t>(d);
      const cudaStream_t s = w.streams[i]->get();
      WSLCUDA_CUDA_CHECK(kernels::launch_collective_count_wrong(
          recv_[i].get(), recv_[i].size(), c_, ranks_, d, count_, wrong_[i].get(), s));
      const std::vector<unsigned long long> wrong = download(wrong_[i], s);
      wrong_total += static_cast<std::int64_t>(wrong[0]);
      compared += static_cast<std::int64_t>(recv_[i].size());
    }
    check_result r = check_from_wrong_count(
        wrong_total, compared, "#wrong: receive elements not equal to the exact result",
        "integer-valued f32 inputs (1..13), exact sums; every element of every rank's receive "
        "buffer compared on the device (nccl-tests' #wrong)");
    r.message += " on " + std::to_string(ranks_) + " GPU(s)";
    return r;
  }

  /// algbw = S / t and busbw = algbw × bus_bandwidth_factor (nccl-tests doc/PERFORMANCE.md).
  std::vector<std::pair<std::string, double>> derived_metrics(double median_s) const override {
    if (median_s <= 0.0 || ranks_ < 1) return {};
    const double algbw = static_cast<double>(size_) / median_s;
    return {{"ranks", static_cast<double>(ranks_)},
            {"algbw_bytes_per_s", algbw},
            {"busbw_bytes_per_s", algbw * bus_bandwidth_factor(c_, ranks_)}};
  }

  void release() noexcept override {
    // cudaFree finds each allocation's device itself (unified addressing): no device switch.
    send_.clear();
    recv_.clear();
    wrong_.clear();
  }

 private:
  collective c_;
  std::size_t size_;
  int ranks_ = 0;
  std::size_t count_ = 0;
  std::vector<device_buffer<float>> send_, recv_;
  std::vector<device_buffer<unsigned long long>> wrong_;
};

}  // namespace

void register_nccl(registry& r, const suite_config& config) {
  for (collective c : {collective::all_reduce, collective::all_gather, collective::reduce_scatter,
                       collective::broadcast})
    for (std::size_t size : collective_sizes(config.quick))
      r.add(std::make_unique<nccl_workload>(c, size));
}

}  // namespace wslcuda
