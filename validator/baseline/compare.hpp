#pragma once
// Comparing a candidate with a baseline and deciding the gate (google/benchmark compare.py's
// U test, with a minimum effect as in Bencher and asv).

#include <optional>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "baseline/policy.hpp"
#include "measure/statistics.hpp"
#include "suite/status.hpp"

namespace wslcuda {

/// One id compared. ratio > 1 always means "the candidate is better": it is
/// median(baseline seconds) / median(candidate seconds), i.e. candidate throughput / baseline
/// throughput for every workload, and baseline latency / candidate latency for latency ones.
struct entry_comparison {
  std::string id, family;
  double baseline_median_s = 0.0, candidate_median_s = 0.0;
  double ratio = 0.0;
  ratio_interval ci;       ///< bootstrap 95 % CI of the ratio
  double p_value = 1.0;    ///< Mann–Whitney U, two-sided
  double min_ratio = 0.0;  ///< the policy's minimum for this id
  wslcuda::status verdict = status::skip;
  std::string message;
};

/// The gate rule, with α and the minimum ratio r_min of the policy:
///  - fail: the difference is significant (U test p < α) and the whole CI lies below r_min
///    (the slowdown exceeds the minimum effect with 95 % confidence);
///  - warn: a significant slowdown that is not a fail, or a point estimate below r_min without
///    significance (too noisy to tell);
///  - pass: otherwise (no slowdown, a small one, or a speed-up).
/// Fewer than 5 samples on either side: no test; warn when the point estimate is below r_min.
/// `seed` makes the bootstrap deterministic.
entry_comparison compare_entry(const comparable_entry& baseline, const comparable_entry& candidate,
                               const gate_policy& policy, std::uint64_t seed);

struct document_comparison {
  bool comparable = true;
  std::string why_not;                 ///< "baseline is for NVIDIA H100 …, this is …"
  std::vector<entry_comparison> rows;  ///< ids in both, in the candidate's order
  std::vector<std::string> only_in_baseline, only_in_candidate;
  wslcuda::status verdict = status::skip;  ///< aggregate of the rows
};

/// Compares every id present in both. Documents for different GPU models are not gated: every
/// row is `skip` with the reason, and comparable is false.
document_comparison compare_documents(const comparable_document& baseline,
                                      const comparable_document& candidate,
                                      const gate_policy& policy);

/// Seed of an id's bootstrap: a hash of the id, so results do not depend on order.
std::uint64_t comparison_seed(const std::string& id) noexcept;

}  // namespace wslcuda
