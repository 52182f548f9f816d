#include "conv/conv.hpp"

namespace wslcuda::kernels {
namespace {

constexpr int kTile = 16;        // output tile is kTile × kTile, one output pixel per thread
constexpr int kOutChannels = 8;  // output channels per block, accumulated per thread
constexpr int kMaxSharedBytes = 48 * 1024;  // default dynamic shared memory limit, no opt-in

struct tile_geometry {
  int in_h, in_w;  // input tile extent including the halo
  int chunk;       // input channels staged per step
  std::size_t shared_bytes;
};

tile_geometry geometry_for(const conv2d_shape& sh) {
  tile_geometry g{};
  g.in_h = (kTile - 1) * sh.stride_h + sh.r;
  g.in_w = (kTile - 1) * sh.stride_w + sh.s;
  const std::size_t per_channel =
      sizeof(float) * (static_cast<std::size_t>(g.in_h) * g.in_w + kOutChannels * sh.r * sh.s);
  g.chunk = static_cast<int>(kMaxSharedBytes / per_channel);
  if (g.chunk > 8) g.chunk = 8;
  if (g.chunk > sh.c) g.chunk = sh.c;
  g.shared_bytes = per_channel * static_cast<std::size_t>(g.chunk > 0 ? g.chunk : 1);
  return g;
}

__global__ void __launch_bounds__(kTile* kTile)
    conv2d_direct_f32_nchw_kernel(conv2d_shape sh, int P, int Q, int in_h, int in_w, int chunk,
                                  const float* __restrict__ x, const float* __restrict__ w,
                                  float* __restrict__ y) {
  extern __shared__ float smem[];
  float* xs = smem;                        // [chunk][in_h][in_w]
  float* ws = smem + chunk * in_h * in_w;  // [kOutChannels][chunk][r][s]
  const int k_groups = (sh.k + kOutChannels - 1) / kOutChannels;
  const int img = static_cast<int>(blockIdx.z) / k_groups;
  const int k0 = (static_cast<int>(blockIdx.z) % k_groups) * kOutChannels;
  const int p0 = static_cast<int>(blockIdx.y) * kTile, q0 = static_cast<int>(blockIdx.x) * kTile;
  const int tid = static_cast<int>(threadIdx.y * kTile + threadIdx.x);
  const int h0 = p0 * sh.stride_h - sh.pad_h, w0 = q0 * sh.stride_w - sh.pad_w;
  const int rs = sh.r * sh.s;

  float acc[kOutChannels] = {};
  for (int c0 = 0; c0 < sh.c; c0 += chunk) {
    const int cn = min(chunk, sh.c - c0);
    for (int i = tid; i < cn * in_h * in_w; i += kTile * kTile) {
      const int cc = i / (in_h * in_w), rem = i % (in_h * in_w);
      const int hh = h0 + rem / in_w, ww = w0 + rem % in_w;
      float v = 0.0f;
      if (hh >= 0 && hh < sh.h && ww >= 0 && ww < sh.w)
        v = x[((static_cast<long long>(img) * sh.c + c0 + cc) * sh.h + hh) * sh.w + ww];
      xs[i] = v;
    }
    for (int i = tid; i < kOutChannels * cn * rs; i += kTile * kTile) {
      const int kk = i / (cn * rs), rem = i % (cn * rs);
      const int cc = rem / rs, tap = rem % rs;
      ws[(kk * chunk + cc) * rs + tap] =
          (k0 + kk < sh.k) ? w[(static_cast<long long>(k0 + kk) * sh.c + c0 + cc) * rs + tap]
                           : 0.0f;
    }
    __syncthreads();
    const int ty = static_cast<int>(threadIdx.y) * sh.stride_h;
    const int tx = static_cast<int>(threadIdx.x) * sh.stride_w;
    for (int cc = 0; cc < cn; ++cc) {
      for (int r = 0; r < sh.r; ++r) {
        for (int s = 0; s < sh.s; ++s) {
          const float v = xs[(cc * in_h + ty + r) * in_w + tx + s];
#pragma unroll
          for (int kk = 0; kk < kOutChannels; ++kk)
            acc[kk] = fmaf(v, ws[(kk * chunk + cc) * rs + r * sh.s + s], acc[kk]);
        }
      }
    }
    __syncthreads();
  }

  const int p = p0 + static_cast<int>(threadIdx.y), q = q0 + static_cast<int>(threadIdx.x);
  if (p >= P || q >= Q) return;
#pragma unroll
  for (int kk = 0; kk < kOutChannels; ++kk) {
    if (k0 + kk < sh.k)
      y[((static_cast<long long>(img) * sh.k + k0 + kk) * P + p) * Q + q] = acc[kk];
  }
}

}  // namespace

cudaError_t launch_conv2d_direct_f32_nchw(const conv2d_shape& shape, const float* x, const float* w,
                                          float* y, cudaStream_t stream) {
  if (!shape.valid()) return cudaErrorInvalidValue;
  const tile_geometry g = geometry_for(shape);
  if (g.chunk < 1) return cudaErrorInvalidValue;  // one channel's halo tile exceeds 48 KiB
  const int k_groups = (shape.k + kOutChannels - 1) / kOutChannels;
  const dim3 grid((shape.q() + kTile - 1) / kTile, (shape.p() + kTile - 1) / kTile,
                  static_cast<unsigned>(shape.n * k_groups));
  if (grid.z > 65535u) return cudaErrorInvalidValue;
  conv2d_direct_f32_nchw_kernel<<<grid, dim3(kTile, kTile), g.shared_bytes, stream>>>(
      shape, shape.p(), shape.q(), g.in_h, g.in_w, g.chunk, x, w, y);
  return cudaGetLastError();
}

}  // namespace wslcuda::kernels
