// Peer-to-peer family (two or more GPUs): copy bandwidth of each ordered pair with peer access
// enabled (direct over NVLink or PCIe) and disabled (staged through host memory).

#include <algorithm>
#include <memory>

#include "platform/platform_kernels.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/platform_plan.hpp"

namespace wslcuda {
namespace {

constexpr std::size_t kP2pBytes = 256 * kMiB;

/// Peer access on or off: the id's op, what the interval holds and one line for `wslcuda list`.
struct p2p_row {
  bool peer;
  const char* op;
  const char* timing_definition;
  const char* description;
};

const p2p_row kPeerModes[] = {
    {true, "copy_on",
     "cudaMemcpyPeerAsync of 256 MiB from device {src_device} to device {dst_device} with peer "
     "access enabled",
     "GPU to GPU copy, peer access on"},
    {false, "copy_off",
     "cudaMemcpyPeerAsync of 256 MiB from device {src_device} to device {dst_device} with peer "
     "access disabled (staged through the host)",
     "GPU to GPU copy, peer access off"},
};

/// The row of peer access on (true) or off.
const p2p_row& row_of(bool peer) {
  return row_where(
      kPeerModes, [&](const p2p_row& r) { return r.peer == peer; }, "kPeerModes");
}

/// A copy between two GPUs: bound by the link between them, no peak, one worker for the family,
/// half the time share, and both devices present.
workload_traits traits_of(const p2p_row& row, int src, int dst) {
  return {"p2p",
          row.description,
          row.timing_definition,
          /*setup_estimate_s=*/2.0,
          {true, kCuda13MinComputeCapability, {}, /*min_devices=*/std::max(src, dst) + 1},
          "",
          timing_kind::device_events,
          sampling_kind::throughput,
          peak_reference::none,
          bound_kind::link,
          /*time_scale=*/0.5};
}

class p2p_workload final : public workload_base {
 public:
  p2p_workload(int src, int dst, bool peer)
      : workload_base({"p2p",
                       "ce",
                       "f32",
                       row_of(peer).op,
                       {{"bytes", static_cast<std::int64_t>(kP2pBytes)},
                        {"src_device", src},
                        {"dst_device", dst}}},
                      traits_of(row_of(peer), src, dst)),
        src_(src),
        dst_(dst),
        peer_(peer) {}

  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return static_cast<double>(kP2pBytes); }

  void prepare(execution_context&) override {
    WSLCUDA_CUDA_CHECK(cudaDeviceCanAccessPeer(&can_access_, src_, dst_));
    if (peer_ && can_access_ == 0)
      throw workload_skip("cudaDeviceCanAccessPeer(" + std::to_string(src_) + ", " +
                          std::to_string(dst_) + ") = 0: no peer access between these GPUs");
    set_peer_access(peer_);
    {
      device_scope scope(src_);
      src_buf_ = device_buffer<float>(kP2pBytes / sizeof(float));
      WSLCUDA_CUDA_CHECK(
          kernels::launch_collective_fill(src_buf_.get(), src_buf_.size(), 0, nullptr));
      WSLCUDA_CUDA_CHECK(cudaDeviceSynchronize());
    }
    {
      device_scope scope(dst_);
      dst_buf_ = device_buffer<float>(kP2pBytes / sizeof(float));
      wrong_ = device_buffer<unsigned long long>(1);
    }
  }

  void run(execution_context& ctx) override {
    WSLCUDA_CUDA_CHECK(
        cudaMemcpyPeerAsync(dst_buf_.get(), dst_, src_buf_.get(), src_, kP2pBytes, stream_of(ctx)));
  }

  check_result verify(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    {
      device_scope scope(dst_);
      poison(dst_buf_, nullptr);
      WSLCUDA_CUDA_CHECK(cudaMemset(wrong_.get(), 0, sizeof(unsigned long long)));
      WSLCUDA_CUDA_CHECK(cudaDeviceSynchronize());
    }
    run(ctx);
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
    std::vector<unsigned long long> wrong;
    {
      device_scope scope(dst_);
      // A copy of rank 0's pattern is what a broadcast from rank 0 delivers.
      WSLCUDA_CUDA_CHECK(kernels::launch_collective_count_wrong(
          dst_buf_.get(), dst_buf_.size(), collective::broadcast, 1, 0, dst_buf_.size(),
          wrong_.get(), nullptr));
      WSLCUDA_CUDA_CHECK(cudaDeviceSynchronize());
      wrong = download(wrong_, nullptr);
    }
    return check_from_wrong_count(
        static_cast<std::int64_t>(wrong[0]), static_cast<std::int64_t>(dst_buf_.size()),
        "elements different from the source",
        "every element of the destination compared with the source pattern on the device");
  }

  std::vector<std::pair<std::string, double>> derived_metrics(double) const override {
    return {{"can_access_peer", static_cast<double>(can_access_)}};
  }

  void release() noexcept override {
    src_buf_.reset();
    dst_buf_.reset();
    wrong_.reset();
  }

 private:
  /// Enables or disables access from src_ to dst_'s memory (already-in-that-state is fine).
  void set_peer_access(bool on) {
    if (can_access_ == 0) return;
    device_scope scope(src_);
    const cudaError_t e =
        on ? cudaDeviceEnablePeerAccess(dst_, 0) : cudaDeviceDisablePeerAccess(dst_);
    if (e == cudaErrorPeerAccessAlreadyEnabled || e == cudaErrorPeerAccessNotEnabled) {
      (void)cudaGetLastError();
      return;
    }
    WSLCUDA_CUDA_CHECK(e);
  }

  int src_, dst_;
  bool peer_;
  int can_access_ = 0;
  device_buffer<float> src_buf_, dst_buf_;
  device_buffer<unsigned long long> wrong_;
};

}  // namespace

void register_p2p(registry& r, const suite_config& config) {
  // With one GPU the pair (0, 1) is still listed, and skipped with the reason.
  const int n = std::max(2, config.device_count);
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      if (a != b)
        for (bool peer : {true, false}) r.add(std::make_unique<p2p_workload>(a, b, peer));
}

}  // namespace wslcuda
