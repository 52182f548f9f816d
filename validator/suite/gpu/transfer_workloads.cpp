// Transfer family: host↔device and device↔device copies over a size sweep (after nvbandwidth and
// the CUDA samples' bandwidthTest). GB/s counts each byte once per direction it crosses the
// host link; device-to-device copies count bytes read + written (the DRAM traffic), so their
// fraction_of_peak is of the DRAM peak (nvbandwidth's device-local figure is half of ours).

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "platform/platform_kernels.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/transfer_workloads.hpp"
#include "suite/platform_plan.hpp"
#include "verify/random_fill.hpp"

namespace wslcuda {
namespace {

/// Host staging for chunked verification: copies of 1 GiB are checked 64 MiB at a time so host
/// memory stays near the buffer under test.
constexpr std::size_t kChunk = 64 * kMiB;

bool host_to_device(transfer_kind k) {
  return k == transfer_kind::h2d_pageable || k == transfer_kind::h2d_pinned;
}
bool device_to_host(transfer_kind k) {
  return k == transfer_kind::d2h_pageable || k == transfer_kind::d2h_pinned;
}
bool pageable(transfer_kind k) {
  return k == transfer_kind::h2d_pageable || k == transfer_kind::d2h_pageable;
}

/// Turns an allocation failure into a skip: a size that does not fit is not a defect.
template <typename F>
auto allocate_or_skip(const char* what, std::size_t bytes, F&& allocate) {
  try {
    return allocate();
  } catch (const cuda_error& e) {
    if (e.code() != cudaErrorMemoryAllocation) throw;
    throw workload_skip(std::string(what) + " of " + std::to_string(bytes) +
                        " bytes failed (cudaErrorMemoryAllocation)" +
                        (std::string(what).find("pinned") != std::string::npos
                             ? ": pinned memory is capped (WSL 2 caps it below host RAM; "
                               "see the doctor's memory.pinned check)"
                             : ": does not fit in device memory"));
  }
}

/// What the pageable copies' interval holds (both directions).
constexpr const char* kPageableDefinition =
    "host steady_clock around cudaMemcpyAsync from/to pageable memory + cudaStreamSynchronize "
    "(the driver stages through its own pinned buffers, so the copy is synchronous in effect; "
    "what a plain cudaMemcpy costs)";
/// What the pinned copies' interval holds (both directions).
constexpr const char* kPinnedDefinition =
    "cudaMemcpyAsync between pinned host memory and the device";

/// One copy of the family: its implementation and op (the id's parts), how it is timed, which
/// peak it is a fraction of, what bounds it, what its interval holds and one line for `wslcuda
/// list`.
struct transfer_row {
  transfer_kind kind;
  const char* implementation;
  const char* op;
  timing_kind timing;
  peak_reference peak;
  bound_kind bound;
  const char* timing_definition;
  const char* description;
};

const transfer_row kTransfers[] = {
    {transfer_kind::h2d_pageable, "ce", "h2d_pageable", timing_kind::host_clock,
     peak_reference::host_link, bound_kind::device, kPageableDefinition,
     "host to device from pageable host memory (copy engine)"},
    {transfer_kind::h2d_pinned, "ce", "h2d_pinned", timing_kind::device_events,
     peak_reference::host_link, bound_kind::link, kPinnedDefinition,
     "host to device from pinned host memory (copy engine)"},
    {transfer_kind::d2h_pageable, "ce", "d2h_pageable", timing_kind::host_clock,
     peak_reference::host_link, bound_kind::device, kPageableDefinition,
     "device to host from pageable host memory (copy engine)"},
    {transfer_kind::d2h_pinned, "ce", "d2h_pinned", timing_kind::device_events,
     peak_reference::host_link, bound_kind::link, kPinnedDefinition,
     "device to host from pinned host memory (copy engine)"},
    {transfer_kind::d2d, "ce", "d2d", timing_kind::device_events, peak_reference::dram,
     bound_kind::device, "cudaMemcpyAsync device to device (copy engine); bytes = read + written",
     "device to device, copy engine (cudaMemcpyAsync)"},
    {transfer_kind::d2d_sm, "sm", "d2d", timing_kind::device_events, peak_reference::dram,
     bound_kind::device, "SM copy kernel, 16-byte loads and stores; bytes = read + written",
     "device to device, SM copy kernel"},
    {transfer_kind::bidirectional_pinned, "ce", "bidir_pinned", timing_kind::device_events,
     peak_reference::host_link_duplex, bound_kind::link,
     "H2D and D2H of `bytes` each at once on two streams, pinned memory; both inside the "
     "interval; bytes = both directions",
     "host to device and device to host at the same time (pinned)"},
};

/// The row of `kind`.
const transfer_row& row_of(transfer_kind kind) {
  return row_where(
      kTransfers, [&](const transfer_row& r) { return r.kind == kind; }, "kTransfers");
}

/// Every copy: one worker for the family, a short time share (41 points: each is one of many),
/// and a set-up of a second plus 3 s per GiB (pattern generation and byte-wise verification).
workload_traits traits_of(const transfer_row& row, std::size_t size) {
  return {"transfer",
          row.description,
          row.timing_definition,
          /*setup_estimate_s=*/1.0 + 3.0 * static_cast<double>(size) / kGiB,
          {},
          "",
          row.timing,
          sampling_kind::throughput,
          row.peak,
          row.bound,
          /*time_scale=*/0.25};
}

class transfer_workload final : public workload_base {
 public:
  transfer_workload(transfer_kind kind, std::size_t size, std::uint64_t seed)
      : workload_base({"transfer",
                       row_of(kind).implementation,
                       "u8",
                       row_of(kind).op,
                       {{"bytes", static_cast<std::int64_t>(size)}}},
                      traits_of(row_of(kind), size), seed),
        kind_(kind),
        size_(size) {}

  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override {
    const bool twice = kind_ == transfer_kind::d2d || kind_ == transfer_kind::d2d_sm ||
                       kind_ == transfer_kind::bidirectional_pinned;
    return static_cast<double>(size_) * (twice ? 2.0 : 1.0);
  }

  void prepare(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    int device = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&sms_, cudaDevAttrMultiProcessorCount, device));
    dev_a_ =
        allocate_or_skip("cudaMalloc", size_, [&] { return device_buffer<unsigned char>(size_); });
    if (!host_to_device(kind_) && !device_to_host(kind_))
      dev_b_ = allocate_or_skip("cudaMalloc", size_,
                                [&] { return device_buffer<unsigned char>(size_); });
    if (pageable(kind_)) {
      pageable_.reset(new unsigned char[size_]);
      host_ = pageable_.get();
    } else if (host_to_device(kind_) || device_to_host(kind_) ||
               kind_ == transfer_kind::bidirectional_pinned) {
      pinned_a_ =
          allocate_or_skip("cudaHostAlloc (pinned)", size_, [&] { return pinned_buffer(size_); });
      host_ = pinned_a_.get();
    }
    if (kind_ == transfer_kind::bidirectional_pinned) {
      pinned_b_ =
          allocate_or_skip("cudaHostAlloc (pinned)", size_, [&] { return pinned_buffer(size_); });
      dev_b_ = allocate_or_skip("cudaMalloc", size_,
                                [&] { return device_buffer<unsigned char>(size_); });
      second_stream_ = std::make_unique<cuda_stream>();
      fork_ = std::make_unique<cuda_event>();
      join_ = std::make_unique<cuda_event>();
    }
    // Sources hold the pattern: the host buffer for H2D, dev_a_ for D2H and D2D, and for the
    // bidirectional copy both the host buffer (H2D) and dev_b_ (D2H).
    if (host_to_device(kind_) || kind_ == transfer_kind::bidirectional_pinned)
      fill_byte_pattern(host_, 0, size_, info_.seed);
    if (kind_ == transfer_kind::bidirectional_pinned)
      fill_device_with_pattern(dev_b_.get(), stream);
    else if (!host_to_device(kind_))
      fill_device_with_pattern(dev_a_.get(), stream);
    if (device_to_host(kind_)) std::fill(host_, host_ + size_, 0);  // first touch of the pages
  }

  void run(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    switch (kind_) {
      case transfer_kind::h2d_pageable:
      case transfer_kind::h2d_pinned:
        WSLCUDA_CUDA_CHECK(
            cudaMemcpyAsync(dev_a_.get(), host_, size_, cudaMemcpyHostToDevice, stream));
        break;
      case transfer_kind::d2h_pageable:
      case transfer_kind::d2h_pinned:
        WSLCUDA_CUDA_CHECK(
            cudaMemcpyAsync(host_, dev_a_.get(), size_, cudaMemcpyDeviceToHost, stream));
        break;
      case transfer_kind::d2d:
        WSLCUDA_CUDA_CHECK(
            cudaMemcpyAsync(dev_b_.get(), dev_a_.get(), size_, cudaMemcpyDeviceToDevice, stream));
        break;
      case transfer_kind::d2d_sm:
        // 4 blocks of 256 threads per SM: 1024 threads, half of an H100 SM's 2048, enough
        // 16-byte loads in flight for a streaming copy (grid-stride beyond that).
        WSLCUDA_CUDA_CHECK(
            kernels::launch_sm_copy(dev_b_.get(), dev_a_.get(), size_, 4 * sms_, stream));
        break;
      case transfer_kind::bidirectional_pinned: {
        // The second stream is joined back on every path, a throw included (stream_fork).
        stream_fork fork(stream, fork_->get(), {{second_stream_->get(), join_->get()}});
        WSLCUDA_CUDA_CHECK(
            cudaMemcpyAsync(dev_a_.get(), host_, size_, cudaMemcpyHostToDevice, stream));
        WSLCUDA_CUDA_CHECK(cudaMemcpyAsync(pinned_b_.get(), dev_b_.get(), size_,
                                           cudaMemcpyDeviceToHost, second_stream_->get()));
        fork.join();
        break;
      }
    }
  }

  double run_host_timed(execution_context& ctx) override {
    const auto start = std::chrono::steady_clock::now();
    run(ctx);
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream_of(ctx)));
    return seconds_since(start);
  }

  check_result verify(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    // Poison every destination, copy once, compare with the pattern the source holds.
    if (device_to_host(kind_)) std::fill(host_, host_ + size_, 0xFF);
    if (host_to_device(kind_) || kind_ == transfer_kind::bidirectional_pinned)
      WSLCUDA_CUDA_CHECK(cudaMemsetAsync(dev_a_.get(), 0xFF, size_, stream));
    if (kind_ == transfer_kind::d2d || kind_ == transfer_kind::d2d_sm)
      WSLCUDA_CUDA_CHECK(cudaMemsetAsync(dev_b_.get(), 0xFF, size_, stream));
    if (kind_ == transfer_kind::bidirectional_pinned)
      std::fill(pinned_b_.get(), pinned_b_.get() + size_, 0xFF);
    run(ctx);
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
    const std::string method =
        "every byte compared with the seeded source pattern (" + std::to_string(size_) + " B)";
    switch (kind_) {
      case transfer_kind::h2d_pageable:
      case transfer_kind::h2d_pinned:
        return compare_device(dev_a_.get(), stream, method);
      case transfer_kind::d2h_pageable:
      case transfer_kind::d2h_pinned:
        return compare_host(host_, method);
      case transfer_kind::d2d:
      case transfer_kind::d2d_sm:
        return compare_device(dev_b_.get(), stream, method);
      case transfer_kind::bidirectional_pinned: {
        check_result h2d = compare_device(dev_a_.get(), stream, method);
        if (h2d.status != status::pass) return h2d;
        check_result d2h = compare_host(pinned_b_.get(), method);
        d2h.compared += h2d.compared;
        return d2h;
      }
    }
    throw std::logic_error("unknown transfer kind");
  }

  void release() noexcept override {
    dev_a_.reset();
    dev_b_.reset();
    pinned_a_.reset();
    pinned_b_.reset();
    pageable_.reset();
    second_stream_.reset();
    fork_.reset();
    join_.reset();
    host_ = nullptr;
  }

 private:
  /// Uploads the pattern to `dst` (size_ bytes) in chunks through a staging buffer.
  void fill_device_with_pattern(unsigned char* dst, cudaStream_t stream) {
    std::vector<unsigned char> chunk(std::min(size_, kChunk));
    for (std::size_t off = 0; off < size_; off += chunk.size()) {
      const std::size_t n = std::min(chunk.size(), size_ - off);
      fill_byte_pattern(chunk.data(), off, n, info_.seed);
      WSLCUDA_CUDA_CHECK(
          cudaMemcpyAsync(dst + off, chunk.data(), n, cudaMemcpyHostToDevice, stream));
      WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
    }
  }

  /// Downloads `src` (size_ bytes) chunk by chunk and compares each with the pattern.
  check_result compare_device(const unsigned char* src, cudaStream_t stream,
                              const std::string& method) {
    std::vector<unsigned char> got(std::min(size_, kChunk)), want(got.size());
    check_result total;
    for (std::size_t off = 0; off < size_; off += got.size()) {
      const std::size_t n = std::min(got.size(), size_ - off);
      WSLCUDA_CUDA_CHECK(cudaMemcpyAsync(got.data(), src + off, n, cudaMemcpyDeviceToHost, stream));
      WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
      fill_byte_pattern(want.data(), off, n, info_.seed);
      check_result part =
          check_equal_bytes(got.data(), want.data(), static_cast<std::int64_t>(n), method);
      if (part.status != status::pass) return part;  // indices are within the failing chunk
      total = merge(total, part);
    }
    return total;
  }

  check_result compare_host(const unsigned char* got, const std::string& method) {
    std::vector<unsigned char> want(std::min(size_, kChunk));
    check_result total;
    for (std::size_t off = 0; off < size_; off += want.size()) {
      const std::size_t n = std::min(want.size(), size_ - off);
      fill_byte_pattern(want.data(), off, n, info_.seed);
      check_result part =
          check_equal_bytes(got + off, want.data(), static_cast<std::int64_t>(n), method);
      if (part.status != status::pass) return part;
      total = merge(total, part);
    }
    return total;
  }

  static check_result merge(const check_result& so_far, check_result part) {
    part.compared += so_far.compared;
    part.message = "all " + std::to_string(part.compared) + " bytes equal to the source";
    return part;
  }

  transfer_kind kind_;
  std::size_t size_;
  int sms_ = 1;
  device_buffer<unsigned char> dev_a_, dev_b_;
  pinned_buffer pinned_a_, pinned_b_;
  std::unique_ptr<unsigned char[]> pageable_;
  unsigned char* host_ = nullptr;
  std::unique_ptr<cuda_stream> second_stream_;
  std::unique_ptr<cuda_event> fork_, join_;
};

}  // namespace

std::unique_ptr<workload> make_transfer_workload(transfer_kind kind, std::size_t bytes,
                                                 std::uint64_t seed) {
  return std::make_unique<transfer_workload>(kind, bytes, seed);
}

void register_transfer(registry& r, const suite_config& config) {
  std::uint64_t stream = 400;
  for (const transfer_row& row : kTransfers) {  // in report order
    const transfer_kind kind = row.kind;
    for (std::size_t size : transfer_sizes(config.quick)) {
      ++stream;
      // Two pinned host buffers of 1 GiB each would break the 1.5 GiB host-memory budget.
      if (kind == transfer_kind::bidirectional_pinned && size > 256 * kMiB) continue;
      r.add(make_transfer_workload(kind, size, derive_seed(config.seed, stream)));
    }
  }
}

}  // namespace wslcuda
