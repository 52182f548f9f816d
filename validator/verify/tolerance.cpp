#include "verify/tolerance.hpp"

#include <cmath>
#include <limits>

namespace wslcuda {

double unit_roundoff(number_format f) noexcept {
  switch (f) {
    case number_format::f64:
      return std::ldexp(1.0, -53);
    case number_format::f32:
      return std::ldexp(1.0, -24);
    case number_format::tf32:
      return std::ldexp(1.0, -11);
    case number_format::f16:
      return std::ldexp(1.0, -11);
    case number_format::bf16:
      return std::ldexp(1.0, -8);
  }
  return 1.0;
}

double gamma_n(std::int64_t n, double u) noexcept {
  const double nu = static_cast<double>(n) * u;
  if (nu >= 1.0) return std::numeric_limits<double>::infinity();
  return nu / (1.0 - nu);
}

namespace {
const char* format_name(number_format f) {
  switch (f) {
    case number_format::f64:
      return "f64";
    case number_format::f32:
      return "f32";
    case number_format::tf32:
      return "tf32";
    case number_format::f16:
      return "f16";
    case number_format::bf16:
      return "bf16";
  }
  return "?";
}
}  // namespace

error_bound dot_product_bound(std::int64_t k, number_format accumulate) {
  error_bound b;
  b.value = gamma_n(k, unit_roundoff(accumulate)) + gamma_n(k, unit_roundoff(number_format::f64));
  b.method = std::string("fp64 reference; |err_ij| <= gamma_k(u_") + format_name(accumulate) +
             ") * (|A||B|)_ij with k=" + std::to_string(k) +
             " (Higham 2002, eq. 3.5), plus gamma_k(u_f64) for the reference";
  return b;
}

error_bound tensor_core_gemm_bound(std::int64_t k, number_format input, bool inputs_rounded) {
  error_bound b;
  const double u_in = unit_roundoff(input);
  const double rounding = inputs_rounded ? 2.0 * u_in : 0.0;
  b.value = rounding + gamma_n(k, 2.0 * unit_roundoff(number_format::f32)) +
            gamma_n(k, unit_roundoff(number_format::f64));
  b.method = std::string("fp64 reference; |err_ij| <= (") +
             (inputs_rounded ? "2u_" + std::string(format_name(input)) + " + " : "") +
             "gamma_k(2u_f32)) * (|A||B|)_ij with k=" + std::to_string(k) +
             " (Higham 2002 eq. 3.5; truncating tensor-core accumulation: Fasi et al. 2021)";
  return b;
}

error_bound summation_bound(std::int64_t tree_height, std::int64_t n, number_format accumulate) {
  error_bound b;
  b.value = gamma_n(tree_height, unit_roundoff(accumulate)) +
            gamma_n(n > 1 ? n - 1 : 1, unit_roundoff(number_format::f64));
  b.method = std::string("fp64 reference; |err| <= gamma_h(u_") + format_name(accumulate) +
             ") * sum|x_i| with summation-tree height h=" + std::to_string(tree_height) +
             " (Higham 2002, eq. 4.3), plus gamma_{n-1}(u_f64) for the reference";
  return b;
}

std::int64_t cub_sum_tree_height(std::int64_t n, int sm_count) noexcept {
  const std::int64_t threads = 256 * std::int64_t{sm_count > 0 ? sm_count : 1};
  return (n + threads - 1) / threads + 64;
}

error_bound softmax_bound(std::int64_t tree_height) {
  const double u = unit_roundoff(number_format::f32);
  error_bound b;
  b.value = gamma_n(tree_height, u) + 8.0 * u;
  b.method = "fp64 reference; |y - y_ref| / y_ref <= gamma_h(u_f32) + 8u with row tree height h=" +
             std::to_string(tree_height) + " (expf 2 ulp, rounded x - max, sum, division)";
  return b;
}

error_bound layernorm_bound(std::int64_t tree_height) {
  const double u = unit_roundoff(number_format::f32);
  error_bound b;
  b.value = gamma_n(tree_height + 3, u) + 8.0 * u;
  b.method =
      "fp64 reference; |y - y_ref| <= (gamma_{h+3}(u_f32) + 8u) * (|y_ref| + r * "
      "mean|x|) with row tree height h=" +
      std::to_string(tree_height) + ", r = 1/sqrt(var + eps) (mean, variance, rsqrtf 2 ulp)";
  return b;
}

}  // namespace wslcuda
