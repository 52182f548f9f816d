#pragma once
// Comparing a candidate with a baseline and deciding the gate. The execution (one worker
// process) is the unit: within one process samples are tight, so tests over pooled samples call
// any two runs "significantly" different (NVIDIA/nvbench#316); the variance that matters lies
// between executions and between machines. Anchors: google/benchmark's compare.py (a U test
// over repetitions, never iterations), nvbench's robust compare (PR #386: slower only when the
// candidate clears the reference's spread), Chromium Pinpoint (one value per execution, more
// attempts while unclear), Perfherder and Conbench (a minimum size of change).

#include <optional>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "baseline/policy.hpp"
#include "measure/statistics.hpp"
#include "model/status.hpp"

namespace wslcuda {

/// One id compared. ratio > 1 always means "the candidate is better": it is baseline central
/// seconds / candidate central seconds (central = median over executions of each execution's
/// median), i.e. candidate throughput / baseline throughput.
struct entry_comparison {
  std::string id, family;
  bound_kind bound = bound_kind::device;
  double baseline_central_s = 0.0, candidate_central_s = 0.0;
  double ratio = 0.0;
  std::optional<ratio_interval> ci;  ///< hierarchical bootstrap; none with 0 resamples
  double min_ratio = 0.0;            ///< the policy's minimum effect for this id
  double noise = 0.0;                ///< relative execution spread the threshold was widened by
  std::string noise_from;  ///< "baseline spread 1.2 % over 2 executions", "noise floor …"
  double threshold = 0.0;  ///< min(min_ratio, 1 / (1 + k × noise)): the ratio that fails
  bool gated = false;
  std::string why_not_gated;
  /// Why the verdict: within_threshold, slower_every_execution, slower_some_executions or
  /// slower_some_samples when gated; one_execution_no_floor, too_noisy,
  /// host_bound_other_machine, timing_method_differs or no_matching_baseline when not.
  reason_code reason = reason_code::not_compared;
  int baseline_executions = 0, candidate_executions = 0;
  /// The two sides' algorithms when they differ (the row is still judged on time).
  std::string baseline_algorithm, candidate_algorithm;
  wslcuda::status verdict = status::skip;
  std::string message;
};

/// The gate rule for one id (policy fields in brackets):
///  - noise: the larger of the baseline's relative execution spread (execution_spread; with at
///    least two executions) and the first matching [noise_floors] entry; with neither (one
///    baseline execution, no floor for the id) the row is not gated;
///  - threshold = min([min ratio], 1 / (1 + [noise_k] × noise)); below the [floor_ratio] of the
///    row's bound the row is too noisy to gate;
///  - rows timed by different methods (timing_method: a batch replayed as one CUDA graph against
///    a plain batch) are not gated (timing_method_differs); a baseline entry without a method
///    (before baseline 1.2.0) was timed before batches were replayed, so it differs from a
///    replayed candidate only;
///  - the row's bound is the more host-dependent of the two sides' (device < link < host);
///    host-bound rows are gated only when every execution of both sides ran on the candidate's
///    machine (same GPU UUID): the dual-boot case;
///  - a gated row fails when ratio < threshold AND every candidate execution is slower than
///    every baseline execution (nvbench's robust-compare interval rule, at execution level);
///    it warns when ratio < threshold otherwise (some execution overlaps the baseline's); else
///    it passes, a slowdown within the noise included. A candidate of one execution that would
///    fail only warns ("re-run to confirm", slower_some_samples) when its
///    [partial_slowdown_quantile] sample is within the threshold of the baseline: its fast
///    samples run at baseline speed. An ungated row is `skip` with the reason, its ratio still
///    shown.
/// `candidate_machine` is the candidate's GPU UUID ("" = unknown). `seed` makes the bootstrap
/// deterministic.
entry_comparison compare_entry(const comparable_entry& baseline, const comparable_entry& candidate,
                               const std::string& candidate_machine, const gate_policy& policy,
                               std::uint64_t seed);

struct document_comparison {
  bool comparable = true;
  std::string why_not;                 ///< "baseline is for NVIDIA H100 …, this is …"
  std::vector<entry_comparison> rows;  ///< ids in both, in the candidate's order
  std::vector<std::string> only_in_baseline, only_in_candidate;
  std::size_t gated = 0, gated_pass = 0;  ///< rows gated, and of those passing
  std::size_t attempted = 0;  ///< baseline rows the candidate's run attempted (the evidence's base)
  std::string evidence;       ///< "gated 98 of the 147 baseline rows this run attempted; …"
  /// enough_evidence, too_little_evidence (fewer than [min_evidence_fraction] of `attempted`
  /// gated and passing) or nothing_judged (none gated).
  reason_code evidence_reason = reason_code::nothing_judged;
  wslcuda::status verdict = status::skip;  ///< aggregate of the gated rows and the evidence
};

/// Compares every id present in both. Documents for different GPU models are not gated: every
/// row is `skip` with the reason (no_matching_baseline), and comparable is false. The verdict is
/// the aggregate of the gated rows, but never pass when fewer than [min_evidence_fraction] of
/// the baseline's entries the candidate attempted were gated and passed: then it is warn,
/// `evidence_reason` says too_little_evidence (or nothing_judged) and `evidence` how much the
/// gate rested on.
document_comparison compare_documents(const comparable_document& baseline,
                                      const comparable_document& candidate,
                                      const gate_policy& policy);

/// The evidence rule, for baselines and health floors alike: of `base` rows the judge could
/// judge, `judged` were judged and `passed` passed. nothing_judged when none was judged,
/// too_little_evidence when passed / base is under [min_evidence_fraction], else
/// enough_evidence. When the rule is not met and `verdict` is pass or skip, it becomes warn and
/// `evidence` gains "(40 %, under the policy's 50 %: too little evidence to pass)".
reason_code apply_evidence_rule(std::size_t base, std::size_t judged, std::size_t passed,
                                const gate_policy& policy, status& verdict, std::string& evidence);

/// Seed of an id's bootstrap: a hash of the id, so results do not depend on order.
std::uint64_t comparison_seed(const std::string& id) noexcept;

}  // namespace wslcuda
