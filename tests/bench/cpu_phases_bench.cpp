// The CPU side of the suite's phases (issue: suite speed): input generation, fp64 references and
// verification for every shape the workloads use, timed with Google Benchmark. A benchmark, not a
// test: run it with OMP_NUM_THREADS=1 and with every core (ci/bench_cpu_phases.sh) to see what
// the references cost and what OpenMP buys.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "conv/conv_shape.hpp"
#include "suite/gpu/conv_workloads.hpp"  // kResnet50Layers (the header is CUDA-free)
#include "verify/freivalds.hpp"
#include "verify/random_fill.hpp"
#include "verify/reference.hpp"

namespace wslcuda {
namespace {

/// Seeded inputs of m×k and k×n (what every GEMM workload's prepare() draws).
void BM_GemmInputs(benchmark::State& state) {
  const auto m = static_cast<std::size_t>(state.range(0));
  const auto n = static_cast<std::size_t>(state.range(1));
  const auto k = static_cast<std::size_t>(state.range(2));
  for (auto _ : state) {
    auto a = uniform_nonzero(m * k, 1);
    auto b = uniform_nonzero(k * n, 2);
    benchmark::DoNotOptimize(a.data());
    benchmark::DoNotOptimize(b.data());
  }
}

/// The full fp64 reference (shapes with M·N·K ≤ 2^31, as gemm_workloads.cpp decides).
void BM_GemmReference(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0)), n = static_cast<int>(state.range(1)),
            k = static_cast<int>(state.range(2));
  const auto a = uniform_nonzero(static_cast<std::size_t>(m) * k, 1);
  const auto b = uniform_nonzero(static_cast<std::size_t>(k) * n, 2);
  std::vector<double> c, abs_c;
  for (auto _ : state) {
    gemm_reference(m, n, k, a, b, c, abs_c);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["MAC/s"] = benchmark::Counter(static_cast<double>(m) * n * k,
                                               benchmark::Counter::kIsIterationInvariantRate);
}

/// Freivalds' check plus 1024 exact entries (the larger shapes). The time does not depend on
/// whether C is right, so C is the zero matrix.
void BM_GemmFreivalds(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto size = static_cast<std::size_t>(n) * n;
  const auto a = uniform_nonzero(size, 1);
  const auto b = uniform_nonzero(size, 2);
  const std::vector<float> c(size, 0.0f);
  gemm_view g;
  g.m = g.n = g.k = n;
  g.a = a.data();
  g.b = b.data();
  g.c = c.data();
  for (auto _ : state) benchmark::DoNotOptimize(check_gemm_freivalds(g, 1e-6, "bench", 3));
}

/// 8192 sampled outputs of a ResNet-50 layer (kResnet50Layers[arg 0], N = arg 1) in fp64, as
/// check_forward_sampled computes them.
void BM_ConvSampledReference(benchmark::State& state) {
  const resnet_layer& l = kResnet50Layers[state.range(0)];
  kernels::conv2d_shape s;
  s.n = static_cast<int>(state.range(1));
  s.c = l.c;
  s.h = s.w = l.hw;
  s.k = l.k;
  s.r = s.s = l.rs;
  s.pad_h = s.pad_w = l.pad;
  s.stride_h = s.stride_w = l.stride;
  const auto x = uniform_nonzero(static_cast<std::size_t>(s.n) * s.c * s.h * s.w, 1);
  const auto w = uniform_nonzero(static_cast<std::size_t>(s.k) * s.c * s.r * s.s, 2);
  const int p = s.p(), q = s.q();
  for (auto _ : state) {
    double acc = 0.0;
    for (std::int64_t i = 0; i < 8192; ++i) {
      const std::int64_t o = (i * 2654435761LL) % (static_cast<std::int64_t>(s.n) * s.k * p * q);
      const int qq = static_cast<int>(o % q), pp = static_cast<int>(o / q % p),
                kk = static_cast<int>(o / q / p % s.k), img = static_cast<int>(o / q / p / s.k);
      acc += conv2d_reference_at(s, x.data(), w.data(), img, kk, pp, qq).value;
    }
    benchmark::DoNotOptimize(acc);
  }
}

/// The fp64 sum of n seeded elements (the sum reduction's reference; inputs drawn outside).
void BM_SumReference(benchmark::State& state) {
  const auto x = uniform_nonzero(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(sum_reference(x.data(), state.range(0)));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0) * 4);
}

/// The reductions' reference: sum, Σ|x| and maximum of n seeded inputs drawn on the host.
void BM_SeededInputSummary(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(summarize_seeded_inputs(5, state.range(0)));
}

// The suite's shapes: GEMM --quick 1024³, 16×4096×4096, 1000³ (full references); 4096³ and
// 8192³ (Freivalds); ResNet-50 layers at N = 8 (--quick) and 32; sums over 2^20, 2^24, 2^28.
BENCHMARK(BM_GemmInputs)
    ->Args({4096, 4096, 4096})
    ->Args({8192, 8192, 8192})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_GemmReference)
    ->Args({1024, 1024, 1024})
    ->Args({16, 4096, 4096})
    ->Args({1000, 1000, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_GemmFreivalds)->Arg(4096)->Arg(8192)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ConvSampledReference)
    ->ArgsProduct({{0, 1, 2}, {8, 32}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SeededInputSummary)
    ->Arg(1 << 20)
    ->Arg(1 << 24)
    ->Arg(1 << 28)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_SumReference)->Arg(1 << 20)->Arg(1 << 24)->Arg(1 << 28)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace wslcuda

BENCHMARK_MAIN();
