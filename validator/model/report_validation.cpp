#include "model/report_validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "measure/units.hpp"
#include "model/json.hpp"

namespace wslcuda {
namespace {

[[noreturn]] void refuse(const std::string& where, const std::string& rule,
                         const std::string& got = "") {
  throw input_error(where + ": " + rule + (got.empty() ? "" : " (got " + got + ")"));
}

bool positive(double v) {
  return std::isfinite(v) && v > 0.0;
}

/// a ≤ b with kReportOrderSlack.
bool ordered(double a, double b) {
  return a <= b + kReportOrderSlack * std::fabs(b);
}

/// |a − b| ≤ kReportRelativeTolerance × |b|.
bool agrees(double a, double b) {
  return std::fabs(a - b) <= kReportRelativeTolerance * std::fabs(b);
}

/// The median of `v` (copied; the mean of the two middle values for an even count, as NumPy's
/// linear rule gives for the 50th percentile).
double median_of_copy(std::vector<double> v) {
  const std::size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
  const double upper = v[n / 2];
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return lower + (upper - lower) / 2.0;
}

void check_timing(const timing_block& t, const std::string& w) {
  if (t.samples == 0) refuse(w + "/samples", "a timing block has at least one sample", "0");
  // values_s is every sample, or empty where the samples were not kept (the run store keeps a
  // report without them and its samples apart: history/record.cpp).
  if (!t.values_s.empty() && t.samples != t.values_s.size())
    refuse(w + "/samples", "samples equals the number of values_s",
           std::to_string(t.samples) + " and " + std::to_string(t.values_s.size()) + " values");
  for (std::size_t i = 0; i < t.values_s.size(); ++i)
    if (!positive(t.values_s[i]))
      refuse(w + "/values_s/" + std::to_string(i), "every time is finite and > 0",
             format_general(t.values_s[i], 17));
  const std::pair<const char*, double> times[] = {
      {"median_s", t.median_s}, {"mean_s", t.mean_s},      {"min_s", t.min_s},
      {"max_s", t.max_s},       {"ci95_s/0", t.ci95_lo_s}, {"ci95_s/1", t.ci95_hi_s}};
  for (const auto& [key, v] : times)
    if (!positive(v)) refuse(w + "/" + key, "every time is finite and > 0", format_general(v, 17));
  // p90_s and p99_s are absent (0) in 1.0 reports; given, they are times.
  for (const auto& [key, v] :
       {std::pair<const char*, double>{"p90_s", t.p90_s}, {"p99_s", t.p99_s}})
    if (v != 0.0 && !positive(v))
      refuse(w + "/" + key, "every time is finite and > 0", format_general(v, 17));
  if (!ordered(t.min_s, t.median_s) || !ordered(t.median_s, t.max_s))
    refuse(w + "/median_s", "min_s <= median_s <= max_s",
           format_general(t.min_s, 17) + " <= " + format_general(t.median_s, 17) +
               " <= " + format_general(t.max_s, 17));
  if (!ordered(t.min_s, t.mean_s) || !ordered(t.mean_s, t.max_s))
    refuse(w + "/mean_s", "min_s <= mean_s <= max_s",
           format_general(t.min_s, 17) + " <= " + format_general(t.mean_s, 17) +
               " <= " + format_general(t.max_s, 17));
  if (t.p90_s != 0.0 || t.p99_s != 0.0) {
    if (!ordered(t.median_s, t.p90_s) || !ordered(t.p90_s, t.p99_s) || !ordered(t.p99_s, t.max_s))
      refuse(w + "/p90_s", "median_s <= p90_s <= p99_s <= max_s",
             format_general(t.median_s, 17) + " <= " + format_general(t.p90_s, 17) +
                 " <= " + format_general(t.p99_s, 17) + " <= " + format_general(t.max_s, 17));
  }
  if (!ordered(t.ci95_lo_s, t.ci95_hi_s))
    refuse(w + "/ci95_s", "the interval is [low, high], not reversed",
           "[" + format_general(t.ci95_lo_s, 17) + ", " + format_general(t.ci95_hi_s, 17) + "]");
  if (!ordered(t.ci95_lo_s, t.median_s) || !ordered(t.median_s, t.ci95_hi_s) ||
      !ordered(t.min_s, t.ci95_lo_s) || !ordered(t.ci95_hi_s, t.max_s))
    refuse(w + "/ci95_s", "min_s <= ci95 low <= median_s <= ci95 high <= max_s",
           "[" + format_general(t.ci95_lo_s, 17) + ", " + format_general(t.ci95_hi_s, 17) +
               "] around " + format_general(t.median_s, 17));
  if (!std::isfinite(t.stdev_rel) || t.stdev_rel < 0.0)
    refuse(w + "/stdev_rel", "a finite number >= 0", format_general(t.stdev_rel, 17));
  if (t.batch < 1) refuse(w + "/batch", "at least one run per sample", std::to_string(t.batch));
  if (t.warmup_runs < 0) refuse(w + "/warmup_runs", "not negative", std::to_string(t.warmup_runs));
  if (t.values_s.empty()) return;
  const auto [lo, hi] = std::minmax_element(t.values_s.begin(), t.values_s.end());
  if (!agrees(t.min_s, *lo))
    refuse(w + "/min_s", "min_s is the smallest of values_s",
           format_general(t.min_s, 17) + " vs " + format_general(*lo, 17));
  if (!agrees(t.max_s, *hi))
    refuse(w + "/max_s", "max_s is the largest of values_s",
           format_general(t.max_s, 17) + " vs " + format_general(*hi, 17));
  const double median = median_of_copy(t.values_s);
  if (!agrees(t.median_s, median))
    refuse(w + "/median_s", "median_s is the median of values_s",
           format_general(t.median_s, 17) + " vs " + format_general(median, 17));
}

void check_executions(const result_row& r, const std::string& where) {
  for (std::size_t i = 0; i < r.executions.size(); ++i) {
    const execution_stats& e = r.executions[i];
    const std::string w = where + "/executions/" + std::to_string(i);
    for (const auto& [key, v] : {std::pair<const char*, double>{"median_s", e.median_s},
                                 {"min_s", e.min_s},
                                 {"max_s", e.max_s}})
      if (!positive(v))
        refuse(w + "/" + key, "every time is finite and > 0", format_general(v, 17));
    if (!ordered(e.min_s, e.median_s) || !ordered(e.median_s, e.max_s))
      refuse(w + "/median_s", "min_s <= median_s <= max_s",
             format_general(e.min_s, 17) + " <= " + format_general(e.median_s, 17) +
                 " <= " + format_general(e.max_s, 17));
    // The reader checked that the slices tile values_s.
    const auto first = r.timing->values_s.begin() + static_cast<std::ptrdiff_t>(e.first_sample);
    const std::vector<double> slice(first, first + static_cast<std::ptrdiff_t>(e.samples));
    const auto [lo, hi] = std::minmax_element(slice.begin(), slice.end());
    if (!agrees(e.min_s, *lo) || !agrees(e.max_s, *hi) ||
        !agrees(e.median_s, median_of_copy(slice)))
      refuse(w, "min_s, median_s and max_s are those of the execution's samples in values_s",
             format_general(e.min_s, 17) + ", " + format_general(e.median_s, 17) + ", " +
                 format_general(e.max_s, 17) + " vs " + format_general(*lo, 17) + ", " +
                 format_general(median_of_copy(slice), 17) + ", " + format_general(*hi, 17));
  }
}

void check_correctness(const result_row& r, const std::string& where) {
  const correctness_block& c = *r.correctness;
  const std::string w = where + "/correctness";
  // value and bound are infinite when the file holds null (not computable).
  if (std::isnan(c.value) || c.value < 0.0)
    refuse(w + "/value", "an error is >= 0", format_general(c.value, 17));
  if (std::isnan(c.bound) || c.bound < 0.0)
    refuse(w + "/bound", "a bound is >= 0", format_general(c.bound, 17));
  for (const auto& [key, n] : {std::pair<const char*, std::int64_t>{"compared", c.compared},
                               {"out_of_bound", c.out_of_bound},
                               {"non_finite", c.non_finite}})
    if (n < 0) refuse(w + "/" + key, "a count is >= 0", std::to_string(n));
  if (c.compared > 0 && c.out_of_bound > c.compared - c.non_finite)
    refuse(w + "/out_of_bound", "out_of_bound + non_finite <= compared",
           std::to_string(c.out_of_bound) + " + " + std::to_string(c.non_finite) + " of " +
               std::to_string(c.compared));
  if (r.status != status::pass && r.status != status::warn) return;
  const std::string st = to_string(r.status);
  if (!std::isfinite(c.value) || !(c.value <= c.bound))
    refuse(w + "/value",
           "a " + st + " row's error is finite and within its bound (above it is fail)",
           format_general(c.value, 17) + " > " + format_general(c.bound, 17));
  if (c.out_of_bound > 0)
    refuse(w + "/out_of_bound", "a " + st + " row has no element out of its bound",
           std::to_string(c.out_of_bound));
  if (c.non_finite > 0)
    refuse(w + "/non_finite", "a " + st + " row has no non-finite element",
           std::to_string(c.non_finite));
}

void check_throughput(const result_row& r, const std::string& where) {
  const throughput_block& t = *r.throughput;
  const std::string w = where + "/throughput";
  if (!r.timing) refuse(w, "a throughput needs a timing block");
  if (!positive(t.value))
    refuse(w + "/value", "a throughput is finite and > 0", format_general(t.value, 17));
  if (t.unit != "FLOP/s" && t.unit != "B/s")
    refuse(w + "/unit", "FLOP/s or B/s", "\"" + t.unit + "\"");
  const double work = t.unit == "FLOP/s" ? r.flops : r.bytes;
  const char* work_key = t.unit == "FLOP/s" ? "flops" : "bytes";
  if (!std::isfinite(work) || work < 0.0)
    refuse(where + "/" + work_key, "work per run is finite and >= 0", format_general(work, 17));
  if (work > 0.0 && !agrees(t.value * r.timing->median_s, work))
    refuse(w + "/value",
           std::string("throughput x timing/median_s equals the row's ") + work_key +
               " per run (within 1 %)",
           format_general(t.value, 17) + " x " + format_general(r.timing->median_s, 17) + " = " +
               format_general(t.value * r.timing->median_s, 17) + " vs " +
               format_general(work, 17));
  if (t.peak && !positive(*t.peak))
    refuse(w + "/peak", "a peak is finite and > 0", format_general(*t.peak, 17));
  if (!t.fraction_of_peak) return;
  const double f = *t.fraction_of_peak;
  if (!std::isfinite(f) || f < 0.0)
    refuse(w + "/fraction_of_peak", "a finite number >= 0", format_general(f, 17));
  if (t.peak && !agrees(f, t.value / *t.peak))
    refuse(w + "/fraction_of_peak", "fraction_of_peak equals value / peak (within 1 %)",
           format_general(f, 17) + " vs " + format_general(t.value / *t.peak, 17));
  if (f > 1.0 + kReportRelativeTolerance && r.status != status::error)
    refuse(w + "/fraction_of_peak",
           "above 100 % of the peak is an error, and this row's status is " +
               std::string(to_string(r.status)),
           format_general(f, 17));
}

void check_baseline(const baseline_block& b, const std::string& w) {
  if (b.ratio && !positive(*b.ratio))
    refuse(w + "/ratio", "a ratio is finite and > 0", format_general(*b.ratio, 17));
  if (b.value && !positive(*b.value))
    refuse(w + "/value", "a baseline value is finite and > 0", format_general(*b.value, 17));
  if (b.ci95_lo && b.ci95_hi && !ordered(*b.ci95_lo, *b.ci95_hi))
    refuse(w + "/ci95", "the interval is [low, high], not reversed",
           "[" + format_general(*b.ci95_lo, 17) + ", " + format_general(*b.ci95_hi, 17) + "]");
}

}  // namespace

void validate_report_rows(const run_report& report, const std::string& source) {
  std::map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const result_row& r = report.results[i];
    const std::string where = source + ": /results/" + std::to_string(i);
    if (const auto [it, fresh] = first_index.emplace(r.id, i); !fresh)
      refuse(where + "/id", "duplicate id \"" + r.id + "\" (row ids are unique; also at /results/" +
                                std::to_string(it->second) + ")");
    if (r.status == status::skip && r.timing)
      refuse(where + "/timing", "a skipped row carries no timing");
    if (r.status == status::skip && r.throughput)
      refuse(where + "/throughput", "a skipped row carries no throughput");
    if (r.timing) {
      check_timing(*r.timing, where + "/timing");
      check_executions(r, where);
    }
    if (r.correctness) check_correctness(r, where);
    if (r.throughput) check_throughput(r, where);
    if (r.baseline) check_baseline(*r.baseline, where + "/baseline");
  }
}

std::vector<std::string> gpu_models_of_rows(const run_report& report) {
  std::vector<std::string> out;
  for (const result_row& r : report.results)
    for (const device_record& d : report.env.devices)
      if (r.timing)
        if (d.index == r.device && !d.name.empty() &&
            std::find(out.begin(), out.end(), d.name) == out.end())
          out.push_back(d.name);
  return out;
}

}  // namespace wslcuda
