// cudnn_conv: one convolution forward through cuDNN (loaded at run time), fp32 NCHW,
// N=2, C=16, H=W=32, K=32, 3×3, pad 1, CUDNN_CROSS_CORRELATION, checked against an fp64 CPU
// reference with the bound γ_{CRS}·Σ|x·w| (Higham eq. 3.5).
#include <cudnn.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "common/sample.cuh"

namespace {
constexpr int N = 2, C = 16, H = 32, W = 32, K = 32, R = 3, S = 3, PAD = 1;
}

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "cudnn_conv: a 3x3 convolution forward through cuDNN, checked against the CPU.\n");
  sample::require_device();
  void* lib = sample::load_or_waive("libcudnn.so.9", "cuDNN 9");
#define CUDNN_FN(name) const auto name = sample::symbol<decltype(&::name)>(lib, #name)
  CUDNN_FN(cudnnCreate);
  CUDNN_FN(cudnnDestroy);
  CUDNN_FN(cudnnGetErrorString);
  CUDNN_FN(cudnnCreateTensorDescriptor);
  CUDNN_FN(cudnnSetTensor4dDescriptor);
  CUDNN_FN(cudnnDestroyTensorDescriptor);
  CUDNN_FN(cudnnCreateFilterDescriptor);
  CUDNN_FN(cudnnSetFilter4dDescriptor);
  CUDNN_FN(cudnnDestroyFilterDescriptor);
  CUDNN_FN(cudnnCreateConvolutionDescriptor);
  CUDNN_FN(cudnnSetConvolution2dDescriptor);
  CUDNN_FN(cudnnDestroyConvolutionDescriptor);
  CUDNN_FN(cudnnGetConvolutionForwardWorkspaceSize);
  CUDNN_FN(cudnnConvolutionForward);
#undef CUDNN_FN
  auto check = [&](cudnnStatus_t st, const char* what) {
    if (st != CUDNN_STATUS_SUCCESS)
      sample::fail(std::string(what) + ": " + cudnnGetErrorString(st));
  };

  std::vector<float> x(N * C * H * W), w(K * C * R * S), y(N * K * H * W);
  unsigned state = 99;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    const float v = static_cast<float>(static_cast<int>(state >> 9) - (1 << 22)) / (1 << 22);
    return v == 0.0f ? 0.25f : v;
  };
  for (float& v : x) v = next();
  for (float& v : w) v = next();
  float *dx, *dw, *dy;
  SAMPLE_CHECK(cudaMalloc(&dx, x.size() * sizeof(float)));
  SAMPLE_CHECK(cudaMalloc(&dw, w.size() * sizeof(float)));
  SAMPLE_CHECK(cudaMalloc(&dy, y.size() * sizeof(float)));
  SAMPLE_CHECK(cudaMemcpy(dx, x.data(), x.size() * sizeof(float), cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemcpy(dw, w.data(), w.size() * sizeof(float), cudaMemcpyHostToDevice));
  SAMPLE_CHECK(cudaMemset(dy, 0xFF, y.size() * sizeof(float)));

  cudnnHandle_t h;
  check(cudnnCreate(&h), "cudnnCreate");
  cudnnTensorDescriptor_t xd, yd;
  cudnnFilterDescriptor_t wd;
  cudnnConvolutionDescriptor_t cd;
  check(cudnnCreateTensorDescriptor(&xd), "cudnnCreateTensorDescriptor");
  check(cudnnCreateTensorDescriptor(&yd), "cudnnCreateTensorDescriptor");
  check(cudnnCreateFilterDescriptor(&wd), "cudnnCreateFilterDescriptor");
  check(cudnnCreateConvolutionDescriptor(&cd), "cudnnCreateConvolutionDescriptor");
  check(cudnnSetTensor4dDescriptor(xd, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, N, C, H, W),
        "x descriptor");
  check(cudnnSetTensor4dDescriptor(yd, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, N, K, H, W),
        "y descriptor");
  check(cudnnSetFilter4dDescriptor(wd, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, K, C, R, S),
        "w descriptor");
  check(cudnnSetConvolution2dDescriptor(cd, PAD, PAD, 1, 1, 1, 1, CUDNN_CROSS_CORRELATION,
                                        CUDNN_DATA_FLOAT),
        "convolution descriptor");
  const cudnnConvolutionFwdAlgo_t algo =
      CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM;  // needs no workspace heuristics
  size_t workspace_bytes = 0;
  check(cudnnGetConvolutionForwardWorkspaceSize(h, xd, wd, cd, yd, algo, &workspace_bytes),
        "workspace size");
  void* workspace = nullptr;
  if (workspace_bytes > 0) SAMPLE_CHECK(cudaMalloc(&workspace, workspace_bytes));
  const float alpha = 1.0f, beta = 0.0f;
  check(cudnnConvolutionForward(h, &alpha, xd, dx, wd, dw, cd, algo, workspace, workspace_bytes,
                                &beta, yd, dy),
        "cudnnConvolutionForward");
  SAMPLE_CHECK(cudaMemcpy(y.data(), dy, y.size() * sizeof(float), cudaMemcpyDeviceToHost));
  cudnnDestroyConvolutionDescriptor(cd);
  cudnnDestroyFilterDescriptor(wd);
  cudnnDestroyTensorDescriptor(xd);
  cudnnDestroyTensorDescriptor(yd);
  cudnnDestroy(h);
  for (void* p :
       {static_cast<void*>(dx), static_cast<void*>(dw), static_cast<void*>(dy), workspace})
    if (p != nullptr) SAMPLE_CHECK(cudaFree(p));

  const int crs = C * R * S;
  const double u = std::ldexp(1.0, -24), bound = crs * u / (1 - crs * u);
  double worst = 0.0;
  for (int n = 0; n < N; ++n)
    for (int k = 0; k < K; ++k)
      for (int p = 0; p < H; ++p)
        for (int q = 0; q < W; ++q) {
          double ref = 0.0, mag = 0.0;
          for (int c = 0; c < C; ++c)
            for (int r = 0; r < R; ++r)
              for (int s = 0; s < S; ++s) {
                const int h_in = p - PAD + r, w_in = q - PAD + s;
                if (h_in < 0 || h_in >= H || w_in < 0 || w_in >= W) continue;
                const double t = static_cast<double>(x[((n * C + c) * H + h_in) * W + w_in]) *
                                 w[((k * C + c) * R + r) * S + s];
                ref += t;
                mag += std::fabs(t);
              }
          const double e = std::fabs(y[((n * K + k) * H + p) * W + q] - ref) / mag;
          if (!(e <= worst)) worst = e;
        }
  std::printf("[cudnn_conv] N=%d C=%d H=W=%d K=%d 3x3: max error %.3e (bound %.3e)\n", N, C, H, K,
              worst, bound);
  if (!(worst <= bound)) sample::fail("cudnn_conv: output differs from the CPU beyond the bound");
  sample::pass();
}
