#include "verify/reference.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "reduction/reduction_inputs.hpp"

namespace wslcuda {

void gemm_reference(int m, int n, int k, const std::vector<float>& a, const std::vector<float>& b,
                    std::vector<double>& c, std::vector<double>& abs_c) {
  if (m < 0 || n < 0 || k < 0 || a.size() != static_cast<std::size_t>(m) * k ||
      b.size() != static_cast<std::size_t>(k) * n)
    throw std::invalid_argument("gemm_reference: sizes do not match M, N, K");
  c.assign(static_cast<std::size_t>(m) * n, 0.0);
  abs_c.assign(c.size(), 0.0);
  // i-k-j order: the inner loop streams a row of B and a row of C (vectorisable). Rows are
  // independent, so the CPU's cores share them (OpenMP); each element's sum keeps its order, so
  // the result is the same bit for bit on any number of threads.
#pragma omp parallel for schedule(static)
  for (int i = 0; i < m; ++i) {
    double* ci = c.data() + static_cast<std::size_t>(i) * n;
    double* ai_abs = abs_c.data() + static_cast<std::size_t>(i) * n;
    for (int p = 0; p < k; ++p) {
      const double aip = a[static_cast<std::size_t>(i) * k + p];
      const double aip_abs = std::fabs(aip);
      const float* bp = b.data() + static_cast<std::size_t>(p) * n;
      for (int j = 0; j < n; ++j) {
        const double bpj = bp[j];
        ci[j] += aip * bpj;
        ai_abs[j] += aip_abs * std::fabs(bpj);
      }
    }
  }
}

reference_value conv2d_reference_at(const kernels::conv2d_shape& sh, const float* x, const float* w,
                                    int img, int kk, int p, int q) noexcept {
  reference_value out;
  for (int c = 0; c < sh.c; ++c) {
    for (int r = 0; r < sh.r; ++r) {
      const int h = p * sh.stride_h - sh.pad_h + r;
      if (h < 0 || h >= sh.h) continue;
      for (int s = 0; s < sh.s; ++s) {
        const int wi = q * sh.stride_w - sh.pad_w + s;
        if (wi < 0 || wi >= sh.w) continue;
        const double xv = x[((static_cast<std::int64_t>(img) * sh.c + c) * sh.h + h) * sh.w + wi];
        const double wv = w[((static_cast<std::int64_t>(kk) * sh.c + c) * sh.r + r) * sh.s + s];
        out.value += xv * wv;
        out.scale += std::fabs(xv * wv);
      }
    }
  }
  return out;
}

reference_value sum_reference(const float* x, std::int64_t n) noexcept {
  reference_value out;
  for (std::int64_t i = 0; i < n; ++i) {
    out.value += x[i];
    out.scale += std::fabs(static_cast<double>(x[i]));
  }
  return out;
}

seeded_input_summary summarize_seeded_inputs(std::uint64_t seed, std::int64_t n) {
  double sum = 0.0, scale = 0.0;
  float max = -INFINITY;
#pragma omp parallel for schedule(static) reduction(+ : sum, scale) reduction(max : max)
  for (std::int64_t i = 0; i < n; ++i) {
    const float v = kernels::reduction_input(seed, static_cast<std::uint64_t>(i));
    sum += v;
    scale += std::fabs(v);
    max = std::max(max, v);
  }
  seeded_input_summary out;
  out.sum.value = sum;
  out.sum.scale = scale;
  out.max = max;
  return out;
}

reference_value conv2d_bwd_data_reference_at(const kernels::conv2d_shape& sh, const float* dy,
                                             const float* w, int img, int c, int h,
                                             int wi) noexcept {
  reference_value out;
  const int P = sh.p(), Q = sh.q();
  for (int kk = 0; kk < sh.k; ++kk)
    for (int r = 0; r < sh.r; ++r) {
      const int ph = h + sh.pad_h - r;  // = p · stride_h
      if (ph < 0 || ph % sh.stride_h != 0 || ph / sh.stride_h >= P) continue;
      const int p = ph / sh.stride_h;
      for (int s = 0; s < sh.s; ++s) {
        const int qw = wi + sh.pad_w - s;
        if (qw < 0 || qw % sh.stride_w != 0 || qw / sh.stride_w >= Q) continue;
        const int q = qw / sh.stride_w;
        const double term = double(dy[((std::int64_t{img} * sh.k + kk) * P + p) * Q + q]) *
                            double(w[((std::int64_t{kk} * sh.c + c) * sh.r + r) * sh.s + s]);
        out.value += term;
        out.scale += std::fabs(term);
      }
    }
  return out;
}

reference_value conv2d_bwd_filter_reference_at(const kernels::conv2d_shape& sh, const float* x,
                                               const float* dy, int kk, int c, int r,
                                               int s) noexcept {
  reference_value out;
  const int P = sh.p(), Q = sh.q();
  for (int img = 0; img < sh.n; ++img)
    for (int p = 0; p < P; ++p) {
      const int h = p * sh.stride_h - sh.pad_h + r;
      if (h < 0 || h >= sh.h) continue;
      for (int q = 0; q < Q; ++q) {
        const int wi = q * sh.stride_w - sh.pad_w + s;
        if (wi < 0 || wi >= sh.w) continue;
        const double term = double(dy[((std::int64_t{img} * sh.k + kk) * P + p) * Q + q]) *
                            double(x[((std::int64_t{img} * sh.c + c) * sh.h + h) * sh.w + wi]);
        out.value += term;
        out.scale += std::fabs(term);
      }
    }
  return out;
}

}  // namespace wslcuda
