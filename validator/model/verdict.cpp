#include "model/verdict.hpp"

namespace wslcuda {
namespace {

int severity(status s) noexcept {
  switch (s) {
    case status::skip:
      return 0;
    case status::pass:
      return 1;
    case status::warn:
      return 2;
    case status::fail:
      return 3;
    case status::error:
      return 4;
  }
  return 0;
}

bool warns_or_fails(status s) noexcept {
  return s == status::warn || s == status::fail;
}

}  // namespace

const char* to_string(timing_method m) noexcept {
  switch (m) {
    case timing_method::host_clock:
      return "host_clock";
    case timing_method::cuda_events:
      return "cuda_events";
    case timing_method::cuda_graph:
      return "cuda_graph";
  }
  return "cuda_events";
}

std::optional<timing_method> timing_method_from_string(std::string_view text) noexcept {
  for (timing_method m :
       {timing_method::host_clock, timing_method::cuda_events, timing_method::cuda_graph})
    if (text == to_string(m)) return m;
  return std::nullopt;
}

status worse(status a, status b) noexcept {
  return severity(b) > severity(a) ? b : a;
}

status judged_verdict(const result_row& row) noexcept {
  if (row.baseline && row.baseline->gated.value_or(false)) return row.baseline->verdict;
  if (row.floor && row.floor->applied &&
      (row.floor->verdict == status::pass || warns_or_fails(row.floor->verdict)))
    return row.floor->verdict;
  return status::skip;
}

status row_verdict(const result_row& row) noexcept {
  const status judged = judged_verdict(row);
  return warns_or_fails(judged) ? worse(row.status, judged) : row.status;
}

std::string row_message(const result_row& row) {
  std::string m = row.message;
  if (row.baseline && row.baseline->gated.value_or(false) && warns_or_fails(row.baseline->verdict))
    m += "; baseline: " + row.baseline->message;
  if (row.floor && row.floor->applied && warns_or_fails(row.floor->verdict))
    m += "; floor: " + row.floor->message;
  return m;
}

std::vector<status> row_verdicts(const std::vector<result_row>& rows) {
  std::vector<status> out;
  out.reserve(rows.size());
  for (const result_row& r : rows) out.push_back(row_verdict(r));
  return out;
}

}  // namespace wslcuda
