// Reduction family: our two-stage sum and maximum beside CUB's, and the row-wise softmax and
// layer normalisation of transformers.

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>

#include "reduction/reduction.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/gpu/device_io.hpp"
#include "suite/gpu/reduce_workloads.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"
#include "verify/tolerance.hpp"

namespace wslcuda {
namespace {

/// summarize_seeded_inputs(seed, n), computed on the host (every core) once per process and cached
/// (our sum and max and CUB's share one problem per size).
seeded_input_summary input_reference(std::uint64_t seed, std::int64_t n) {
  static std::mutex mutex;
  static std::map<std::pair<std::uint64_t, std::int64_t>, seeded_input_summary> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  const auto key = std::make_pair(seed, n);
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  return cache.emplace(key, summarize_seeded_inputs(seed, n)).first->second;
}

/// One reduction of the family: implementation and operation, and one line for `wslcuda list`.
struct reduce_row {
  reduce_impl impl;
  reduce_op op;
  const char* implementation;
  const char* op_name;
  const char* description;
};

const reduce_row kReductions[] = {
    {reduce_impl::own, reduce_op::sum, "own", "sum",
     "sum of N fp32 values, our two-stage tree reduction (no atomics)"},
    {reduce_impl::own, reduce_op::max, "own", "max",
     "maximum of N fp32 values, our two-stage tree reduction (no atomics)"},
    {reduce_impl::cub, reduce_op::sum, "cub", "sum", "sum of N fp32 values, cub::DeviceReduce"},
    {reduce_impl::cub, reduce_op::max, "cub", "max", "maximum of N fp32 values, cub::DeviceReduce"},
};

/// The row of `impl` and `op`.
const reduce_row& row_of(reduce_impl impl, reduce_op op) {
  return row_where(
      kReductions, [&](const reduce_row& r) { return r.impl == impl && r.op == op; },
      "kReductions");
}

/// A reduction over `n` elements: one worker for the family; the host reference takes 1.5 ns per
/// element on one core of the 2-core CI machine (2^28 in 0.41 s, 0.21 s on both;
/// ci/bench_cpu_phases.sh), so the estimate is a ×6 margin (cached: only the first workload of a
/// size pays it).
workload_traits traits_of(const reduce_row& row, std::int64_t n) {
  return {"reduce", row.description, "", /*setup_estimate_s=*/1.0 + 1e-8 * static_cast<double>(n)};
}

class reduce_workload final : public workload_base {
 public:
  reduce_workload(reduce_impl impl, reduce_op op, std::int64_t n, std::uint64_t seed)
      : workload_base({"reduce",
                       row_of(impl, op).implementation,
                       "f32",
                       row_of(impl, op).op_name,
                       {{"N", n}}},
                      traits_of(row_of(impl, op), n), seed),
        impl_(impl),
        op_(op),
        n_(n) {}
  double flops() const noexcept override { return 0.0; }  // memory-bound: reported in B/s
  double bytes() const noexcept override { return sizeof(float) * static_cast<double>(n_); }

  void prepare(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    int device = 0;
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&device));
    WSLCUDA_CUDA_CHECK(cudaDeviceGetAttribute(&sms_, cudaDevAttrMultiProcessorCount, device));
    try {
      x_ = device_buffer<float>(static_cast<std::size_t>(n_));
    } catch (const cuda_error& e) {
      if (e.code() != cudaErrorMemoryAllocation) throw;
      throw workload_skip(std::to_string(n_) + " floats do not fit in device memory");
    }
    // The device draws the inputs; the host evaluates the same formula for the reference, once
    // per (seed, n) and process: sum and max of one problem share it.
    WSLCUDA_CUDA_CHECK(kernels::launch_fill_reduction_inputs(x_.get(), n_, info_.seed, stream));
    WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream));
    reference_ = input_reference(info_.seed, n_);
    if (impl_ == reduce_impl::own) {
      plan_ = kernels::plan_reduce_sum_f32(n_, sms_);
      workspace_ = device_buffer<float>(static_cast<std::size_t>(plan_.workspace));
    } else {
      WSLCUDA_CUDA_CHECK(kernels::cub_reduce_temp_bytes(cub_op(), n_, &temp_bytes_));
      temp_ = device_buffer<unsigned char>(std::max<std::size_t>(temp_bytes_, 1));
    }
    out_ = device_buffer<float>(1);
  }

  void run(execution_context& ctx) override {
    const cudaStream_t stream = stream_of(ctx);
    if (impl_ == reduce_impl::cub) {
      WSLCUDA_CUDA_CHECK(kernels::launch_cub_reduce_f32(cub_op(), temp_.get(), temp_bytes_,
                                                        x_.get(), n_, out_.get(), stream));
    } else if (op_ == reduce_op::sum) {
      WSLCUDA_CUDA_CHECK(kernels::launch_reduce_sum_f32(plan_, x_.get(), n_, workspace_.get(),
                                                        out_.get(), stream));
    } else {
      WSLCUDA_CUDA_CHECK(kernels::launch_reduce_max_f32(plan_, x_.get(), n_, workspace_.get(),
                                                        out_.get(), stream));
    }
  }

  check_result verify(execution_context& ctx) override {
    if (workspace_.get() != nullptr) poison(workspace_, stream_of(ctx));
    poison(out_, stream_of(ctx));
    run(ctx);
    const std::vector<float> out = download(out_, stream_of(ctx));
    if (op_ == reduce_op::max) {
      const float expected = reference_.max;
      return check_equal(out.data(), &expected, 1,
                         "fp32 maximum is exact: equal to the host's maximum of the same inputs");
    }
    const std::int64_t height =
        impl_ == reduce_impl::own ? plan_.tree_height : cub_sum_tree_height(n_, sms_);
    error_bound bound = summation_bound(height, n_, number_format::f32);
    if (impl_ == reduce_impl::cub)
      bound.method += "; h assumed for CUB's even-share grid (>= 256 threads per SM)";
    return check_elements({{0, out[0], reference_.sum.value, reference_.sum.scale}},
                          count_non_finite(out.data(), 1), bound.value,
                          "|sum - sum_ref| / sum|x_i|", bound.method);
  }

  void release() noexcept override {
    x_.reset();
    workspace_.reset();
    temp_.reset();
    out_.reset();
  }

 private:
  kernels::cub_reduction cub_op() const {
    return op_ == reduce_op::sum ? kernels::cub_reduction::sum : kernels::cub_reduction::max;
  }

  reduce_impl impl_;
  reduce_op op_;
  std::int64_t n_;
  int sms_ = 1;
  seeded_input_summary reference_;
  kernels::reduce_plan plan_;
  std::size_t temp_bytes_ = 0;
  device_buffer<float> x_, workspace_, out_;
  device_buffer<unsigned char> temp_;
};

/// The row-wise operations: softmax (true) or layer normalisation, and one line each.
struct rows_row {
  bool softmax;
  const char* op_name;
  const char* description;
};

const rows_row kRowOps[] = {
    {true, "softmax_rows", "softmax of each row (one block per row)"},
    {false, "layernorm_rows", "layer normalisation of each row, eps 1e-5, no affine"},
};

/// The row of softmax (true) or layer normalisation.
const rows_row& row_of(bool softmax) {
  return row_where(
      kRowOps, [&](const rows_row& r) { return r.softmax == softmax; }, "kRowOps");
}

/// A row-wise operation: one worker with the reductions.
workload_traits traits_of(const rows_row& row) {
  return {"reduce", row.description};
}

/// Row-wise softmax or layer normalisation of a rows × cols fp32 matrix.
class rows_workload final : public workload_base {
 public:
  rows_workload(bool softmax, int rows, int cols, std::uint64_t seed)
      : workload_base(
            {"reduce", "own", "f32", row_of(softmax).op_name, {{"rows", rows}, {"cols", cols}}},
            traits_of(row_of(softmax)), seed),
        softmax_(softmax),
        rows_(rows),
        cols_(cols) {}
  double flops() const noexcept override { return 0.0; }
  /// Each input read once and each output written once (the kernels read a row twice or three
  /// times, from L2 for rows of 16 KiB).
  double bytes() const noexcept override { return 2.0 * sizeof(float) * elements(); }

  void prepare(execution_context&) override {
    if (x_host_.empty()) {
      x_host_ = uniform_nonzero(static_cast<std::size_t>(elements()), derive_seed(info_.seed, 1));
      reference();
    }
    x_ = upload(x_host_);
    y_ = device_buffer<float>(x_host_.size());
  }

  void run(execution_context& ctx) override {
    WSLCUDA_CUDA_CHECK(softmax_ ? kernels::launch_softmax_rows_f32(x_.get(), y_.get(), rows_, cols_,
                                                                   stream_of(ctx))
                                : kernels::launch_layernorm_rows_f32(x_.get(), y_.get(), rows_,
                                                                     cols_, kEps, stream_of(ctx)));
  }

  check_result verify(execution_context& ctx) override {
    poison(y_, stream_of(ctx));
    run(ctx);
    const std::vector<float> y = download(y_, stream_of(ctx));
    const int height = kernels::row_tree_height(cols_);
    const error_bound bound = softmax_ ? softmax_bound(height) : layernorm_bound(height);
    return check_arrays(
        y.data(), expected_.data(), scale_.data(), elements(),
        count_non_finite(y.data(), elements()), bound.value,
        softmax_ ? "max |y - y_ref| / y_ref" : "max |y - y_ref| / (|y_ref| + r * mean|x|)",
        bound.method);
  }

  void release() noexcept override {
    x_.reset();
    y_.reset();
  }

 private:
  static constexpr float kEps = 1e-5f;
  std::int64_t elements() const { return std::int64_t{rows_} * cols_; }

  /// fp64 references and the per-element scale of each bound.
  void reference() {
    expected_.resize(x_host_.size());
    scale_.resize(x_host_.size());
    for (int i = 0; i < rows_; ++i) {
      const float* x = x_host_.data() + std::size_t(i) * cols_;
      double* e = expected_.data() + std::size_t(i) * cols_;
      double* s = scale_.data() + std::size_t(i) * cols_;
      if (softmax_) {
        double m = -INFINITY, sum = 0.0;
        for (int j = 0; j < cols_; ++j) m = std::max(m, double(x[j]));
        for (int j = 0; j < cols_; ++j) sum += std::exp(double(x[j]) - m);
        for (int j = 0; j < cols_; ++j) {
          e[j] = std::exp(double(x[j]) - m) / sum;
          s[j] = e[j];
        }
      } else {
        double mean = 0.0, var = 0.0, mean_abs = 0.0;
        for (int j = 0; j < cols_; ++j) {
          mean += x[j];
          mean_abs += std::fabs(double(x[j]));
        }
        mean /= cols_;
        mean_abs /= cols_;
        for (int j = 0; j < cols_; ++j) var += (x[j] - mean) * (x[j] - mean);
        var /= cols_;
        const double r = 1.0 / std::sqrt(var + double(kEps));
        for (int j = 0; j < cols_; ++j) {
          e[j] = (x[j] - mean) * r;
          s[j] = std::fabs(e[j]) + r * mean_abs;
        }
      }
    }
  }

  bool softmax_;
  int rows_, cols_;
  std::vector<float> x_host_;
  std::vector<double> expected_, scale_;
  device_buffer<float> x_, y_;
};

}  // namespace

std::unique_ptr<workload> make_reduce_workload(reduce_impl impl, reduce_op op, std::int64_t n,
                                               std::uint64_t seed) {
  return std::make_unique<reduce_workload>(impl, op, n, seed);
}

std::unique_ptr<workload> make_reduce_sum_f32_workload(std::int64_t n, std::uint64_t seed) {
  return make_reduce_workload(reduce_impl::own, reduce_op::sum, n, seed);
}

std::unique_ptr<workload> make_rows_workload(bool softmax, int rows, int cols, std::uint64_t seed) {
  return std::make_unique<rows_workload>(softmax, rows, cols, seed);
}

void register_reduction(registry& r, const suite_config& config) {
  // 2^20 floats (4 MiB) stay in L2 across runs; 2^28 (1 GiB) stream from DRAM, where the
  // bandwidth targets apply. --quick uses 2^24 (64 MiB, beyond every current L2) instead.
  const std::int64_t large = config.quick ? std::int64_t{1} << 24 : std::int64_t{1} << 28;
  std::uint64_t stream = 300;
  for (std::int64_t n : {std::int64_t{1} << 20, large}) {
    // One problem per size: ours and CUB's, sum and max, all see the same inputs.
    const std::uint64_t seed = derive_seed(config.seed, ++stream);
    for (reduce_impl impl : {reduce_impl::own, reduce_impl::cub})
      for (reduce_op op : {reduce_op::sum, reduce_op::max})
        r.add(make_reduce_workload(impl, op, n, seed));
  }
  r.add(make_rows_workload(true, 4096, 4096, derive_seed(config.seed, 320)));
  r.add(make_rows_workload(false, 4096, 4096, derive_seed(config.seed, 321)));
}

}  // namespace wslcuda
