#include "seeded_reports.hpp"

#include <fnmatch.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

namespace wslcuda_test {

using namespace wslcuda;

std::string hours_after(const std::string& start, long hours) {
  std::tm t{};
  if (std::sscanf(start.c_str(), "%d-%d-%dT%d:%d:%d", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
                  &t.tm_min, &t.tm_sec) != 6)
    return start;
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  const std::time_t when = timegm(&t) + hours * 3600;
  std::tm out{};
  gmtime_r(&when, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &out);
  return buf;
}

run_report seeded_copy(const run_report& base, const seed_options& o) {
  run_report r = base;
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  if (!o.started_at.empty()) {
    r.started_at = o.started_at;
    r.finished_at = hours_after(o.started_at, 1);
  }
  if (o.wsl) {
    r.env.host.is_wsl = *o.wsl;
    r.env.host.wsl_version = *o.wsl ? 2 : 0;
    r.env.host.virtualization = *o.wsl ? "wsl2" : "none detected";
    if (*o.wsl && r.env.host.kernel_release.find("microsoft") == std::string::npos)
      r.env.host.kernel_release = "5.15.167.4-microsoft-standard-WSL2";
  }
  if (!o.driver_version.empty()) {
    if (r.env.host.is_wsl) {
      r.env.driver.windows_driver_version = o.driver_version;
      r.env.driver.kernel_module_version.reset();
    } else {
      r.env.driver.kernel_module_version = o.driver_version;
      r.env.driver.windows_driver_version.reset();
    }
    r.env.driver.nvml_driver_version = o.driver_version;
  }
  if (!o.gpu_uuid.empty())
    for (std::size_t i = 0; i < r.env.devices.size(); ++i)
      r.env.devices[i].uuid = i == 0 ? o.gpu_uuid : o.gpu_uuid + "-" + std::to_string(i);
  for (result_row& row : r.results) {
    const bool scaled =
        o.scale_ids.empty() || ::fnmatch(o.scale_ids.c_str(), row.id.c_str(), 0) == 0;
    const double f = (scaled ? o.scale : 1.0) * std::exp(o.noise * normal(rng));
    if (row.timing) {
      timing_block& t = *row.timing;
      for (double& v : t.values_s) v *= f;
      for (double* v : {&t.median_s, &t.mean_s, &t.min_s, &t.max_s, &t.p90_s, &t.p99_s,
                        &t.ci95_lo_s, &t.ci95_hi_s})
        *v *= f;
    }
    for (execution_stats& e : row.executions) {
      e.median_s *= f;
      e.min_s *= f;
      e.max_s *= f;
    }
    if (row.throughput) {  // the fraction of peak follows the value (model/report_validation.hpp)
      row.throughput->value /= f;
      if (row.throughput->fraction_of_peak) *row.throughput->fraction_of_peak /= f;
    }
  }
  return r;
}

}  // namespace wslcuda_test
