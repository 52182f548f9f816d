#include "baseline/compare.hpp"
#include "measure/units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace wslcuda {
namespace {

/// Each execution as at most kBaselineQuantiles sorted quantiles and its sample count: the
/// bootstrap draws an execution's median from its quantile function (statistics.hpp), so its
/// cost does not grow with 10 000-sample host-timed rows.
std::vector<execution_distribution> distributions_of(const comparable_entry& e) {
  std::vector<execution_distribution> out;
  for (const comparable_execution& x : e.executions)
    out.push_back(execution_distribution{spaced_percentiles(x.samples_s, kBaselineQuantiles),
                                         std::max(x.n, x.samples_s.size())});
  return out;
}

/// Whether two timing methods (comparable_entry::timing_method) differ for the gate: both known
/// and different, either "mixed", or a baseline from before methods were recorded (all captured
/// from plain batches) against a batch replayed as a CUDA graph.
bool methods_differ(const std::string& baseline, const std::string& candidate) {
  if (baseline == "mixed" || candidate == "mixed") return true;
  if (baseline.empty()) return candidate == to_string(timing_method::cuda_graph);
  if (candidate.empty()) return baseline == to_string(timing_method::cuda_graph);
  return baseline != candidate;
}

std::string method_words(const std::string& method) {
  if (method == to_string(timing_method::host_clock)) return "on the host clock";
  if (method == to_string(timing_method::cuda_graph))
    return "as a batch replayed as one CUDA graph";
  if (method == to_string(timing_method::cuda_events))
    return "with CUDA events around plain launches";
  if (method == "mixed") return "by several methods (merged)";
  return "with CUDA events around plain launches (recorded before graph replay)";
}

/// baseline central / the candidate execution's q-quantile sample: the ratio of its fast samples;
/// nullopt without samples.
std::optional<double> quantile_ratio(double baseline_central_s, const comparable_execution& x,
                                     double q) {
  if (x.samples_s.empty()) return std::nullopt;
  std::vector<double> s = x.samples_s;
  std::sort(s.begin(), s.end());
  const double v = percentile_sorted(s, 100.0 * q);
  return v > 0.0 ? std::optional<double>(baseline_central_s / v) : std::nullopt;
}

/// Whether every execution of both sides ran on `machine`.
bool all_on(const comparable_entry& e, const std::string& machine) {
  return std::all_of(e.executions.begin(), e.executions.end(),
                     [&](const comparable_execution& x) { return x.machine == machine; });
}

}  // namespace

std::uint64_t comparison_seed(const std::string& id) noexcept {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bit
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

entry_comparison compare_entry(const comparable_entry& baseline, const comparable_entry& candidate,
                               const std::string& candidate_machine, const gate_policy& policy,
                               std::uint64_t seed) {
  entry_comparison r;
  r.id = candidate.id;
  r.family = candidate.family;
  // The more host-dependent of the two sides: a baseline timed through the host's submission
  // rate cannot judge a device-timed candidate across machines, nor the other way round.
  r.bound = std::max(baseline.bound, candidate.bound);
  const std::string& bound_reason =
      r.bound == candidate.bound ? candidate.bound_reason : baseline.bound_reason;
  r.baseline_central_s = baseline.central_s;
  r.candidate_central_s = candidate.central_s;
  r.baseline_executions = static_cast<int>(baseline.executions.size());
  r.candidate_executions = static_cast<int>(candidate.executions.size());
  r.min_ratio = min_ratio_for(policy, candidate.id, candidate.family);
  r.ratio = candidate.central_s > 0.0 ? baseline.central_s / candidate.central_s : 0.0;
  if (policy.bootstrap_resamples > 0 && !baseline.executions.empty() &&
      !candidate.executions.empty())
    r.ci = hierarchical_bootstrap_ratio(distributions_of(baseline), distributions_of(candidate),
                                        seed, policy.bootstrap_resamples, 1.0 - policy.alpha);

  // Noise: the larger of the baseline's execution spread (with two executions or more) and the
  // policy's floor for the id (two executions that happen to agree say little about a row that
  // jumps between levels). The candidate's own spread is not used: a transient dip that
  // confirmation runs outvote must not make its row ungated.
  bool have_noise = false;
  if (baseline.executions.size() >= 2) {
    r.noise = execution_spread(baseline.executions);
    r.noise_from = "baseline spread " + format_percent(r.noise) + " over " +
                   std::to_string(baseline.executions.size()) + " executions";
    have_noise = true;
  }
  if (const noise_floor* floor = noise_floor_for(policy, candidate.id)) {
    if (!have_noise || floor->spread > r.noise) {
      r.noise = floor->spread;
      r.noise_from = "noise floor " + format_percent(floor->spread) + " of " + floor->glob;
    }
    have_noise = true;
  }
  r.threshold = std::min(r.min_ratio, 1.0 / (1.0 + policy.noise_k * r.noise));
  const double floor = floor_ratio_for(policy, r.bound);
  const bool same_machine = !candidate_machine.empty() && all_on(baseline, candidate_machine) &&
                            all_on(candidate, candidate_machine);
  r.gated = false;
  if (methods_differ(baseline.timing_method, candidate.timing_method)) {
    r.reason = reason_code::timing_method_differs;
    r.why_not_gated = "timed differently: baseline " + method_words(baseline.timing_method) +
                      ", candidate " + method_words(candidate.timing_method) +
                      " (recapture the baseline with this version)";
  } else if (!have_noise) {
    r.reason = reason_code::one_execution_no_floor;
    r.why_not_gated =
        "one execution on each side and no noise floor for this id in the policy: no noise "
        "estimate (use --repeat 3, or a baseline captured from several runs)";
  } else if (r.threshold < floor) {
    r.reason = reason_code::too_noisy;
    r.why_not_gated = "too noisy to gate: " + r.noise_from + " gives a threshold of " +
                      format_fixed(r.threshold, 3) + ", below the floor " + format_fixed(floor, 3) +
                      " for " + to_string(r.bound) + "-bound rows";
  } else if (r.bound == bound_kind::host && !same_machine) {
    r.reason = reason_code::host_bound_other_machine;
    r.why_not_gated = "host-bound (" + bound_reason +
                      "): baseline from another machine, so its speed is the host's";
  } else {
    r.gated = true;
  }

  char buf[320];
  std::snprintf(buf, sizeof buf, "%.3fx of baseline", r.ratio);
  r.message = buf;
  if (r.ci) {
    std::snprintf(buf, sizeof buf, " (%.0f%% CI %.3f-%.3f)", 100.0 * (1.0 - policy.alpha),
                  r.ci->low, r.ci->high);
    r.message += buf;
  }
  std::snprintf(buf, sizeof buf, ", %d vs %d executions", r.baseline_executions,
                r.candidate_executions);
  r.message += buf;
  if (!baseline.algorithm.empty() && !candidate.algorithm.empty() &&
      baseline.algorithm != candidate.algorithm) {
    r.baseline_algorithm = baseline.algorithm;
    r.candidate_algorithm = candidate.algorithm;
    r.message += "; algorithms differ: baseline ran " + baseline.algorithm + ", candidate " +
                 candidate.algorithm;
  }
  if (!r.gated) {
    r.verdict = status::skip;
    r.message += "; not gated: " + r.why_not_gated;
    return r;
  }
  double slowest_baseline = 0.0, fastest_candidate = INFINITY;
  for (const comparable_execution& x : baseline.executions)
    slowest_baseline = std::max(slowest_baseline, x.value_s);
  for (const comparable_execution& x : candidate.executions)
    fastest_candidate = std::min(fastest_candidate, x.value_s);
  const bool beyond_threshold = r.ratio < r.threshold;
  const bool every_execution_slower = fastest_candidate > slowest_baseline;
  std::snprintf(buf, sizeof buf, "; threshold %.3f (minimum %.2f, %s)", r.threshold, r.min_ratio,
                r.noise_from.empty() ? "no noise" : r.noise_from.c_str());
  r.message += buf;
  if (beyond_threshold && every_execution_slower) {
    // One execution cannot tell a slower driver from interference during that execution: its
    // fast samples can. A slower driver slows every sample.
    const std::optional<double> fast_ratio =
        candidate.executions.size() == 1
            ? quantile_ratio(baseline.central_s, candidate.executions.front(),
                             policy.partial_slowdown_quantile)
            : std::nullopt;
    if (fast_ratio && *fast_ratio >= r.threshold) {
      r.verdict = status::warn;
      r.reason = reason_code::slower_some_samples;
      std::snprintf(buf, sizeof buf,
                    ": slower than the policy allows, but only in part of its one execution's "
                    "samples (ratio %.3f at its %.0fth percentile): interference during the run "
                    "rather than a slower driver; re-run to confirm",
                    *fast_ratio, 100.0 * policy.partial_slowdown_quantile);
      r.message += buf;
    } else {
      r.verdict = status::fail;
      r.reason = reason_code::slower_every_execution;
      r.message += ": slower than the policy allows, in every execution";
    }
  } else if (beyond_threshold) {
    r.verdict = status::warn;
    r.reason = reason_code::slower_some_executions;
    r.message += ": slower than the policy allows, but not in every execution";
  } else {
    r.verdict = status::pass;
    r.reason = reason_code::within_threshold;
    if (r.ratio < r.min_ratio) r.message += ": slower than the minimum effect, within the noise";
  }
  return r;
}

document_comparison compare_documents(const comparable_document& baseline,
                                      const comparable_document& candidate,
                                      const gate_policy& policy) {
  document_comparison out;
  std::map<std::string, const comparable_entry*> base;
  for (const comparable_entry& e : baseline.entries) base[e.id] = &e;
  std::map<std::string, bool> in_candidate;
  if (!same_gpu_model(baseline.context, candidate.context)) {
    out.comparable = false;
    out.why_not = "no matching baseline: " + baseline.source + " is for " +
                  (baseline.context.gpu_name.empty() ? std::string("an unknown GPU")
                                                     : baseline.context.gpu_name) +
                  " (" + baseline.context.compute_capability + "), this is " +
                  (candidate.context.gpu_name.empty() ? std::string("an unknown GPU")
                                                      : candidate.context.gpu_name) +
                  " (" + candidate.context.compute_capability + ")";
  }
  const std::string machine =
      candidate.context.machines.size() == 1 ? candidate.context.machines.front() : "";
  std::vector<status> verdicts;
  for (const comparable_entry& c : candidate.entries) {
    in_candidate[c.id] = true;
    const auto it = base.find(c.id);
    if (it == base.end()) {
      out.only_in_candidate.push_back(c.id);
      continue;
    }
    entry_comparison row = compare_entry(*it->second, c, machine, policy, comparison_seed(c.id));
    // Statistics that overflowed (timings near DBL_MAX) would print as nan and pass: the input
    // is out of range, and says which row.
    for (const double v : {row.baseline_central_s, row.candidate_central_s, row.ratio,
                           row.ci ? row.ci->low : 1.0, row.ci ? row.ci->high : 1.0})
      if (!std::isfinite(v))
        throw input_error(candidate.source + " vs " + baseline.source + ": row " + c.id +
                          ": a statistic is not a finite number (timings out of range)");
    if (!out.comparable) {
      row.verdict = status::skip;
      row.gated = false;
      row.reason = reason_code::no_matching_baseline;
      row.why_not_gated = out.why_not;
      row.message = out.why_not;
    }
    if (row.gated) {
      ++out.gated;
      if (row.verdict == status::pass) ++out.gated_pass;
    }
    verdicts.push_back(row.verdict);
    out.rows.push_back(std::move(row));
  }
  for (const comparable_entry& b : baseline.entries)
    if (!in_candidate.count(b.id)) out.only_in_baseline.push_back(b.id);
  out.verdict = aggregate(verdicts);
  // The evidence is counted over the baseline rows the candidate's run attempted (a --filter or
  // --quick run is judged on what it ran); a row that errored, was skipped or lost its timing
  // still counts against it.
  std::size_t total = 0;
  for (const comparable_entry& b : baseline.entries)
    total += candidate.attempted.empty() || candidate.attempted.count(b.id) ? 1 : 0;
  out.attempted = total;
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "gated %zu of the %zu baseline rows this run attempted; %zu of them pass",
                out.gated, total, out.gated_pass);
  out.evidence = buf;
  if (out.comparable)
    out.evidence_reason =
        apply_evidence_rule(total, out.gated, out.gated_pass, policy, out.verdict, out.evidence);
  return out;
}

reason_code apply_evidence_rule(std::size_t base, std::size_t judged, std::size_t passed,
                                const gate_policy& policy, status& verdict, std::string& evidence) {
  const double fraction = base > 0 ? static_cast<double>(passed) / base : 0.0;
  const reason_code reason = judged == 0 ? reason_code::nothing_judged
                             : fraction < policy.min_evidence_fraction
                                 ? reason_code::too_little_evidence
                                 : reason_code::enough_evidence;
  if (reason != reason_code::enough_evidence &&
      (verdict == status::pass || verdict == status::skip)) {
    verdict = status::warn;
    char buf[120];
    std::snprintf(buf, sizeof buf,
                  " (%.0f %%, under the policy's %.0f %%: too little evidence to pass)",
                  100.0 * fraction, 100.0 * policy.min_evidence_fraction);
    evidence += buf;
  }
  return reason;
}

}  // namespace wslcuda
