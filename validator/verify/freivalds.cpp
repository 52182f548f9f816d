#include "verify/freivalds.hpp"

#include <cmath>
#include <random>
#include <sstream>

namespace wslcuda {

check_result check_gemm_freivalds(const gemm_view& g, double bound, const std::string& method,
                                  std::uint64_t seed, int samples) {
  std::mt19937_64 rng(seed);
  const std::int64_t m = g.m, n = g.n, k = g.k;
  const std::int64_t non_finite = count_non_finite(g.c, m * n);

  std::vector<compared_element> rows;  // Freivalds rows, scaled like elements
  for (int vector = 0; vector < 2; ++vector) {
    std::vector<double> x(static_cast<std::size_t>(n)), bx(static_cast<std::size_t>(k), 0.0),
        abs_bx(static_cast<std::size_t>(k), 0.0);
    for (double& v : x) v = ((rng() & 1) ? 1.0 : -1.0) * ((rng() & 1) ? 1.0 : 0.5);
    for (std::int64_t p = 0; p < k; ++p)
      for (std::int64_t j = 0; j < n; ++j) {
        const double bpj = static_cast<double>(g.b[p * n + j]);
        bx[static_cast<std::size_t>(p)] += bpj * x[static_cast<std::size_t>(j)];
        abs_bx[static_cast<std::size_t>(p)] += std::fabs(bpj * x[static_cast<std::size_t>(j)]);
      }
    for (std::int64_t i = 0; i < m; ++i) {
      double cx = 0.0, abx = 0.0, scale = 0.0;
      for (std::int64_t j = 0; j < n; ++j)
        cx += static_cast<double>(g.c[i * n + j]) * x[static_cast<std::size_t>(j)];
      for (std::int64_t p = 0; p < k; ++p) {
        const double aip = static_cast<double>(g.a[i * k + p]);
        abx += aip * bx[static_cast<std::size_t>(p)];
        scale += std::fabs(aip) * abs_bx[static_cast<std::size_t>(p)];
      }
      rows.push_back({i, cx, abx, scale});
    }
  }
  // Rows are checked with the element bound: |Σ_j x_j e_ij| ≤ Σ_j |x_j| bound (|A||B|)_ij.
  check_result freivalds = check_elements(rows, 0, bound, "", "");

  std::vector<compared_element> sampled;
  std::uniform_int_distribution<std::int64_t> pick(0, m * n - 1);
  for (int s = 0; s < samples; ++s) {
    const std::int64_t idx = pick(rng);
    const std::int64_t i = idx / n, j = idx % n;
    double ref = 0.0, scale = 0.0;
    for (std::int64_t p = 0; p < k; ++p) {
      const double t = static_cast<double>(g.a[i * k + p]) * static_cast<double>(g.b[p * n + j]);
      ref += t;
      scale += std::fabs(t);
    }
    sampled.push_back({idx, static_cast<double>(g.c[idx]), ref, scale});
  }
  check_result out = check_elements(sampled, non_finite, bound,
                                    "max over 1024 sampled entries of |C - C_ref| / (|A||B|)_ij",
                                    method + "; Freivalds' check (2 vectors, every row) plus " +
                                        std::to_string(samples) + " seeded sampled entries");
  if (freivalds.out_of_bound > 0 && out.status == status::pass) {
    out.status = status::fail;
    std::ostringstream msg;
    msg << "Freivalds' check failed on " << freivalds.out_of_bound << " of " << freivalds.compared
        << " rows (first row " << freivalds.first_mismatches.front().index << ") although the "
        << samples << " sampled entries passed";
    out.message = msg.str();
  }
  out.compared += freivalds.compared;
  out.out_of_bound += freivalds.out_of_bound;
  return out;
}

}  // namespace wslcuda
