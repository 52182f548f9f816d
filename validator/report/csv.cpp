#include "report/csv.hpp"

#include "model/verdict.hpp"

#include <charconv>
#include <map>
#include <set>

#include "measure/statistics.hpp"
#include "model/executions.hpp"
#include "model/printable.hpp"

namespace wslcuda {
namespace {

std::string number(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round trip
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string number(const std::optional<double>& v) {
  return v ? number(*v) : std::string();
}

std::string integer(std::int64_t v) {
  return std::to_string(v);
}

std::string shape_text(const result_row& r) {
  std::string s;
  for (const auto& [name, extent] : r.shape)
    s += (s.empty() ? "" : " ") + name + "=" + std::to_string(extent);
  return s;
}

/// The timing columns of one line: a whole row, or one execution of it.
struct timing_cells {
  std::string execution, executions, samples, median, mean, min, max, p90, p99, stdev_rel, lo, hi;
};

timing_cells pooled_cells(const result_row& r) {
  timing_cells c;
  if (!r.timing) return c;
  const timing_block& t = *r.timing;
  c.execution = "1";
  c.executions = "1";
  c.samples = integer(static_cast<std::int64_t>(t.samples));
  c.median = number(t.median_s);
  c.mean = number(t.mean_s);
  c.min = number(t.min_s);
  c.max = number(t.max_s);
  c.p90 = number(t.p90_s);
  c.p99 = number(t.p99_s);
  c.stdev_rel = number(t.stdev_rel);
  c.lo = number(t.ci95_lo_s);
  c.hi = number(t.ci95_hi_s);
  return c;
}

timing_cells execution_cells(const result_row& r, std::size_t i) {
  const execution_stats& e = r.executions[i];
  timing_cells c;
  c.execution = std::to_string(i + 1);
  c.executions = std::to_string(r.executions.size());
  c.samples = integer(static_cast<std::int64_t>(e.samples));
  c.median = number(e.median_s);
  c.min = number(e.min_s);
  c.max = number(e.max_s);
  c.stdev_rel = number(e.stdev_rel);
  if (const std::vector<double> samples = execution_samples(r, e); !samples.empty()) {
    const sample_summary s = summarize(samples);
    c.mean = number(s.mean);
    c.p90 = number(s.p90);
    c.p99 = number(s.p99);
    c.lo = number(s.ci95_lo);
    c.hi = number(s.ci95_hi);
  }
  return c;
}

}  // namespace

std::string csv_field(const std::string& raw) {
  // Valid UTF-8 always, no control but newline and tab: bytes that are not UTF-8 (a file name
  // in another encoding), NUL, ESC and the rest as \xNN (pandas would stop at NUL or refuse
  // the bytes: UnicodeDecodeError).
  const std::string text = terminal_safe(raw);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string report_driver(const run_report& report) {
  const driver_info& d = report.env.driver;
  if (d.windows_driver_version) return *d.windows_driver_version;
  if (d.nvml_driver_version) return *d.nvml_driver_version;
  if (d.kernel_module_version) return *d.kernel_module_version;
  return "";
}

std::string report_host(const run_report& report) {
  const host_info& h = report.env.host;
  std::string s = h.is_wsl ? "WSL " + std::to_string(h.wsl_version) + ", " : std::string();
  s += h.distro;
  if (!h.kernel_release.empty())
    s += (h.distro.empty() ? "" : ", ") + ("kernel " + h.kernel_release);
  return s;
}

std::vector<std::string> csv_fixed_columns() {
  return {"report",
          "started_at",
          "gpu",
          "driver",
          "host",
          "is_wsl",
          "id",
          "family",
          "implementation",
          "precision",
          "shape",
          "device",
          "status",
          "message",
          "measured_status",
          "bound",
          "execution",
          "executions",
          "samples",
          "median_s",
          "mean_s",
          "min_s",
          "max_s",
          "p90_s",
          "p99_s",
          "stdev_rel",
          "ci95_lo_s",
          "ci95_hi_s",
          "throughput",
          "throughput_unit",
          "peak",
          "fraction_of_peak",
          "busbw_bytes_per_s",
          "flops",
          "bytes",
          "correctness_value",
          "correctness_bound",
          "baseline_ratio",
          "baseline_ci95_lo",
          "baseline_ci95_hi",
          "baseline_threshold",
          "baseline_gated",
          "baseline_verdict",
          "baseline_reason",
          "baseline_why_not_gated",
          "floor_verdict",
          "floor_reason",
          "floor_applied"};
}

std::size_t csv_lines_for(const result_row& row) {
  return row.timing && row.executions.size() >= 2 ? row.executions.size() : 1;
}

std::string csv_table(const std::vector<csv_source>& reports) {
  std::set<std::string> shape_names;
  for (const csv_source& src : reports)
    for (const result_row& r : src.report->results)
      for (const auto& extent : r.shape) shape_names.insert(extent.first);

  std::string out;
  bool first = true;
  for (const std::string& c : csv_fixed_columns()) {
    out += (first ? "" : ",") + csv_field(c);
    first = false;
  }
  for (const std::string& n : shape_names) out += "," + csv_field("shape." + n);
  out += "\n";

  for (const csv_source& src : reports) {
    const run_report& report = *src.report;
    const std::string driver = report_driver(report), host = report_host(report);
    for (const result_row& r : report.results) {
      const device_record* dev = find_device(report, r.device);
      std::map<std::string, std::int64_t> extents(r.shape.begin(), r.shape.end());
      const std::size_t lines = csv_lines_for(r);
      for (std::size_t line = 0; line < lines; ++line) {
        const timing_cells t = lines > 1 ? execution_cells(r, line) : pooled_cells(r);
        std::string fraction, peak, value, unit;
        if (r.throughput) {
          value = number(r.throughput->value);
          unit = r.throughput->unit;
          peak = number(r.throughput->peak);
          fraction = number(r.throughput->fraction_of_peak);
        }
        std::string ratio, lo, hi, threshold, gated, verdict, reason, why;
        if (r.baseline) {
          const baseline_block& b = *r.baseline;
          ratio = number(b.ratio);
          lo = number(b.ci95_lo);
          hi = number(b.ci95_hi);
          threshold = number(b.threshold);
          gated = b.gated ? (*b.gated ? "true" : "false") : "";
          verdict = to_string(b.verdict);
          reason = to_string(b.reason);
          why = b.why_not_gated;
        }
        std::string floor_verdict, floor_reason, floor_applied;
        if (r.floor) {
          floor_verdict = to_string(r.floor->verdict);
          floor_reason = to_string(r.floor->reason);
          floor_applied = r.floor->applied ? "true" : "false";
        }
        const std::vector<std::string> cells = {src.name,
                                                report.started_at,
                                                dev != nullptr ? dev->name : std::string(),
                                                driver,
                                                host,
                                                report.env.host.is_wsl ? "true" : "false",
                                                r.id,
                                                r.family,
                                                r.implementation,
                                                r.precision,
                                                shape_text(r),
                                                std::to_string(r.device),
                                                to_string(row_verdict(r)),
                                                row_message(r),
                                                to_string(r.status),
                                                r.timing ? to_string(r.bound) : "",
                                                t.execution,
                                                t.executions,
                                                t.samples,
                                                t.median,
                                                t.mean,
                                                t.min,
                                                t.max,
                                                t.p90,
                                                t.p99,
                                                t.stdev_rel,
                                                t.lo,
                                                t.hi,
                                                value,
                                                unit,
                                                peak,
                                                fraction,
                                                number(metric_of(r, "busbw_bytes_per_s")),
                                                number(r.flops),
                                                number(r.bytes),
                                                r.correctness ? number(r.correctness->value) : "",
                                                r.correctness ? number(r.correctness->bound) : "",
                                                ratio,
                                                lo,
                                                hi,
                                                threshold,
                                                gated,
                                                verdict,
                                                reason,
                                                why,
                                                floor_verdict,
                                                floor_reason,
                                                floor_applied};
        first = true;
        for (const std::string& c : cells) {
          out += (first ? "" : ",") + csv_field(c);
          first = false;
        }
        for (const std::string& n : shape_names) {
          const auto it = extents.find(n);
          out += "," + (it == extents.end() ? std::string() : integer(it->second));
        }
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace wslcuda
