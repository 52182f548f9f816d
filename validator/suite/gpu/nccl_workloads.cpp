// Collective family: NCCL (loaded at run time) over every visible GPU in one process
// (ncclCommInitAll; one GPU runs too, n = 1), f32, over a size sweep. algbw and busbw exactly
// as nccl-tests reports them; results checked element-wise on the device (#wrong).

#include <cmath>
#include <memory>
#include <vector>

#include "dynload/nccl.hpp"
#include "platform/platform_kernels.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/platform_plan.hpp"

namespace wslcuda {
namespace {

/// One communicator per visible device, created once per process and shared by every collective
/// workload of the worker (communicator set-up is not what is measured). Never destroyed: the
/// process ends right after, and tearing NCCL down after the CUDA runtime has unloaded is unsafe.
struct nccl_world {
  const nccl_api& api = nccl_api::loaded();
  int ranks = 0;
  std::unique_ptr<nccl_communicators> comms;
  std::vector<std::unique_ptr<cuda_stream>> streams;  ///< one per device
  std::vector<std::unique_ptr<cuda_event>> joins;     ///< one per device
  std::unique_ptr<cuda_event> fork;                   ///< on the context's device

  static nccl_world& get() {
    static nccl_world* world = create();
    return *world;
  }

 private:
  static nccl_world* create() {
    auto w = std::make_unique<nccl_world>();
    int current = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&current));
    WSLCUDA_CUDA_CHECK(cudaGetDeviceCount(&w->ranks));
    std::vector<int> devices(static_cast<std::size_t>(w->ranks));
    for (int d = 0; d < w->ranks; ++d) devices[static_cast<std::size_t>(d)] = d;
    w->comms = std::make_unique<nccl_communicators>(w->api, devices);
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

/// Every collective: one worker for the family (one communicator set), a short time share (40
/// points), no peak (busbw is compared with links in metrics, not with DRAM), and the
/// communicators' creation in the set-up of the first of the group.
const workload_traits kCollective{
    "nccl",
    "{op} of f32 over all visible GPUs (ncclCommInitAll)",
    "cuda_event on the context's stream, which forks to one stream per GPU and joins them: one "
    "ncclGroupStart/End launching the collective on every rank",
    /*setup_estimate_s=*/3.0,
    {true, kCuda13MinComputeCapability, {"nccl"}},
    "",
    timing_kind::device_events,
    sampling_kind::throughput,
    peak_reference::none,
    bound_kind::device,
    /*time_scale=*/0.1};

class nccl_workload final : public workload_base {
 public:
  nccl_workload(collective c, std::size_t size)
      : workload_base(
            {"nccl", "nccl", "f32", to_string(c), {{"bytes", static_cast<std::int64_t>(size)}}},
            kCollective),
        c_(c),
        size_(size) {}

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
    // Every rank's stream is joined back on every path, a throw included (stream_fork), and a
    // group started is ended (a throw inside it would leave NCCL's group open).
    std::vector<stream_branch> branches;
    for (int d = 0; d < ranks_; ++d)
      branches.push_back({w.streams[static_cast<std::size_t>(d)]->get(),
                          w.joins[static_cast<std::size_t>(d)]->get()});
    stream_fork fork(main, w.fork->get(), std::move(branches));
    struct group_guard {
      const nccl_api& api;
      bool open = true;
      ~group_guard() {
        if (open) (void)api.ncclGroupEnd();
      }
    };
    w.api.check(w.api.ncclGroupStart(), "ncclGroupStart");
    group_guard group{w.api};
    for (int d = 0; d < ranks_; ++d) {
      const auto i = static_cast<std::size_t>(d);
      const cudaStream_t s = w.streams[i]->get();
      float* send = send_[i].get();
      float* recv = recv_[i].get();
      const ncclComm_t comm = (*w.comms)[i];
      const nccl_api& nccl = w.api;
      switch (c_) {
        case collective::all_reduce:
          nccl.check(nccl.ncclAllReduce(send, recv, count_, ncclFloat32, ncclSum, comm, s),
                     "ncclAllReduce");
          break;
        case collective::all_gather:
          nccl.check(nccl.ncclAllGather(send, recv, count_, ncclFloat32, comm, s), "ncclAllGather");
          break;
        case collective::reduce_scatter:
          nccl.check(nccl.ncclReduceScatter(send, recv, count_, ncclFloat32, ncclSum, comm, s),
                     "ncclReduceScatter");
          break;
        case collective::broadcast:
          nccl.check(nccl.ncclBroadcast(send, recv, count_, ncclFloat32, 0, comm, s),
                     "ncclBroadcast");
          break;
      }
    }
    group.open = false;
    w.api.check(w.api.ncclGroupEnd(), "ncclGroupEnd");
    fork.join();
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
