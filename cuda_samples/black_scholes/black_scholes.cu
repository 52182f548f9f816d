// black_scholes: European call and put prices for 4M options on the GPU (fp32), checked against
// an fp64 CPU reference with the L1-norm threshold of NVIDIA's BlackScholes sample (1e-6), the
// sample NVIDIA's CUDA-on-WSL guide uses to check a set-up.
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/sample.cuh"

namespace {

constexpr int kOptions = 4000000;
constexpr float kRiskFree = 0.02f, kVolatility = 0.30f;

/// Cumulative normal distribution, Abramowitz & Stegun 26.2.17 (|error| < 7.5e-8), as in
/// NVIDIA's sample.
template <typename T>
__host__ __device__ T cnd(T d) {
  const T a1 = T(0.31938153), a2 = T(-0.356563782), a3 = T(1.781477937), a4 = T(-1.821255978),
          a5 = T(1.330274429);
  const T rsqrt2pi = T(0.39894228040143267794);
  const T k = T(1) / (T(1) + T(0.2316419) * fabs(d));
  T c = rsqrt2pi * exp(T(-0.5) * d * d) * (k * (a1 + k * (a2 + k * (a3 + k * (a4 + k * a5)))));
  if (d > 0) c = T(1) - c;
  return c;
}

template <typename T>
__host__ __device__ void price(T s, T x, T t, T r, T v, T& call, T& put) {
  const T sqrt_t = sqrt(t);
  const T d1 = (log(s / x) + (r + T(0.5) * v * v) * t) / (v * sqrt_t);
  const T d2 = d1 - v * sqrt_t;
  const T exp_rt = exp(-r * t);
  call = s * cnd(d1) - x * exp_rt * cnd(d2);
  put = x * exp_rt * (T(1) - cnd(d2)) - s * (T(1) - cnd(d1));
}

__global__ void black_scholes(const float* s, const float* x, const float* t, float* call,
                              float* put, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    price<float>(s[i], x[i], t[i], kRiskFree, kVolatility, call[i], put[i]);
}

}  // namespace

int main(int argc, char** argv) {
  sample::handle_help(argc, argv,
                      "black_scholes: prices 4M European options on the GPU, checked against an "
                      "fp64 CPU reference.\n");
  sample::require_device();
  std::vector<float> s(kOptions), x(kOptions), t(kOptions), call(kOptions), put(kOptions);
  unsigned state = 2024;
  auto uniform = [&](float lo, float hi) {
    state = state * 1664525u + 1013904223u;
    return lo + (hi - lo) * static_cast<float>(state >> 8) / static_cast<float>(1u << 24);
  };
  for (int i = 0; i < kOptions; ++i) {  // ranges of NVIDIA's sample
    s[i] = uniform(5.0f, 30.0f);
    x[i] = uniform(1.0f, 100.0f);
    t[i] = uniform(0.25f, 10.0f);
  }
  const std::size_t bytes = kOptions * sizeof(float);
  float *ds, *dx, *dt, *dc, *dp;
  for (float** p : {&ds, &dx, &dt, &dc, &dp}) SAMPLE_CHECK(cudaMalloc(p, bytes));
  SAMPLE_CHECK(cudaMemcpy(ds, s.data(), bytes, cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemcpy(dx, x.data(), bytes, cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemcpy(dt, t.data(), bytes, cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemset(dc, 0xFF, bytes));
  SAMPLE_CHECK(cudaMemset(dp, 0xFF, bytes));
  cudaEvent_t start, stop;
  SAMPLE_CHECK(cudaEventCreate(&start));
  SAMPLE_CHECK(cudaEventCreate(&stop));
  SAMPLE_CHECK(cudaEventRecord(start));
  black_scholes<<<480, 128>>>(ds, dx, dt, dc, dp, kOptions);
  SAMPLE_CHECK(cudaGetLastError());
  SAMPLE_CHECK(cudaEventRecord(stop));
  SAMPLE_CHECK(cudaEventSynchronize(stop));
  float ms = 0.0f;
  SAMPLE_CHECK(cudaEventElapsedTime(&ms, start, stop));
  SAMPLE_CHECK(cudaMemcpy(call.data(), dc, bytes, cudaMemcpyDeviceToHost));
  SAMPLE_CHECK(cudaMemcpy(put.data(), dp, bytes, cudaMemcpyDeviceToHost));
  for (float* p : {ds, dx, dt, dc, dp}) SAMPLE_CHECK(cudaFree(p));

  double sum_delta = 0.0, sum_ref = 0.0, max_delta = 0.0;
  for (int i = 0; i < kOptions; ++i) {
    double rc = 0, rp = 0;
    price<double>(s[i], x[i], t[i], kRiskFree, kVolatility, rc, rp);
    const double delta = std::fabs(rc - call[i]);
    sum_delta += delta;
    sum_ref += std::fabs(rc);
    if (!(delta <= max_delta)) max_delta = delta;  // NaN propagates
  }
  const double l1 = sum_delta / sum_ref;
  std::printf(
      "[black_scholes] %d options in %.3f ms (%.2f GOptions/s); L1 norm %.3e, max abs error %.3e\n",
      kOptions, ms, kOptions / (ms * 1e-3) / 1e9, l1, max_delta);
  if (!(l1 < 1e-6)) sample::fail("black_scholes: L1 norm above 1e-6");
  sample::pass();
}
