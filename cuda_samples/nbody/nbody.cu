// nbody: one all-pairs gravitational step for 16384 bodies (fp32, softening ε² = 0.01),
// checked against an fp64 CPU step on 256 sampled bodies. -benchmark times 10 steps and prints
// interactions/s and GFLOP/s, counting 20 FLOPs per interaction as NVIDIA's nbody sample does.
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/sample.cuh"

namespace {

constexpr int kBodies = 16384;
constexpr int kBlock = 256;
constexpr float kSoftening2 = 0.01f;
constexpr double kFlopsPerInteraction = 20.0;  // NVIDIA nbody sample (bodysystemcuda)

/// a_i = Σ_j m_j (r_j − r_i) / (|r_j − r_i|² + ε²)^{3/2}; positions in .xyz, mass in .w.
__global__ void accelerations(const float4* pos, float3* acc, int n) {
  __shared__ float4 tile[kBlock];
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  const float4 pi = i < n ? pos[i] : make_float4(0, 0, 0, 0);
  float3 a = make_float3(0, 0, 0);
  for (int base = 0; base < n; base += kBlock) {
    tile[threadIdx.x] = base + threadIdx.x < n ? pos[base + threadIdx.x] : make_float4(0, 0, 0, 0);
    __syncthreads();
    for (int j = 0; j < kBlock && base + j < n; ++j) {
      const float4 pj = tile[j];
      const float dx = pj.x - pi.x, dy = pj.y - pi.y, dz = pj.z - pi.z;
      const float inv = rsqrtf(dx * dx + dy * dy + dz * dz + kSoftening2);
      const float s = pj.w * inv * inv * inv;
      a.x = fmaf(dx, s, a.x);
      a.y = fmaf(dy, s, a.y);
      a.z = fmaf(dz, s, a.z);
    }
    __syncthreads();
  }
  if (i < n) acc[i] = a;
}

}  // namespace

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "nbody: one all-pairs step for 16384 bodies, checked against the CPU.\n"
      "Usage: nbody [-benchmark]   (-benchmark: 10 timed steps, interactions/s and GFLOP/s)\n");
  sample::require_device();
  std::vector<float4> pos(kBodies);
  unsigned state = 77;
  auto uniform = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
  };
  for (float4& p : pos)
    p = make_float4(uniform(), uniform(), uniform(), 0.5f + 0.5f * std::fabs(uniform()));
  float4* dpos;
  float3* dacc;
  SAMPLE_CHECK(cudaMalloc(&dpos, kBodies * sizeof(float4)));
  SAMPLE_CHECK(cudaMalloc(&dacc, kBodies * sizeof(float3)));
  SAMPLE_CHECK(cudaMemcpy(dpos, pos.data(), kBodies * sizeof(float4), cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemset(dacc, 0xFF, kBodies * sizeof(float3)));
  accelerations<<<kBodies / kBlock, kBlock>>>(dpos, dacc, kBodies);
  SAMPLE_CHECK(cudaGetLastError());
  std::vector<float3> acc(kBodies);
  SAMPLE_CHECK(cudaMemcpy(acc.data(), dacc, kBodies * sizeof(float3), cudaMemcpyDeviceToHost));

  if (sample::has_flag(argc, argv, "-benchmark")) {
    cudaEvent_t start, stop;
    SAMPLE_CHECK(cudaEventCreate(&start));
    SAMPLE_CHECK(cudaEventCreate(&stop));
    constexpr int kSteps = 10;
    SAMPLE_CHECK(cudaEventRecord(start));
    for (int s = 0; s < kSteps; ++s)
      accelerations<<<kBodies / kBlock, kBlock>>>(dpos, dacc, kBodies);
    SAMPLE_CHECK(cudaGetLastError());
    SAMPLE_CHECK(cudaEventRecord(stop));
    SAMPLE_CHECK(cudaEventSynchronize(stop));
    float ms = 0.0f;
    SAMPLE_CHECK(cudaEventElapsedTime(&ms, start, stop));
    const double interactions = static_cast<double>(kBodies) * kBodies * kSteps / (ms * 1e-3);
    std::printf(
        "[nbody] %d bodies, %d steps, %.3f ms/step: %.3f billion interactions/s, %.1f GFLOP/s\n",
        kBodies, kSteps, ms / kSteps, interactions / 1e9,
        interactions * kFlopsPerInteraction / 1e9);
  }
  SAMPLE_CHECK(cudaFree(dpos));
  SAMPLE_CHECK(cudaFree(dacc));

  // Bound per component: the fp32 sum of N terms, γ_N·Σ|terms| (Higham eq. 4.3), plus a few
  // ulps of rsqrtf (≤ 2 ulp, CUDA Programming Guide, Table "single-precision functions") and
  // the products, relative to Σ|terms|.
  const double u = std::ldexp(1.0, -24), bound = (kBodies + 12) * u / (1 - (kBodies + 12) * u);
  double worst = 0.0;
  for (int i = 0; i < kBodies; i += kBodies / 256) {
    double a[3] = {0, 0, 0}, mag[3] = {0, 0, 0};
    for (int j = 0; j < kBodies; ++j) {
      const double d[3] = {static_cast<double>(pos[j].x) - pos[i].x,
                           static_cast<double>(pos[j].y) - pos[i].y,
                           static_cast<double>(pos[j].z) - pos[i].z};
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + kSoftening2;
      const double s = pos[j].w / (r2 * std::sqrt(r2));
      for (int c = 0; c < 3; ++c) {
        a[c] += d[c] * s;
        mag[c] += std::fabs(d[c] * s);
      }
    }
    const float got[3] = {acc[i].x, acc[i].y, acc[i].z};
    for (int c = 0; c < 3; ++c) {
      const double e = std::fabs(got[c] - a[c]) / mag[c];
      if (!(e <= worst)) worst = e;
    }
  }
  std::printf("[nbody] 256 sampled bodies: max error %.3e (bound %.3e, relative to sum |terms|)\n",
              worst, bound);
  if (!(worst <= bound)) sample::fail("nbody: accelerations differ from the CPU beyond the bound");
  sample::pass();
}
