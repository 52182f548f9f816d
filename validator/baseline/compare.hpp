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
///  - the row's bound is the more host-dependent of the two sides' (device < link < host);
///    host-bound rows are gated only when every execution of both sides ran on the candidate's
///    machine (same GPU UUID): the dual-boot case;
///  - a gated row fails when ratio < threshold AND every candidate execution is slower than
///    every baseline execution (nvbench's robust-compare interval rule, at execution level);
///    it warns when ratio < threshold otherwise (some execution overlaps the baseline's); else
///    it passes, a slowdown within the noise included. An ungated row is `skip`
///    with the reason, its ratio still shown.
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
  std::size_t gated = 0, gated_pass = 0;   ///< rows gated, and of those passing
  std::string evidence;                    ///< "gated 98 of 147 baseline rows; 98 pass"
  wslcuda::status verdict = status::skip;  ///< aggregate of the gated rows and the evidence
};

/// Compares every id present in both. Documents for different GPU models are not gated: every
/// row is `skip` with the reason, and comparable is false. The verdict is the aggregate of the
/// gated rows, but never pass when fewer than [min_evidence_fraction] of the baseline's entries
/// were gated and passed: then it is warn and `evidence` says how much the gate rested on.
document_comparison compare_documents(const comparable_document& baseline,
                                      const comparable_document& candidate,
                                      const gate_policy& policy);

/// Seed of an id's bootstrap: a hash of the id, so results do not depend on order.
std::uint64_t comparison_seed(const std::string& id) noexcept;

}  // namespace wslcuda
