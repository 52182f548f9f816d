#include "baseline/floors.hpp"

#include <cstdio>
#include <optional>

#include <filesystem>

#include "measure/units.hpp"
#include "model/ids.hpp"

namespace wslcuda {
namespace {

/// A fraction as a percentage to 3 significant digits: 0.8 → "80 %", 0.1234 → "12.3 %".
std::string percent3(double fraction) {
  return format_general(100.0 * fraction, 3) + " %";
}

/// "SM clock 1.1 of 1.98 GHz in 80 % of the readings (power cap)", or why there is no answer.
std::string clock_evidence(const result_row& row) {
  if (!row.clocks || row.clocks->readings == 0)
    return "no clock readings for this row (NVML not loaded or not answering, as on some WSL "
           "builds), so throttling cannot be ruled out";
  const clock_block& c = *row.clocks;
  char buf[200];
  if (c.throttled_fraction > 0.0) {
    std::snprintf(buf, sizeof buf,
                  "throttled: SM clock %.2f of %.2f GHz, under %.0f %% in %.0f %% of the readings",
                  c.sm_mhz_median / 1000.0, c.sm_mhz_max / 1000.0,
                  100.0 * kThrottledBelowFractionOfMaxClock, 100.0 * c.throttled_fraction);
  } else {
    std::snprintf(buf, sizeof buf, "not throttled: SM clock %.2f of %.2f GHz",
                  c.sm_mhz_median / 1000.0, c.sm_mhz_max / 1000.0);
  }
  std::string out = buf;
  if (!c.reasons.empty()) {
    out += " (reason";
    out += c.reasons.size() > 1 ? "s: " : ": ";
    for (std::size_t i = 0; i < c.reasons.size(); ++i) out += (i ? ", " : "") + c.reasons[i];
    out += ")";
  }
  return out;
}

}  // namespace

const health_floor* floor_for(const gate_policy& policy, const std::string& id) {
  for (const health_floor& f : policy.floors)
    if (id_matches(id, f.glob)) return &f;
  return nullptr;
}

floor_block judge_floor(const result_row& row, const health_floor& floor,
                        const std::vector<result_row>& all, const std::string& link) {
  floor_block b;
  b.warn_below = floor.warn_below;
  b.fail_below = floor.fail_below;
  if (floor.metric == "versus") {
    std::string other = row.id;
    const std::size_t at = other.find(floor.versus_from);
    if (at != std::string::npos) other.replace(at, floor.versus_from.size(), floor.versus_to);
    b.metric = "ratio to " + other;
    const result_row* vendor = nullptr;
    for (const result_row& r : all)
      if (r.id == other) vendor = &r;
    if (at == std::string::npos || vendor == nullptr || vendor->status != status::pass ||
        !vendor->throughput || !(vendor->throughput->value > 0.0) || !row.throughput) {
      b.verdict = status::skip;
      b.reason = reason_code::reference_missing;
      b.message = "not judged: no passing " + other + " in this run to compare with";
      return b;
    }
    b.value = row.throughput->value / vendor->throughput->value;
  } else {
    b.metric = "fraction of the " + floor.peak;
    if (!row.throughput || !row.throughput->fraction_of_peak) {
      b.verdict = status::skip;
      b.reason = reason_code::peak_unknown;
      b.message = "not judged: the " + floor.peak + " is unknown for this row";
      if (floor.peak.find("link") != std::string::npos)
        b.message += " (" + (link.empty() ? std::string("the link was not probed") : link) + ")";
      else if (floor.peak.find("DRAM") != std::string::npos)
        b.message += " (its working set fits in L2, so DRAM is no ceiling)";
      return b;
    }
    b.value = *row.throughput->fraction_of_peak;
  }
  const double v = *b.value;
  b.verdict = v < floor.fail_below   ? status::fail
              : v < floor.warn_below ? status::warn
                                     : status::pass;
  b.reason = v < floor.fail_below   ? reason_code::far_below_floor
             : v < floor.warn_below ? reason_code::below_floor
                                    : reason_code::above_floor;
  b.message = percent3(v) + " " +
              (floor.metric == "versus" ? "of " + b.metric.substr(9) : "of the " + floor.peak) +
              " (floor " + percent3(floor.warn_below) + ", fail under " +
              percent3(floor.fail_below) + ")";
  if (b.verdict != status::pass) {
    b.message += ": below the floor; likely causes: " + floor.causes;
    if (floor.peak.find("link") != std::string::npos && !link.empty())
      b.message += "; the link reads " + link;
    b.message += "; " + clock_evidence(row);
    b.remedy = floor.remedy;
  }
  return b;
}

void add_latency_information(std::vector<result_row>& rows,
                             const std::vector<comparable_document>& bundled) {
  const result_row* launch = nullptr;
  for (const result_row& r : rows)
    if (r.id == "latency.runtime.none.launch" && r.status == status::pass && r.timing) launch = &r;
  for (result_row& r : rows) {
    if (r.family != "latency" || !r.timing || r.floor || r.status != status::pass) continue;
    floor_block b;
    b.metric = "information (no datasheet figure)";
    b.verdict = status::skip;
    b.reason = reason_code::information;
    std::string text;
    double per_operation = r.timing->median_s;
    bool per_node = false;
    for (const auto& [name, value] : r.metrics)
      if (name == "per_node_s") {
        per_operation = value;
        per_node = true;
      }
    if (launch != nullptr && &r != launch && launch->timing->median_s > 0.0) {
      b.value = per_operation / launch->timing->median_s;
      text = std::string(per_node ? "a graph node costs " : "this operation costs ") +
             format_seconds(per_operation) + ", " + format_fixed(*b.value, 2) +
             " times a plain launch (latency.runtime.none.launch " +
             format_seconds(launch->timing->median_s) + ") in this run";
    }
    for (const comparable_document& d : bundled)
      for (const comparable_entry& e : d.entries)
        if (e.id == r.id) {
          text += std::string(text.empty() ? "" : "; ") +
                  "bare metal: " + format_seconds(e.central_s) + " on " + d.context.gpu_name +
                  " (" + std::filesystem::path(d.source).filename().string() + ")";
          break;
        }
    if (text.empty()) continue;
    b.message = text;
    r.floor = std::move(b);
  }
}

void apply_floors(std::vector<result_row>& rows, const gate_policy& policy, const std::string& link,
                  bool apply) {
  // Judge every row first, then fold: a vendor row that falls below its own floor still serves
  // as the reference of our kernel's "versus" floor.
  std::vector<std::optional<floor_block>> judged(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const result_row& r = rows[i];
    if (r.status != status::pass || !r.timing) continue;
    if (const health_floor* f = floor_for(policy, r.id)) judged[i] = judge_floor(r, *f, rows, link);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].floor = judged[i];
    if (rows[i].floor) rows[i].floor->applied = apply;
  }
}

}  // namespace wslcuda
