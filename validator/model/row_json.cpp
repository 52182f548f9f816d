#include "model/row_json.hpp"

#include <cmath>
#include <cstdint>
#include <utility>

#include "model/executions.hpp"
#include "model/ids.hpp"
#include "model/json_reader.hpp"
#include "model/verdict.hpp"

namespace wslcuda {
namespace {

json shape_to_json(const std::vector<std::pair<std::string, std::int64_t>>& shape) {
  json j = json::object();
  for (const auto& [name, extent] : shape) j[name] = extent;
  return j;
}

/// The block's `reason` code; absent (reports before 1.3.0) gives nullopt.
std::optional<reason_code> reason_at(const json& j, const std::string& where) {
  const std::string text = optional_string_at(j, "reason", where);
  if (text.empty()) return std::nullopt;
  const auto r = reason_from_string(text);
  if (!r) throw input_error(where + "/reason: \"" + text + "\" is not a known reason code");
  return r;
}

// Reports before 1.3.0 carry no reason codes: derived once, here, from what those versions
// wrote (their verdicts and sentences). Nothing else ever decides from the sentences.
reason_code legacy_baseline_reason(const baseline_block& b) {
  if (b.gated.value_or(false))
    return b.verdict == status::fail   ? reason_code::slower_every_execution
           : b.verdict == status::warn ? reason_code::slower_some_executions
                                       : reason_code::within_threshold;
  const auto starts = [](const std::string& s, const char* p) { return s.rfind(p, 0) == 0; };
  if (b.gated) {
    if (starts(b.why_not_gated, "too noisy")) return reason_code::too_noisy;
    if (starts(b.why_not_gated, "host-bound")) return reason_code::host_bound_other_machine;
    if (starts(b.why_not_gated, "one execution")) return reason_code::one_execution_no_floor;
    return reason_code::no_matching_baseline;
  }
  if (starts(b.message, "no entry")) return reason_code::no_entry;
  if (starts(b.message, "not timed")) return reason_code::not_timed;
  if (starts(b.message, "not compared")) return reason_code::not_compared;
  return reason_code::no_matching_baseline;
}

reason_code legacy_floor_reason(const floor_block& f) {
  if (f.verdict == status::pass) return reason_code::above_floor;
  if (f.verdict == status::warn) return reason_code::below_floor;
  if (f.verdict == status::fail) return reason_code::far_below_floor;
  if (f.metric.rfind("information", 0) == 0) return reason_code::information;
  if (f.message.find("no passing") != std::string::npos) return reason_code::reference_missing;
  return reason_code::peak_unknown;
}

/// Reports before 1.3.0 folded a baseline or floor verdict into a passing row's status and
/// appended "; baseline: …" or "; floor: …" to its message: undone once, here, so that the row
/// holds the measurement's own outcome again (row_verdict folds it back for the writers).
void unfold_legacy_judgement(result_row& r) {
  std::size_t cut = std::string::npos;
  for (const char* marker : {"; baseline: ", "; floor: "})
    cut = std::min(cut, r.message.find(marker));
  if (cut == std::string::npos) return;
  r.message.erase(cut);
  // Only a passing measurement was ever folded into warn or fail.
  if (r.status == status::warn || r.status == status::fail) r.status = status::pass;
}

/// Reports before 1.3.0 name the timing method only in the mode's words.
timing_method legacy_timing_method(const timing_block& t) {
  if (t.mode.rfind("host", 0) == 0) return timing_method::host_clock;
  if (t.mode.find("replayed as one CUDA graph") != std::string::npos)
    return timing_method::cuda_graph;
  return timing_method::cuda_events;
}

}  // namespace

json to_json(const result_row& r) {
  json j{{"id", r.id},
         {"family", r.family},
         {"implementation", r.implementation},
         {"precision", r.precision},
         {"shape", shape_to_json(r.shape)},
         {"device", r.device},
         {"status", to_string(row_verdict(r))},
         {"message", row_message(r)},
         {"measured_status", to_string(r.status)},
         {"measured_message", r.message},
         {"flops", r.flops},
         {"bytes", r.bytes}};
  if (r.error) {
    j["error"] = json{{"kind", to_string(r.error->kind)}};
    if (!r.error->cuda_name.empty()) j["error"]["cuda_name"] = r.error->cuda_name;
  }
  if (!r.algorithm.empty()) j["algorithm"] = r.algorithm;
  if (r.correctness) {
    const correctness_block& c = *r.correctness;
    // value may be +inf (NaN in the output): JSON has no infinity, so null with the count.
    j["correctness"] = json{{"metric", c.metric},
                            {"value", std::isfinite(c.value) ? json(c.value) : json(nullptr)},
                            {"bound", std::isfinite(c.bound) ? json(c.bound) : json(nullptr)},
                            {"method", c.method},
                            {"seed", c.seed},
                            {"compared", c.compared},
                            {"out_of_bound", c.out_of_bound},
                            {"non_finite", c.non_finite}};
  } else {
    j["correctness"] = nullptr;
  }
  if (r.timing) {
    const timing_block& t = *r.timing;
    j["timing"] = json{{"mode", t.mode},
                       {"method", to_string(t.method)},
                       {"samples", t.samples},
                       {"batch", t.batch},
                       {"warmup_runs", t.warmup_runs},
                       {"median_s", t.median_s},
                       {"mean_s", t.mean_s},
                       {"min_s", t.min_s},
                       {"max_s", t.max_s},
                       {"p90_s", t.p90_s},
                       {"p99_s", t.p99_s},
                       {"stdev_rel", t.stdev_rel},
                       {"ci95_s", json::array({t.ci95_lo_s, t.ci95_hi_s})},
                       {"stop_reason", t.stop_reason},
                       {"values_s", t.values_s}};
  } else {
    j["timing"] = nullptr;
  }
  if (r.throughput) {
    const throughput_block& t = *r.throughput;
    j["throughput"] =
        json{{"value", t.value},
             {"unit", t.unit},
             {"peak", t.peak ? json(*t.peak) : json(nullptr)},
             {"fraction_of_peak", t.fraction_of_peak ? json(*t.fraction_of_peak) : json(nullptr)}};
  } else {
    j["throughput"] = nullptr;
  }
  json metrics = json::object();
  for (const auto& [name, value] : r.metrics)
    metrics[name] = std::isfinite(value) ? json(value) : json(nullptr);
  j["metrics"] = metrics;
  if (r.timing) {
    j["bound"] = to_string(r.bound);
    j["bound_reason"] = r.bound_reason;
    json executions = json::array();
    for (const execution_stats& e : r.executions)
      executions.push_back(json{{"samples", e.samples},
                                {"median_s", e.median_s},
                                {"min_s", e.min_s},
                                {"max_s", e.max_s},
                                {"stdev_rel", e.stdev_rel}});
    j["executions"] = executions;
  }
  if (r.clocks) {
    const clock_block& c = *r.clocks;
    j["clocks"] = json{{"readings", c.readings},
                       {"sm_mhz_median", c.sm_mhz_median},
                       {"sm_mhz_max", c.sm_mhz_max},
                       {"mem_mhz_median", c.mem_mhz_median},
                       {"throttled_fraction", c.throttled_fraction},
                       {"reasons", c.reasons}};
  } else if (r.timing) {
    j["clocks"] = nullptr;
  }
  if (r.phases) {
    const phase_times& p = *r.phases;
    j["phases_s"] = json{{"worker", p.worker ? json(*p.worker) : json(nullptr)},
                         {"setup", p.setup},
                         {"verify", p.verify},
                         {"warmup", p.warmup},
                         {"samples", p.samples}};
  }
  if (r.floor) {
    const floor_block& f = *r.floor;
    j["floor"] = json{{"metric", f.metric},
                      {"value", f.value ? json(*f.value) : json(nullptr)},
                      {"warn_below", f.warn_below},
                      {"fail_below", f.fail_below},
                      {"verdict", to_string(f.verdict)},
                      {"reason", to_string(f.reason)},
                      {"message", f.message},
                      {"remedy", f.remedy},
                      {"applied", f.applied}};
  }
  if (r.baseline) {
    const baseline_block& b = *r.baseline;
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    j["baseline"] = json{
        {"source", b.source.empty() ? json(nullptr) : json(b.source)},
        {"value", opt(b.value)},
        {"unit", b.unit},
        {"ratio", opt(b.ratio)},
        {"ci95", b.ci95_lo && b.ci95_hi ? json::array({*b.ci95_lo, *b.ci95_hi}) : json(nullptr)},
        {"threshold", opt(b.threshold)},
        {"noise", opt(b.noise)},
        {"gated", b.gated ? json(*b.gated) : json(nullptr)},
        {"why_not_gated", b.why_not_gated},
        {"executions",
         {{"baseline", b.baseline_executions}, {"candidate", b.candidate_executions}}},
        {"verdict", to_string(b.verdict)},
        {"reason", to_string(b.reason)},
        {"message", b.message}};
  } else {
    j["baseline"] = nullptr;
  }
  return j;
}

result_row result_from_json(const json& j, const std::string& where) {
  result_row r;
  r.id = current_workload_id(string_at(j, "id", where));  // older reports: renamed ids
  r.family = string_at(j, "family", where);
  r.implementation = string_at(j, "implementation", where);
  r.precision = string_at(j, "precision", where);
  const json& shape = member(j, "shape", where);
  if (!shape.is_object()) throw input_error(where + "/shape: expected an object");
  for (const auto& [name, extent] : shape.items()) {
    const std::optional<std::int64_t> v = checked_number<std::int64_t>(extent);
    if (!v) throw input_error(where + "/shape/" + name + ": expected an integer in range");
    r.shape.emplace_back(name, *v);
  }
  r.device = number_at<int>(j, "device", where);
  // 1.3.0: the measurement's own outcome beside the row's verdict; before, only the verdict.
  const bool measured_apart = find_member(j, "measured_status") != nullptr;
  r.status = status_at(j, measured_apart ? "measured_status" : "status", where);
  r.message = string_at(j, measured_apart ? "measured_message" : "message", where);
  if (const json* e = optional_object(j, "error", where)) {  // 1.3.0
    const std::string w = where + "/error";
    const std::string kind = string_at(*e, "kind", w);
    const auto parsed_kind = error_kind_from_string(kind);
    if (!parsed_kind) throw input_error(w + "/kind: \"" + kind + "\" is not an error kind");
    r.error = error_block{*parsed_kind, optional_string_at(*e, "cuda_name", w)};
  }
  r.flops = optional_number<double>(j, "flops", where, 0.0);
  r.algorithm = optional_string_at(j, "algorithm", where);  // 1.2.0
  r.bytes = optional_number<double>(j, "bytes", where, 0.0);
  if (const json* c = optional_object(j, "correctness", where)) {
    const std::string w = where + "/correctness";
    correctness_block b;
    b.metric = string_at(*c, "metric", w);
    b.value = member(*c, "value", w).is_null() ? INFINITY : number_at(*c, "value", w);
    b.bound = member(*c, "bound", w).is_null() ? INFINITY : number_at(*c, "bound", w);
    b.method = string_at(*c, "method", w);
    b.seed = number_at<std::uint64_t>(*c, "seed", w);
    b.compared = optional_number<std::int64_t>(*c, "compared", w, 0);
    b.out_of_bound = optional_number<std::int64_t>(*c, "out_of_bound", w, 0);
    b.non_finite = optional_number<std::int64_t>(*c, "non_finite", w, 0);
    r.correctness = b;
  }
  if (const json* t = optional_object(j, "timing", where)) {
    const std::string w = where + "/timing";
    timing_block b;
    b.mode = string_at(*t, "mode", w);
    if (const std::string m = optional_string_at(*t, "method", w); !m.empty()) {  // 1.3.0
      const auto method = timing_method_from_string(m);
      if (!method)
        throw input_error(w + "/method: \"" + m + "\" is not one of host_clock, cuda_events, " +
                          "cuda_graph");
      b.method = *method;
    } else {
      b.method = legacy_timing_method(b);
    }
    b.samples = number_at<std::size_t>(*t, "samples", w);
    b.batch = optional_number<int>(*t, "batch", w, 1);
    b.warmup_runs = optional_number<int>(*t, "warmup_runs", w, 0);
    b.median_s = number_at(*t, "median_s", w);
    b.mean_s = number_at(*t, "mean_s", w);
    b.min_s = number_at(*t, "min_s", w);
    b.max_s = number_at(*t, "max_s", w);
    b.p90_s = optional_number<double>(*t, "p90_s", w, 0.0);  // 1.1.0
    b.p99_s = optional_number<double>(*t, "p99_s", w, 0.0);
    b.stdev_rel = number_at(*t, "stdev_rel", w);
    const json& ci = member(*t, "ci95_s", w);
    if (!ci.is_array() || ci.size() != 2 || !ci[0].is_number() || !ci[1].is_number())
      throw input_error(w + "/ci95_s: expected [low, high]");
    b.ci95_lo_s = ci[0].get<double>();
    b.ci95_hi_s = ci[1].get<double>();
    b.stop_reason = string_at(*t, "stop_reason", w);
    const json& values = member(*t, "values_s", w);
    if (!values.is_array()) throw input_error(w + "/values_s: expected an array");
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].is_number())
        throw input_error(w + "/values_s/" + std::to_string(i) + ": expected a number");
      b.values_s.push_back(values[i].get<double>());
    }
    r.timing = b;
  }
  if (const json* t = optional_object(j, "throughput", where)) {
    const std::string w = where + "/throughput";
    throughput_block b;
    b.value = number_at(*t, "value", w);
    b.unit = string_at(*t, "unit", w);
    if (find_member(*t, "peak") != nullptr) b.peak = number_at(*t, "peak", w);
    if (!member(*t, "fraction_of_peak", w).is_null())
      b.fraction_of_peak = number_at(*t, "fraction_of_peak", w);
    r.throughput = b;
  }
  if (const json* b = optional_object(j, "baseline", where)) {
    const std::string w = where + "/baseline";
    baseline_block bb;
    auto opt = [&](const char* key) -> std::optional<double> {
      const auto it = b->find(key);
      if (it == b->end() || it->is_null()) return std::nullopt;
      if (!it->is_number()) throw input_error(w + "/" + key + ": expected a number or null");
      return it->get<double>();
    };
    bb.source = string_member(*b, "source");
    bb.value = opt("value");
    bb.ratio = opt("ratio");
    bb.threshold = opt("threshold");
    if (!bb.threshold) bb.threshold = opt("min_ratio");  // 1.1.0
    bb.noise = opt("noise");
    if (const auto g = b->find("gated"); g != b->end() && !g->is_null()) {
      if (!g->is_boolean()) throw input_error(w + "/gated: expected true, false or null");
      bb.gated = g->get<bool>();
    }
    bb.why_not_gated = string_member(*b, "why_not_gated");
    if (const json* e = optional_object(*b, "executions", w)) {
      bb.baseline_executions = optional_number<int>(*e, "baseline", w + "/executions", 0);
      bb.candidate_executions = optional_number<int>(*e, "candidate", w + "/executions", 0);
    }
    if (const auto ci = b->find("ci95"); ci != b->end() && !ci->is_null()) {
      if (!ci->is_array() || ci->size() != 2 || !(*ci)[0].is_number() || !(*ci)[1].is_number())
        throw input_error(w + "/ci95: expected [low, high] or null");
      bb.ci95_lo = (*ci)[0].get<double>();
      bb.ci95_hi = (*ci)[1].get<double>();
    }
    bb.verdict = status_at(*b, "verdict", w);
    bb.message = string_at(*b, "message", w);
    bb.unit = string_member(*b, "unit");
    bb.reason = reason_at(*b, w).value_or(legacy_baseline_reason(bb));
    r.baseline = bb;
  }
  if (r.timing) {
    classify_bound(r);  // 1.1.0 rows have no bound; newer ones carry the same derivation
    if (const auto b = j.find("bound"); b != j.end() && !b->is_null()) {
      const auto bound = bound_from_string(b->is_string() ? b->get<std::string>() : "");
      if (!bound) throw input_error(where + "/bound: expected one of device, link, host");
      r.bound = *bound;
      if (std::string why = string_member(j, "bound_reason"); !why.empty())
        r.bound_reason = std::move(why);  // else the derived reason stands
    }
    if (const auto e = j.find("executions"); e != j.end() && !e->is_null()) {
      const std::string w = where + "/executions";
      if (!e->is_array()) throw input_error(w + ": expected an array");
      std::size_t first = 0;
      for (std::size_t i = 0; i < e->size(); ++i) {
        const json& x = (*e)[i];
        const std::string wi = w + "/" + std::to_string(i);
        execution_stats s;
        s.first_sample = first;
        s.samples = number_at<std::size_t>(x, "samples", wi);
        if (s.samples == 0)
          throw input_error(wi + "/samples: an execution has at least one sample");
        s.median_s = number_at(x, "median_s", wi);
        s.min_s = number_at(x, "min_s", wi);
        s.max_s = number_at(x, "max_s", wi);
        s.stdev_rel = optional_number<double>(x, "stdev_rel", wi, 0.0);
        if (s.samples > r.timing->values_s.size() - first)
          throw input_error(wi + "/samples: the executions hold more samples than values_s");
        first += s.samples;
        r.executions.push_back(s);
      }
      if (!r.executions.empty() && first != r.timing->values_s.size())
        throw input_error(w + ": the executions' samples do not add up to values_s");
    }
  }
  if (const json* c = optional_object(j, "clocks", where)) {  // 1.2.0
    const std::string w = where + "/clocks";
    clock_block b;
    b.readings = number_at<std::size_t>(*c, "readings", w);
    b.sm_mhz_median = number_at(*c, "sm_mhz_median", w);
    b.sm_mhz_max = number_at(*c, "sm_mhz_max", w);
    b.mem_mhz_median = optional_number<double>(*c, "mem_mhz_median", w, 0.0);
    b.throttled_fraction = number_at(*c, "throttled_fraction", w);
    b.reasons = optional_strings_at(*c, "reasons", w);
    r.clocks = b;
  }
  if (const json* p = optional_object(j, "phases_s", where)) {  // 1.2.0
    const std::string w = where + "/phases_s";
    phase_times t;
    t.setup = optional_number<double>(*p, "setup", w, 0.0);
    t.verify = optional_number<double>(*p, "verify", w, 0.0);
    t.warmup = optional_number<double>(*p, "warmup", w, 0.0);
    t.samples = optional_number<double>(*p, "samples", w, 0.0);
    if (const auto k = p->find("worker"); k != p->end() && !k->is_null())
      t.worker = optional_number<double>(*p, "worker", w, 0.0);
    r.phases = t;
  }
  if (const json* f = optional_object(j, "floor", where)) {  // 1.2.0
    const std::string w = where + "/floor";
    floor_block b;
    b.metric = string_at(*f, "metric", w);
    if (!member(*f, "value", w).is_null()) b.value = number_at(*f, "value", w);
    b.warn_below = number_at(*f, "warn_below", w);
    b.fail_below = number_at(*f, "fail_below", w);
    b.verdict = status_at(*f, "verdict", w);
    b.message = string_at(*f, "message", w);
    b.remedy = string_member(*f, "remedy");
    if (const auto a = f->find("applied"); a != f->end() && a->is_boolean())
      b.applied = a->get<bool>();
    b.reason = reason_at(*f, w).value_or(legacy_floor_reason(b));
    r.floor = b;
  }
  if (const json* m = optional_object(j, "metrics", where)) {  // 1.1.0
    for (const auto& [name, value] : m->items()) {
      if (value.is_null()) continue;
      if (!value.is_number())
        throw input_error(where + "/metrics/" + name + ": expected a number or null");
      r.metrics.emplace_back(name, value.get<double>());
    }
  }
  if (!measured_apart) {
    unfold_legacy_judgement(r);
  } else if (const status verdict = status_at(j, "status", where); verdict != row_verdict(r)) {
    // 1.3.0: `status` is derived; one that does not follow from the rest is a corrupt row.
    throw input_error(where + "/status: \"" + to_string(verdict) +
                      "\" does not follow from measured_status \"" + to_string(r.status) +
                      "\" and the row's judgement (expected \"" + to_string(row_verdict(r)) +
                      "\")");
  }
  return r;
}

}  // namespace wslcuda
