#pragma once
// Tensor layout conversions on the host (NCHW ↔ NHWC) for the fp16 convolutions: references are
// computed in NCHW, the tensor-core paths take NHWC.

#include <cuda_fp16.h>

#include <cstddef>
#include <vector>

namespace wslcuda {

/// NCHW (or KCRS) fp32 → NHWC (or KRSC) fp16, rounding to nearest.
inline std::vector<__half> nchw_to_nhwc_half(const std::vector<float>& nchw, int n, int c, int h,
                                             int w) {
  std::vector<__half> out(nchw.size());
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < c; ++ch)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          out[((std::size_t(i) * h + y) * w + x) * c + ch] =
              __float2half_rn(nchw[((std::size_t(i) * c + ch) * h + y) * w + x]);
  return out;
}

/// Flat NHWC index of the element at flat NCHW index `nchw` of an N×C×H×W tensor.
inline std::size_t nhwc_index_of(std::size_t nchw, int c, int h, int w) {
  const std::size_t x = nchw % w, y = (nchw / w) % h, ch = (nchw / (std::size_t(w) * h)) % c,
                    i = nchw / (std::size_t(w) * h * c);
  return ((i * h + y) * w + x) * c + ch;
}

/// Rounds every value to the nearest fp16 (inputs the fp16 paths and the reference share).
inline void round_to_half(std::vector<float>& v) {
  for (float& f : v) f = __half2float(__float2half_rn(f));
}

}  // namespace wslcuda
