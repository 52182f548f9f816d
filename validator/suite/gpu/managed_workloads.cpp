// Managed-memory family: 256 MiB of cudaMallocManaged memory migrated between host and device.
// Without concurrentManagedAccess (WSL 2, Windows) managed memory migrates whole at each kernel
// launch and cannot be prefetched: those workloads are skipped there, never failed.

#include <chrono>

#include "platform/platform_kernels.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/platform_plan.hpp"

namespace wslcuda {
namespace {

enum class managed_op { gpu_touch, prefetch_gpu_touch, cpu_touch };

constexpr std::size_t kManagedBytes = 256 * kMiB;

/// One operation of the family: its id part, whether it needs concurrentManagedAccess (a
/// prefetch does), what its interval holds, and one line for `wslcuda list`.
struct managed_row {
  managed_op op;
  const char* name;
  bool concurrent_managed_access;
  const char* timing_definition;
  const char* description;
};

const managed_row kManagedOps[] = {
    {managed_op::gpu_touch, "gpu_touch", false,
     "pages first made resident on the host (CPU writes every element, outside the interval); "
     "host steady_clock around a kernel writing every element + cudaStreamSynchronize: "
     "migration on demand (or at launch without concurrentManagedAccess)",
     "GPU first touch of 256 MiB of managed memory resident on the host"},
    {managed_op::prefetch_gpu_touch, "prefetch_gpu_touch", true,
     "pages resident on the host (outside the interval); host steady_clock around "
     "cudaMemPrefetchAsync to the device + the writing kernel + cudaStreamSynchronize",
     "prefetch 256 MiB of managed memory to the GPU, then touch it there"},
    {managed_op::cpu_touch, "cpu_touch", false,
     "pages made resident on the device by a writing kernel (outside the interval); host "
     "steady_clock around the CPU reading every element (migration back on fault)",
     "CPU touch of 256 MiB of managed memory resident on the GPU"},
};

/// The row of `op`.
const managed_row& row_of(managed_op op) {
  return row_where(
      kManagedOps, [&](const managed_row& r) { return r.op == op; }, "kManagedOps");
}

/// Every managed workload: host clock, against the host link (every page crosses it once), one
/// worker for the family.
workload_traits traits_of(const managed_row& row) {
  return {"managed",
          row.description,
          row.timing_definition,
          /*setup_estimate_s=*/2.0,
          {true, kCuda13MinComputeCapability, {}, 1, row.concurrent_managed_access},
          "",
          timing_kind::host_clock,
          sampling_kind::throughput,
          peak_reference::host_link};
}

class managed_workload final : public workload_base {
 public:
  explicit managed_workload(managed_op op)
      : workload_base({"managed",
                       "runtime",
                       "f32",
                       row_of(op).name,
                       {{"bytes", static_cast<std::int64_t>(kManagedBytes)}}},
                      traits_of(row_of(op))),
        op_(op) {}

  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return static_cast<double>(kManagedBytes); }

  void prepare(execution_context&) override {
    int device = 0, managed = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&managed, cudaDevAttrManagedMemory, device));
    if (managed == 0) throw workload_skip("the device does not support managed memory");
    device_ = device;
    void* p = nullptr;
    const cudaError_t e = cudaMallocManaged(&p, kManagedBytes, cudaMemAttachGlobal);
    if (e == cudaErrorMemoryAllocation) {
      (void)cudaGetLastError();
      throw workload_skip("cudaMallocManaged of 256 MiB failed (cudaErrorMemoryAllocation)");
    }
    WSLCUDA_CUDA_CHECK(e);
    data_ = static_cast<float*>(p);
  }

  void run(execution_context& ctx) override { (void)run_host_timed(ctx); }

  double run_host_timed(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    const std::size_t n = elements();
    if (op_ == managed_op::cpu_touch) {
      WSLCUDA_CUDA_CHECK(kernels::launch_touch_write(data_, n, stream));
      WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
      const auto start = std::chrono::steady_clock::now();
      double sum = 0.0;
      for (std::size_t i = 0; i < n; ++i) sum += data_[i];
      const double s = seconds_since(start);
      last_cpu_sum_ = sum;
      return s;
    }
    for (std::size_t i = 0; i < n; ++i) data_[i] = -1.0f;  // resident on the host
    const auto start = std::chrono::steady_clock::now();
    if (op_ == managed_op::prefetch_gpu_touch) {
      cudaMemLocation to{};
      to.type = cudaMemLocationTypeDevice;
      to.id = device_;
      WSLCUDA_CUDA_CHECK(cudaMemPrefetchAsync(data_, kManagedBytes, to, 0, stream));
    }
    WSLCUDA_CUDA_CHECK(kernels::launch_touch_write(data_, n, stream));
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
    return seconds_since(start);
  }

  check_result verify(execution_context& ctx) override {
    (void)run_host_timed(ctx);  // the GPU wrote touch_pattern everywhere (cpu_touch: and read)
    const std::size_t n = elements();
    std::vector<float> expected(n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = kernels::touch_pattern(i);
    check_result r = check_equal(data_, expected.data(), static_cast<std::int64_t>(n),
                                 "every element read on the CPU equals the value the GPU wrote");
    if (op_ == managed_op::cpu_touch && r.status == status::pass) {
      double want = 0.0;
      for (float v : expected) want += v;
      if (last_cpu_sum_ != want) {
        r.status = status::fail;
        r.message = "the timed CPU pass read a different sum than the GPU wrote";
      }
    }
    return r;
  }

  void release() noexcept override {
    if (data_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaFree(data_));
    data_ = nullptr;
  }

 private:
  static std::size_t elements() { return kManagedBytes / sizeof(float); }

  managed_op op_;
  int device_ = 0;
  float* data_ = nullptr;
  double last_cpu_sum_ = 0.0;
};

}  // namespace

void register_managed(registry& r, const suite_config& /*config*/) {
  r.add(std::make_unique<managed_workload>(managed_op::gpu_touch));
  r.add(std::make_unique<managed_workload>(managed_op::prefetch_gpu_touch));
  r.add(std::make_unique<managed_workload>(managed_op::cpu_touch));
}

}  // namespace wslcuda
