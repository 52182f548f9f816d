#pragma once
// Everything one `run` or `doctor` invocation found, in memory: the environment, the rows, the
// gate's summary and where the time went. Written by report/json_report, read back by
// report/report_reader, gated by baseline/.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/environment.hpp"
#include "model/result.hpp"
#include "model/status.hpp"

namespace wslcuda {

/// What the gate of a run rested on (summary.gate of the report).
struct gate_summary {
  std::string baseline;           ///< the baseline file
  std::size_t baseline_rows = 0;  ///< entries in the baseline
  std::size_t gated = 0, gated_pass = 0;
  int confirmation_rounds = 0;
  std::string evidence;  ///< e.g. "gated 136 of the baseline's 147 rows; 136 of them pass"
  wslcuda::status verdict = status::skip;
};

/// Where a run's wall time went, seconds (summary.wall_s and summary.phases_s).
struct run_timing {
  double wall_s = 0.0;   ///< from the start of the command to the outputs
  double probe_s = 0.0;  ///< environment probe and doctor checks
  double judge_s = 0.0;  ///< baseline comparison (with confirmation runs), floors
  /// Per family: the rows' elapsed time (worker start-up and every phase), in first-seen order.
  std::vector<std::pair<std::string, double>> families_s;
  double other_s = 0.0;  ///< the rest: scheduling, samples programs, console output
  /// The sum over families.
  double measured_s() const noexcept {
    double s = 0.0;
    for (const auto& f : families_s) s += f.second;
    return s;
  }
};

/// Everything one `run` or `doctor` invocation reports.
struct run_report {
  std::string command;  ///< "run" or "doctor"
  std::vector<std::string> argv;
  std::string started_at, finished_at;  ///< UTC ISO 8601
  environment env;
  std::vector<result_row> results;
  int exit_code = 0;
  bool interrupted = false;           ///< SIGINT/SIGTERM: `results` holds what finished
  std::vector<std::string> warnings;  ///< about the run itself (e.g. output on /mnt/c)
  std::optional<gate_summary> gate;   ///< set when a matching baseline was compared
  std::optional<run_timing> timing;   ///< set by `run`
};

/// The run's time accounting from its rows: per family the sum of each row's phases (worker
/// start-up included), and `other` = wall − probe − judge − all families (never below 0).
run_timing account_time(const std::vector<result_row>& rows, double wall_s, double probe_s,
                        double judge_s);

/// Current UTC time as ISO 8601 with seconds, e.g. "2026-11-20T23:08:00Z".
std::string utc_now_iso8601();

/// Overall status over checks, results and the gate's verdict (aggregate()).
status overall_verdict(const run_report& report);

}  // namespace wslcuda
