// matrix_mul: C = A·B (fp32, row-major, 512×512×512) with a shared-memory tiled kernel and with
// cuBLAS (loaded at run time); both checked against an fp64 CPU reference with the bound
// γ_K·(|A||B|)_ij (Higham, Accuracy and Stability of Numerical Algorithms, eq. 3.5), and
// against each other.
#include <cublas_v2.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "common/sample.cuh"

namespace {

constexpr int kTile = 16;

__global__ void matmul_tiled(const float* a, const float* b, float* c, int m, int n, int k) {
  __shared__ float as[kTile][kTile];
  __shared__ float bs[kTile][kTile];
  const int row = blockIdx.y * kTile + threadIdx.y, col = blockIdx.x * kTile + threadIdx.x;
  float acc = 0.0f;
  for (int t = 0; t < k; t += kTile) {
    as[threadIdx.y][threadIdx.x] =
        (row < m && t + threadIdx.x < k) ? a[row * k + t + threadIdx.x] : 0.0f;
    bs[threadIdx.y][threadIdx.x] =
        (t + threadIdx.y < k && col < n) ? b[(t + threadIdx.y) * n + col] : 0.0f;
    __syncthreads();
    for (int i = 0; i < kTile; ++i) acc = fmaf(as[threadIdx.y][i], bs[i][threadIdx.x], acc);
    __syncthreads();
  }
  if (row < m && col < n) c[row * n + col] = acc;
}

/// Largest |c - ref| / (|A||B|)_ij.
double worst_error(const std::vector<float>& c, const std::vector<double>& ref,
                   const std::vector<double>& abs_ref) {
  double worst = 0.0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double e = std::fabs(c[i] - ref[i]) / abs_ref[i];
    if (!(e <= worst)) worst = e;  // NaN propagates
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "matrix_mul: 512x512x512 SGEMM with a tiled kernel and with cuBLAS, both checked against an\n"
      "fp64 CPU reference and compared with each other.\n");
  sample::require_device();
  void* cublas_lib = sample::load_or_waive("libcublas.so.13", "cuBLAS");
  const auto create = sample::symbol<decltype(&cublasCreate_v2)>(cublas_lib, "cublasCreate_v2");
  const auto destroy = sample::symbol<decltype(&cublasDestroy_v2)>(cublas_lib, "cublasDestroy_v2");
  const auto sgemm = sample::symbol<decltype(&cublasSgemm_v2)>(cublas_lib, "cublasSgemm_v2");

  constexpr int m = 512, n = 512, k = 512;
  std::vector<float> a(m * k), b(k * n);
  unsigned state = 12345;
  auto next = [&] {  // LCG in [-1, 1), never 0
    state = state * 1664525u + 1013904223u;
    const float v = static_cast<float>(static_cast<int>(state >> 9) - (1 << 22)) / (1 << 22);
    return v == 0.0f ? 0.5f : v;
  };
  for (float& v : a) v = next();
  for (float& v : b) v = next();
  std::vector<double> ref(m * n, 0.0), abs_ref(m * n, 0.0);
  for (int i = 0; i < m; ++i)
    for (int p = 0; p < k; ++p)
      for (int j = 0; j < n; ++j) {
        ref[i * n + j] += static_cast<double>(a[i * k + p]) * b[p * n + j];
        abs_ref[i * n + j] += std::fabs(static_cast<double>(a[i * k + p]) * b[p * n + j]);
      }

  float *da, *db, *dc;
  SAMPLE_CHECK(cudaMalloc(&da, a.size() * sizeof(float)));
  SAMPLE_CHECK(cudaMalloc(&db, b.size() * sizeof(float)));
  SAMPLE_CHECK(cudaMalloc(&dc, static_cast<std::size_t>(m) * n * sizeof(float)));
  SAMPLE_CHECK(cudaMemcpy(da, a.data(), a.size() * sizeof(float), cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemcpy(db, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice));

  std::vector<float> own(m * n), vendor(m * n);
  SAMPLE_CHECK(cudaMemset(dc, 0xFF, own.size() * sizeof(float)));
  matmul_tiled<<<dim3(n / kTile, m / kTile), dim3(kTile, kTile)>>>(da, db, dc, m, n, k);
  SAMPLE_CHECK(cudaGetLastError());
  SAMPLE_CHECK(cudaMemcpy(own.data(), dc, own.size() * sizeof(float), cudaMemcpyDeviceToHost));

  cublasHandle_t h = nullptr;
  if (create(&h) != CUBLAS_STATUS_SUCCESS) sample::fail("cublasCreate failed");
  const float alpha = 1.0f, beta = 0.0f;
  SAMPLE_CHECK(cudaMemset(dc, 0xFF, vendor.size() * sizeof(float)));
  // Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ.
  if (sgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &alpha, db, n, da, k, &beta, dc, n) !=
      CUBLAS_STATUS_SUCCESS)
    sample::fail("cublasSgemm failed");
  SAMPLE_CHECK(
      cudaMemcpy(vendor.data(), dc, vendor.size() * sizeof(float), cudaMemcpyDeviceToHost));
  destroy(h);
  SAMPLE_CHECK(cudaFree(da));
  SAMPLE_CHECK(cudaFree(db));
  SAMPLE_CHECK(cudaFree(dc));

  const double u = std::ldexp(1.0, -24), bound = k * u / (1 - k * u);
  const double e_own = worst_error(own, ref, abs_ref), e_vendor = worst_error(vendor, ref, abs_ref);
  double agree = 0.0;
  for (int i = 0; i < m * n; ++i)
    agree = std::fmax(agree, std::fabs(own[i] - vendor[i]) / abs_ref[i]);
  std::printf(
      "[matrix_mul] tiled kernel: max error %.3e, cuBLAS: %.3e, bound %.3e; kernel vs cuBLAS %.3e "
      "(bound %.3e)\n",
      e_own, e_vendor, bound, agree, 2 * bound);
  if (!(e_own <= bound) || !(e_vendor <= bound) || !(agree <= 2 * bound))
    sample::fail("matrix_mul: error above the bound");
  sample::pass();
}
