#pragma once
// The readable summary printed on stdout.

#include <ostream>

#include "model/report_json.hpp"

namespace wslcuda {

/// Driver, runtime and devices in a few lines.
void print_environment(std::ostream& os, const environment& env);
/// Checks grouped by area (the part of the id before the dot), status first, remedy below.
void print_checks(std::ostream& os, const std::vector<check_record>& checks);
/// One line per result as it arrives (for progress on stderr).
void print_progress(std::ostream& os, const result_row& row);

/// Progress lines as results arrive (print_progress), except that consecutive rows skipped for
/// the same reason are counted, not printed: "… and 150 more for the same reason".
class progress_printer {
 public:
  explicit progress_printer(std::ostream& os) : os_(os) {}
  void operator()(const result_row& row);
  /// Says how many skips were held back; call at the end.
  void flush();

 private:
  std::ostream& os_;
  std::string last_skip_;
  std::size_t repeats_ = 0;
};
/// The results table: id, status, median time, throughput (% of peak), error vs bound.
void print_results_table(std::ostream& os, const std::vector<result_row>& rows);
/// The judgement's summary: its warnings, then "gate: VERDICT against BASELINE; evidence" (or
/// "by the health floors"), and why the run is inconclusive when it is.
void print_judgement(std::ostream& os, const gate_summary& gate);
/// The verdict line with the exit code and what it means.
void print_verdict(std::ostream& os, const run_report& report);

}  // namespace wslcuda
