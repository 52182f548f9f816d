#include "model/reason.hpp"

#include <array>
#include <utility>

namespace wslcuda {
namespace {

constexpr std::array<std::pair<reason_code, const char*>, 21> kNames = {{
    {reason_code::within_threshold, "within_threshold"},
    {reason_code::slower_every_execution, "slower_every_execution"},
    {reason_code::slower_some_executions, "slower_some_executions"},
    {reason_code::slower_some_samples, "slower_some_samples"},
    {reason_code::one_execution_no_floor, "one_execution_no_floor"},
    {reason_code::too_noisy, "too_noisy"},
    {reason_code::host_bound_other_machine, "host_bound_other_machine"},
    {reason_code::timing_method_differs, "timing_method_differs"},
    {reason_code::no_matching_baseline, "no_matching_baseline"},
    {reason_code::no_entry, "no_entry"},
    {reason_code::not_timed, "not_timed"},
    {reason_code::not_compared, "not_compared"},
    {reason_code::above_floor, "above_floor"},
    {reason_code::below_floor, "below_floor"},
    {reason_code::far_below_floor, "far_below_floor"},
    {reason_code::peak_unknown, "peak_unknown"},
    {reason_code::reference_missing, "reference_missing"},
    {reason_code::information, "information"},
    {reason_code::enough_evidence, "enough_evidence"},
    {reason_code::too_little_evidence, "too_little_evidence"},
    {reason_code::nothing_judged, "nothing_judged"},
}};

}  // namespace

const char* to_string(reason_code r) noexcept {
  for (const auto& [code, name] : kNames)
    if (code == r) return name;
  return "unknown";
}

std::optional<reason_code> reason_from_string(std::string_view text) noexcept {
  for (const auto& [code, name] : kNames)
    if (text == name) return code;
  return std::nullopt;
}

}  // namespace wslcuda
