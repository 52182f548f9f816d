#pragma once
// Why a judgement came out as it did: a stable code beside every sentence (nvbench's robust
// compare keeps a DecisionReason(code, message) the same way). Behaviour, grouping and tests
// decide from codes; the sentences are for people and may be reworded. The codes are part of the
// report format (reports/schema/report.schema.json, `reason` of a row's baseline and floor blocks
// and of summary.gate).

#include <optional>
#include <string_view>

namespace wslcuda {

enum class reason_code {
  // A row compared with a baseline and gated (baseline_block::gated):
  within_threshold,        ///< pass: ratio at or above the threshold (a slowdown within the noise)
  slower_every_execution,  ///< fail: ratio below the threshold, every candidate execution slower
  slower_some_executions,  ///< warn: ratio below the threshold, some execution overlaps
  slower_some_samples,     ///< warn: one execution, slower in only part of its samples (re-run)
  // A row compared but not gated:
  one_execution_no_floor,    ///< one execution on each side and no noise floor for the id
  too_noisy,                 ///< the noise-widened threshold falls below the bound's floor ratio
  host_bound_other_machine,  ///< host-bound, and the baseline ran on another machine
  timing_method_differs,     ///< baseline and candidate timed differently (e.g. graph vs batch)
  // A row not compared:
  no_matching_baseline,  ///< no baseline for this GPU model (or none asked for)
  no_entry,              ///< the baseline has no entry for this id
  not_timed,             ///< the row has no timing (skipped, failed, error)
  not_compared,          ///< the comparison could not be made (an input out of range)
  // A health floor (floor_block):
  above_floor,        ///< pass
  below_floor,        ///< warn: under the floor
  far_below_floor,    ///< fail: under the floor's fail line (broken rather than slow)
  peak_unknown,       ///< skip: the peak the floor is a fraction of is unknown here
  reference_missing,  ///< skip: no passing vendor row in the run to compare with
  information,        ///< skip: information without a verdict (launch latencies)
  // The gate as a whole (summary.gate):
  enough_evidence,      ///< enough rows judged and passing for the verdict to stand
  too_little_evidence,  ///< fewer than the policy's evidence fraction judged and passing
  nothing_judged,       ///< no row could be judged at all
};

/// The code's name as written in reports, e.g. "too_noisy".
const char* to_string(reason_code r) noexcept;
/// Inverse of to_string(reason_code); nullopt for anything else.
std::optional<reason_code> reason_from_string(std::string_view text) noexcept;

}  // namespace wslcuda
