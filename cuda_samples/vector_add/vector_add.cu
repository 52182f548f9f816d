// vector_add: the smallest end-to-end check: C = A + B on 50 000 floats, checked exactly.
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/sample.cuh"

__global__ void vector_add(const float* a, const float* b, float* c, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "vector_add: adds two vectors of 50000 floats on the GPU and checks every element.\n");
  sample::require_device();
  constexpr int n = 50000;
  std::vector<float> a(n), b(n), c(n, -1.0f);
  for (int i = 0; i < n; ++i) {
    a[i] = static_cast<float>(i % 1000) * 0.5f;  // exact sums: no rounding to tolerate
    b[i] = static_cast<float>(i % 777) * 0.25f;
  }
  float *da = nullptr, *db = nullptr, *dc = nullptr;
  SAMPLE_CHECK(cudaMalloc(&da, n * sizeof(float)));
  SAMPLE_CHECK(cudaMalloc(&db, n * sizeof(float)));
  SAMPLE_CHECK(cudaMalloc(&dc, n * sizeof(float)));
  SAMPLE_CHECK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemset(dc, 0xFF, n * sizeof(float)));  // NaN: an unwritten element fails
  vector_add<<<(n + 255) / 256, 256>>>(da, db, dc, n);
  SAMPLE_CHECK(cudaGetLastError());
  SAMPLE_CHECK(cudaMemcpy(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost));
  SAMPLE_CHECK(cudaFree(da));
  SAMPLE_CHECK(cudaFree(db));
  SAMPLE_CHECK(cudaFree(dc));
  int wrong = 0;
  for (int i = 0; i < n; ++i) wrong += (c[i] == a[i] + b[i]) ? 0 : 1;
  std::printf("[vector_add] %d elements, %d wrong\n", n, wrong);
  if (wrong != 0) sample::fail("vector_add: results differ from the CPU");
  sample::pass();
}
