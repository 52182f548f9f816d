#pragma once
// A row's verdict, from the measurement and the judgement kept apart (CUTLASS's profiler keeps an
// operation's status apart from its disposition the same way): every writer (console, JSON,
// JUnit, Markdown, HTML, CSV) and the exit code call these, so nothing ever folds a judgement
// into a measurement, and nothing has to undo one.

#include <string>
#include <vector>

#include "model/result.hpp"
#include "model/status.hpp"

namespace wslcuda {

/// The worse of two statuses in the order error > fail > warn > pass > skip.
status worse(status a, status b) noexcept;

/// The judgement's verdict on `row`, when it judges it: the baseline block's verdict when the
/// row was gated, else the floor's verdict when the floor was applied; pass, warn or fail. skip
/// when nothing judges the row (not compared, not gated, information only).
status judged_verdict(const result_row& row) noexcept;

/// The row's verdict: the worse of its measured status and its judged verdict, where a judged
/// pass never lifts a measured skip, warn, fail or error. This is the row's `status` in the JSON
/// report (what pandas users read); `measured_status` keeps the measurement's own.
status row_verdict(const result_row& row) noexcept;

/// The row's message as people read it: the measured message, then "; baseline: …" when a gated
/// baseline comparison warns or fails, and "; floor: …" when an applied floor does. Built from
/// the fields every time, never parsed back.
std::string row_message(const result_row& row);

/// row_verdict of every row, in order.
std::vector<status> row_verdicts(const std::vector<result_row>& rows);

}  // namespace wslcuda
