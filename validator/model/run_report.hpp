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

/// What judged a run's speed, and what the verdict rests on (summary.gate of the report): the
/// judge's summary (baseline/judge.hpp). Rows carry their own part (baseline and floor blocks).
struct gate_summary {
  /// "baseline" (a baseline file, a bundled baseline or runs from the history store),
  /// "health floors" (no baseline matched, or --baseline none) or "nothing" (the run judged no
  /// row's speed).
  std::string judged_by = "nothing";
  std::string baseline;           ///< the baseline's source ("" unless judged_by is "baseline")
  std::size_t baseline_rows = 0;  ///< rows the judge could judge: baseline entries, floor globs
  std::size_t gated = 0, gated_pass = 0;  ///< rows judged, and of those passing
  int confirmation_rounds = 0;
  std::string evidence;  ///< e.g. "gated 136 of the 147 baseline rows this run attempted; …"
  /// enough_evidence, too_little_evidence or nothing_judged: the last two make the run
  /// inconclusive (its own exit code) unless it failed.
  reason_code reason = reason_code::nothing_judged;
  wslcuda::status verdict = status::skip;
  std::vector<std::string> warnings;  ///< the judge's (bundled baselines that could not be read…)
  /// True when the judgement does not let the run pass: too little evidence, or nothing judged.
  bool inconclusive() const noexcept { return reason != reason_code::enough_evidence; }
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

/// Where a run was recorded (the report's top-level `history`, set by `run`): the store, the
/// run's key there, and what happened when the store asked for could not be written.
struct history_record {
  std::string store;  ///< the store that holds the run, described (password hidden); "" if none
  std::string run_key;
  bool recorded = false;  ///< the run is in `store`
  bool pending = false;   ///< in the local store, not yet pushed to the server asked for
  std::string message;    ///< why the store asked for was not written ("" when it was)
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
  std::vector<std::string> warnings;  ///< about the measurement itself (e.g. output on /mnt/c)
  std::optional<gate_summary>
      gate;  ///< the judgement's summary; absent when nothing judged
             ///< (doctor, an interrupted run, --baseline none without floors)
  std::optional<run_timing> timing;       ///< set by `run`
  std::optional<history_record> history;  ///< where `run` recorded the run (absent: none asked)
};

/// The run's time accounting from its rows: per family the sum of each row's phases (worker
/// start-up included), and `other` = wall − probe − judge − all families (never below 0).
run_timing account_time(const std::vector<result_row>& rows, double wall_s, double probe_s,
                        double judge_s);

/// Current UTC time as ISO 8601 with seconds, e.g. "2026-11-20T23:08:00Z".
std::string utc_now_iso8601();

/// Every status the verdict of a report rests on: its checks, each row's verdict (row_verdict)
/// and the gate's verdict.
std::vector<status> overall_statuses(const run_report& report);

/// Overall status over checks, row verdicts and the gate's verdict (aggregate()).
status overall_verdict(const run_report& report);

}  // namespace wslcuda
