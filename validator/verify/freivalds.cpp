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

  // Every row (and every element of B·x, every sampled entry) is summed in the same order on
  // one thread, so the result does not depend on how many threads share the rows.
  std::vector<compared_element> rows(static_cast<std::size_t>(2 * m));  // Freivalds rows
  for (int vector = 0; vector < 2; ++vector) {
    std::vector<double> x(static_cast<std::size_t>(n)), bx(static_cast<std::size_t>(k), 0.0),
        abs_bx(static_cast<std::size_t>(k), 0.0);
    for (double& v : x) v = ((rng() & 1) ? 1.0 : -1.0) * ((rng() & 1) ? 1.0 : 0.5);
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < k; ++p) {
      double sum = 0.0, abs_sum = 0.0;
      for (std::int64_t j = 0; j < n; ++j) {
        const double t = static_cast<double>(g.b[p * n + j]) * x[static_cast<std::size_t>(j)];
        sum += t;
        abs_sum += std::fabs(t);
      }
      bx[static_cast<std::size_t>(p)] = sum;
      abs_bx[static_cast<std::size_t>(p)] = abs_sum;
    }
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < m; ++i) {
      double cx = 0.0, abx = 0.0, scale = 0.0;
      for (std::int64_t j = 0; j < n; ++j)
        cx += static_cast<double>(g.c[i * n + j]) * x[static_cast<std::size_t>(j)];
      for (std::int64_t p = 0; p < k; ++p) {
        const double aip = static_cast<double>(g.a[i * k + p]);
        abx += aip * bx[static_cast<std::size_t>(p)];
        scale += std::fabs(aip) * abs_bx[static_cast<std::size_t>(p)];
      }
      rows[static_cast<std::size_t>(vector * m + i)] = {i, cx, abx, scale};
    }
  }
  // Rows are checked with the element bound: |Σ_j x_j e_ij| ≤ Σ_j |x_j| bound (|A||B|)_ij.
  check_result freivalds = check_elements(rows, 0, bound, "", "");

  std::vector<compared_element> sampled(static_cast<std::size_t>(samples));
  std::uniform_int_distribution<std::int64_t> pick(0, m * n - 1);
  for (compared_element& e : sampled) e.index = pick(rng);
#pragma omp parallel for schedule(static)
  for (int s = 0; s < samples; ++s) {
    const std::int64_t idx = sampled[static_cast<std::size_t>(s)].index;
    const std::int64_t i = idx / n, j = idx % n;
    double ref = 0.0, scale = 0.0;
    for (std::int64_t p = 0; p < k; ++p) {
      const double t = static_cast<double>(g.a[i * k + p]) * static_cast<double>(g.b[p * n + j]);
      ref += t;
      scale += std::fabs(t);
    }
    sampled[static_cast<std::size_t>(s)] = {idx, static_cast<double>(g.c[idx]), ref, scale};
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
