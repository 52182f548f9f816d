#include "baseline/compare.hpp"

#include <cstdio>
#include <map>

namespace wslcuda {

std::uint64_t comparison_seed(const std::string& id) noexcept {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bit
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

entry_comparison compare_entry(const comparable_entry& baseline, const comparable_entry& candidate,
                               const gate_policy& policy, std::uint64_t seed) {
  entry_comparison r;
  r.id = candidate.id;
  r.family = candidate.family;
  r.baseline_median_s = baseline.median_s;
  r.candidate_median_s = candidate.median_s;
  r.min_ratio = min_ratio_for(policy, candidate.id, candidate.family);
  r.ratio = candidate.median_s > 0.0 ? baseline.median_s / candidate.median_s : 0.0;
  r.ci = {r.ratio, r.ratio, r.ratio};
  char buf[256];
  // Below 5 samples per side the U test's normal approximation is unreliable and, with 3, even
  // the exact test cannot reach p < 0.05 (smallest two-sided p = 2 / C(6, 3) = 0.1; Mann &
  // Whitney 1947, Table I).
  constexpr std::size_t kMinSamples = 5;
  if (baseline.samples_s.size() < kMinSamples || candidate.samples_s.size() < kMinSamples) {
    r.verdict = r.ratio < r.min_ratio ? status::warn : status::pass;
    std::snprintf(buf, sizeof buf, "%.3fx of baseline; too few samples to test (%zu and %zu)",
                  r.ratio, baseline.samples_s.size(), candidate.samples_s.size());
    r.message = buf;
    return r;
  }
  r.ci = bootstrap_ratio_of_medians(baseline.samples_s, candidate.samples_s, seed,
                                    policy.bootstrap_resamples);
  r.p_value = mann_whitney_u(candidate.samples_s, baseline.samples_s).p_value;
  const bool significant = r.p_value < policy.alpha;
  const bool slower = r.ratio < 1.0;
  if (significant && slower && r.ci.high < r.min_ratio) {
    r.verdict = status::fail;
  } else if ((significant && slower) || r.ratio < r.min_ratio) {
    r.verdict = status::warn;
  } else {
    r.verdict = status::pass;
  }
  std::snprintf(buf, sizeof buf, "%.3fx of baseline (95%% CI %.3f-%.3f, p=%.2g, minimum %.2f)",
                r.ratio, r.ci.low, r.ci.high, r.p_value, r.min_ratio);
  r.message = buf;
  if (r.verdict == status::fail)
    r.message += ": slower than the policy allows";
  else if (r.verdict == status::warn)
    r.message += significant ? ": a significant slowdown within the minimum effect"
                             : ": below the minimum but not significant";
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
  std::vector<status> verdicts;
  for (const comparable_entry& c : candidate.entries) {
    in_candidate[c.id] = true;
    const auto it = base.find(c.id);
    if (it == base.end()) {
      out.only_in_candidate.push_back(c.id);
      continue;
    }
    entry_comparison row = compare_entry(*it->second, c, policy, comparison_seed(c.id));
    if (!out.comparable) {
      row.verdict = status::skip;
      row.message = out.why_not;
    }
    verdicts.push_back(row.verdict);
    out.rows.push_back(std::move(row));
  }
  for (const comparable_entry& b : baseline.entries)
    if (!in_candidate.count(b.id)) out.only_in_baseline.push_back(b.id);
  out.verdict = aggregate(verdicts);
  return out;
}

}  // namespace wslcuda
