#include "verify/check.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace wslcuda {

std::int64_t count_non_finite(const float* out, std::int64_t n) noexcept {
  std::int64_t bad = 0;
  for (std::int64_t i = 0; i < n; ++i) bad += std::isfinite(out[i]) ? 0 : 1;
  return bad;
}

namespace {

/// Accumulates the comparison of elements one at a time.
class comparison {
 public:
  comparison(double bound, std::int64_t non_finite, const std::string& metric,
             const std::string& method) {
    r_.metric = metric;
    r_.method = method;
    r_.bound = bound;
    r_.non_finite = non_finite;
  }
  void add(const compared_element& e) {
    ++r_.compared;
    const double err = std::fabs(e.got - e.expected);
    double scaled = e.scale > 0.0 ? err / e.scale : (err == 0.0 ? 0.0 : INFINITY);
    if (!std::isfinite(e.got)) scaled = std::numeric_limits<double>::infinity();
    // Written so that a NaN comparison counts as out of bound.
    if (!(scaled <= r_.bound)) {
      ++r_.out_of_bound;
      if (r_.first_mismatches.size() < 8) r_.first_mismatches.push_back(e);
    }
    if (!(scaled <= worst_)) worst_ = scaled;
  }
  /// Records `n` elements known to be equal to their reference (error 0).
  void add_equal(std::int64_t n) { r_.compared += n; }
  check_result finish() {
    if (r_.non_finite > 0) worst_ = std::numeric_limits<double>::infinity();
    r_.value = worst_;
    std::ostringstream msg;
    msg.precision(3);
    if (r_.compared == 0) {
      r_.status = status::error;
      msg << "nothing was compared";
    } else if (r_.out_of_bound == 0 && r_.non_finite == 0) {
      r_.status = status::pass;
      msg << "max error " << worst_ << " <= bound " << r_.bound << " (" << r_.compared
          << " compared)";
    } else {
      r_.status = status::fail;
      if (r_.non_finite > 0) msg << r_.non_finite << " NaN/inf in output; ";
      msg << r_.out_of_bound << " of " << r_.compared << " elements out of bound " << r_.bound;
      if (!r_.first_mismatches.empty()) {
        const compared_element& e = r_.first_mismatches.front();
        msg << "; first at index " << e.index << ": got " << e.got << ", expected " << e.expected;
      }
    }
    r_.message = msg.str();
    return r_;
  }

 private:
  check_result r_;
  double worst_ = 0.0;
};

}  // namespace

check_result check_elements(const std::vector<compared_element>& elements,
                            std::int64_t non_finite_in_output, double bound,
                            const std::string& metric, const std::string& method) {
  comparison c(bound, non_finite_in_output, metric, method);
  for (const compared_element& e : elements) c.add(e);
  return c.finish();
}

check_result check_arrays(const float* got, const double* expected, const double* scale,
                          std::int64_t n, std::int64_t non_finite_in_output, double bound,
                          const std::string& metric, const std::string& method) {
  comparison c(bound, non_finite_in_output, metric, method);
  for (std::int64_t i = 0; i < n; ++i) c.add({i, got[i], expected[i], scale[i]});
  return c.finish();
}

check_result check_equal(const float* got, const float* expected, std::int64_t n,
                         const std::string& method) {
  comparison c(0.0, count_non_finite(got, n), "elements not equal to the expected value", method);
  for (std::int64_t i = 0; i < n; ++i) c.add({i, got[i], expected[i], 0.0});
  return c.finish();
}

check_result check_equal_bytes(const unsigned char* got, const unsigned char* expected,
                               std::int64_t n, const std::string& method) {
  comparison c(0.0, 0, "bytes different from the source", method);
  if (n > 0 && std::memcmp(got, expected, static_cast<std::size_t>(n)) == 0) {
    c.add_equal(n);  // the common case, at memcmp speed (1 GiB transfers)
  } else {
    for (std::int64_t i = 0; i < n; ++i) c.add({i, double(got[i]), double(expected[i]), 0.0});
  }
  return c.finish();
}

check_result check_from_wrong_count(std::int64_t wrong, std::int64_t compared,
                                    const std::string& metric, const std::string& method) {
  check_result r;
  r.metric = metric;
  r.method = method;
  r.compared = compared;
  r.out_of_bound = wrong;
  r.value = wrong == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  if (compared <= 0) {
    r.status = status::error;
    r.message = "nothing was compared";
  } else {
    r.status = wrong == 0 ? status::pass : status::fail;
    r.message = std::to_string(wrong) + " wrong of " + std::to_string(compared) + " elements";
  }
  return r;
}

}  // namespace wslcuda
