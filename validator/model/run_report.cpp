#include "model/run_report.hpp"

#include "model/verdict.hpp"

#include <algorithm>
#include <ctime>

namespace wslcuda {

run_timing account_time(const std::vector<result_row>& rows, double wall_s, double probe_s,
                        double judge_s) {
  run_timing t;
  t.wall_s = wall_s;
  t.probe_s = probe_s;
  t.judge_s = judge_s;
  double families = 0.0;
  for (const result_row& r : rows) {
    if (!r.phases) continue;
    const phase_times& p = *r.phases;
    const double s = p.worker.value_or(0.0) + p.setup + p.verify + p.warmup + p.samples;
    families += s;
    auto it = std::find_if(t.families_s.begin(), t.families_s.end(),
                           [&](const auto& f) { return f.first == r.family; });
    if (it == t.families_s.end())
      t.families_s.emplace_back(r.family, s);
    else
      it->second += s;
  }
  t.other_s = std::max(0.0, wall_s - probe_s - judge_s - families);
  return t;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<status> overall_statuses(const run_report& report) {
  std::vector<status> all;
  for (const check_record& c : report.env.checks) all.push_back(c.status);
  for (const result_row& r : report.results) all.push_back(row_verdict(r));
  if (report.gate) all.push_back(report.gate->verdict);
  return all;
}

status overall_verdict(const run_report& report) {
  return aggregate(overall_statuses(report));
}

}  // namespace wslcuda
