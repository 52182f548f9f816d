#include "model/executions.hpp"

#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace wslcuda {

const char* to_string(bound_kind b) noexcept {
  switch (b) {
    case bound_kind::device:
      return "device";
    case bound_kind::link:
      return "link";
    case bound_kind::host:
      return "host";
  }
  return "device";
}

std::optional<bound_kind> bound_from_string(std::string_view text) noexcept {
  for (const bound_kind b : {bound_kind::device, bound_kind::link, bound_kind::host})
    if (text == to_string(b)) return b;
  return std::nullopt;
}

const device_record* find_device(const run_report& report, int index) noexcept {
  for (const device_record& d : report.env.devices)
    if (d.index == index) return &d;
  return nullptr;
}

std::optional<double> metric_of(const result_row& row, const std::string& name) {
  for (const auto& [key, value] : row.metrics)
    if (key == name) return value;
  return std::nullopt;
}

std::optional<double> central_seconds(const result_row& row) {
  if (!row.timing) return std::nullopt;
  if (row.executions.size() >= 2) {
    std::vector<double> medians;
    for (const execution_stats& e : row.executions) medians.push_back(e.median_s);
    return median_of(medians);
  }
  return row.timing->median_s;
}

namespace {

// The sentences of bound_reason, shared by the runner's decision and the old reports' fallback.
const char* const kHostClockReason =
    "timed on the host clock: the time includes the host's own work";
const char* const kLinkReason = "a copy over the host link from pinned memory";
const char* const kDeviceReason = "timed on the device";

std::string batch_reason(int batch) {
  return "a batch of " + std::to_string(batch) +
         " back-to-back launches at under 20 us each: the host's submission rate, not the "
         "GPU";  // 20 us: kHostBoundBatchedBelowS
}

/// What bounds a row timed as `t`, guessed from its text (classify_bound's rule for old reports).
std::pair<bound_kind, std::string> bound_from_text(const result_row& row, const timing_block& t) {
  if (t.mode.rfind("host", 0) == 0 || t.mode.find("host steady_clock") != std::string::npos)
    return {bound_kind::host, kHostClockReason};
  if (t.batch > 1 && t.median_s < kHostBoundBatchedBelowS &&
      t.mode.find("no host submission") == std::string::npos)
    return {bound_kind::host, batch_reason(t.batch)};
  const auto has = [&](const char* s) { return row.id.find(s) != std::string::npos; };
  if (row.family == "p2p" ||
      (row.family == "transfer" && has("pinned") && (has("h2d") || has("d2h") || has("bidir"))))
    return {bound_kind::link, kLinkReason};
  return {bound_kind::device, kDeviceReason};
}

}  // namespace

std::pair<bound_kind, std::string> measured_bound(bound_kind declared, bool host_clock, int batch,
                                                  bool replayed, double median_s) {
  if (host_clock) return {bound_kind::host, kHostClockReason};
  if (batch > 1 && !replayed && median_s < kHostBoundBatchedBelowS)
    return {bound_kind::host, batch_reason(batch)};
  switch (declared) {
    case bound_kind::link:
      return {bound_kind::link, kLinkReason};
    case bound_kind::host:
      return {bound_kind::host, "declared host-bound by the workload"};
    case bound_kind::device:
      break;
  }
  return {bound_kind::device, kDeviceReason};
}

void classify_bound(result_row& row) {
  row.bound = bound_kind::device;
  row.bound_reason.clear();
  if (row.timing) std::tie(row.bound, row.bound_reason) = bound_from_text(row, *row.timing);
}

void set_summary(timing_block& t, const sample_summary& s) {
  t.samples = s.n;
  t.median_s = s.median;
  t.mean_s = s.mean;
  t.min_s = s.min;
  t.max_s = s.max;
  t.p90_s = s.p90;
  t.p99_s = s.p99;
  t.stdev_rel = s.stdev_rel;
  t.ci95_lo_s = s.ci95_lo;
  t.ci95_hi_s = s.ci95_hi;
}

std::vector<execution_stats> executions_of(const result_row& row) {
  if (!row.timing) return {};
  if (!row.executions.empty()) return row.executions;
  const timing_block& t = *row.timing;
  return {execution_stats{0, t.values_s.size(), t.median_s, t.min_s, t.max_s, t.stdev_rel}};
}

std::vector<double> execution_samples(const result_row& row, const execution_stats& e) {
  if (!row.timing) return {};
  const std::vector<double>& v = row.timing->values_s;
  if (e.first_sample > v.size() || e.samples > v.size() - e.first_sample) return {};
  const auto begin = v.begin() + static_cast<std::ptrdiff_t>(e.first_sample);
  return std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(e.samples));
}

result_row merge_executions(const std::vector<result_row>& rows) {
  if (rows.empty()) throw std::invalid_argument("merge_executions: no rows");
  for (const result_row& r : rows)
    if (r.id != rows.front().id)
      throw std::invalid_argument("merge_executions: ids differ (" + rows.front().id + ", " + r.id +
                                  ")");
  if (rows.size() == 1) return rows.front();
  result_row out = rows.front();
  std::vector<status> statuses;
  const result_row* first_bad = nullptr;
  for (const result_row& r : rows) {
    statuses.push_back(r.status);
    if (first_bad == nullptr && r.status != status::pass) first_bad = &r;
  }
  out.status = aggregate(statuses);
  out.message = (first_bad != nullptr ? first_bad->message : rows.front().message) + " (" +
                std::to_string(rows.size()) + " executions)";
  if (first_bad != nullptr && first_bad->correctness) out.correctness = first_bad->correctness;
  // A row's error describes a row of status error; the merged status is never error.
  out.error = out.status == status::error && first_bad != nullptr ? first_bad->error : std::nullopt;

  // Every execution's time counts in the row's phases.
  out.phases.reset();
  for (const result_row& r : rows) {
    if (!r.phases) continue;
    if (!out.phases) out.phases = phase_times{};
    phase_times& p = *out.phases;
    p.setup += r.phases->setup;
    p.verify += r.phases->verify;
    p.warmup += r.phases->warmup;
    p.samples += r.phases->samples;
    if (r.phases->worker) p.worker = p.worker.value_or(0.0) + *r.phases->worker;
  }
  std::vector<double> pooled;
  std::vector<execution_stats> executions;
  const timing_block* first_timing = nullptr;
  const result_row* first_timed = nullptr;
  for (const result_row& r : rows) {
    if (!r.timing) continue;
    if (first_timing == nullptr) {
      first_timing = &*r.timing;
      first_timed = &r;
    }
    for (execution_stats e : executions_of(r)) {
      const std::vector<double> samples = execution_samples(r, e);
      e.first_sample = pooled.size();
      e.samples = samples.size();
      pooled.insert(pooled.end(), samples.begin(), samples.end());
      executions.push_back(e);
    }
  }
  if (first_timing == nullptr || pooled.empty()) {
    out.timing.reset();
    out.throughput.reset();
    out.executions.clear();
    out.bound = bound_kind::device;  // rows without timing: device, no reason
    out.bound_reason.clear();
    return out;
  }
  const sample_summary s = summarize(pooled);
  timing_block t = *first_timing;
  set_summary(t, s);
  t.values_s = std::move(pooled);
  // Throughput from the first timed execution (an earlier one may have errored), rescaled.
  out.throughput = first_timed->throughput;
  if (out.throughput && first_timing->median_s > 0.0 && s.median > 0.0) {
    const double scale = first_timing->median_s / s.median;  // throughput = work / median
    out.throughput->value *= scale;
    if (out.throughput->fraction_of_peak) *out.throughput->fraction_of_peak *= scale;
  }
  out.timing = std::move(t);
  out.executions = std::move(executions);
  // The bound of the most host-dependent execution, as each recorded it (one may have fallen
  // back from a replayed batch to launches one by one).
  out.bound = first_timed->bound;
  out.bound_reason = first_timed->bound_reason;
  for (const result_row& r : rows) {
    if (r.timing && r.bound > out.bound) {
      out.bound = r.bound;
      out.bound_reason = r.bound_reason;
      out.timing->mode = r.timing->mode;
    }
  }
  return out;
}

std::vector<result_row> merge_by_id(const std::vector<result_row>& rows) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<result_row>> by_id;
  for (const result_row& r : rows) {
    auto& group = by_id[r.id];
    if (group.empty()) order.push_back(r.id);
    group.push_back(r);
  }
  std::vector<result_row> out;
  out.reserve(order.size());
  for (const std::string& id : order) out.push_back(merge_executions(by_id[id]));
  return out;
}

}  // namespace wslcuda
