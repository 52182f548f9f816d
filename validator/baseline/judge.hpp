#pragma once
// The judge: what `run`, `gate` and the history commands call to judge a measured run's speed.
// It compares the run with a baseline (with confirmation rounds that measure suspect rows again)
// or, without a matching baseline, with the health floors, and returns the judgement as a value.
// It never rewrites a measurement (a row's status and message stay what was measured: the row's
// verdict is row_verdict, model/verdict.hpp) and prints nothing: the command line prints from
// the returned value. Judging the same measured report twice gives the same judgement.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "baseline/policy.hpp"
#include "model/run_report.hpp"

namespace wslcuda {

/// Measures the given ids again, one fresh execution each, and returns their rows (empty when
/// interrupted). `run` hands one in; `gate` cannot measure and hands none.
using rerun_fn = std::function<std::vector<result_row>(const std::vector<std::string>& ids)>;

/// Which baseline the judge uses (`--baseline`).
enum class baseline_choice {
  automatic,  ///< auto: a history baseline of at least two runs, else a bundled one, else floors
  none,       ///< none: the health floors alone
  file,       ///< a baseline or report file (`explicit_baseline`)
  history     ///< history: runs from the store (`history_baseline`), else as automatic
};

/// Everything the judge needs besides the measured run; no files, no processes.
struct judge_inputs {
  baseline_choice choice = baseline_choice::automatic;
  std::optional<comparable_document> explicit_baseline;  ///< for baseline_choice::file
  /// Drawn from the history store for this run (history/), when one could be; how many runs it
  /// rests on is context.sources.size(). `history_note` says what was found or why none.
  std::optional<comparable_document> history_baseline;
  std::string history_note;
  /// The bundled baselines of every GPU model (for `auto`, and the latency information).
  std::vector<comparable_document> bundled;
  /// Problems met preparing these inputs (bundled files that could not be read, a history
  /// store that could not be read): the judgement's warnings unless the choice is `none`.
  std::vector<std::string> notes;
  gate_policy policy;
  int device = 0;   ///< the device of the run whose rows are judged
  int confirm = 0;  ///< confirmation rounds at most (needs `rerun`)
  rerun_fn rerun;   ///< empty: no confirmation (an offline gate)
};

/// The judgement of one row: its baseline comparison and its health floor (either may be absent).
struct row_judgement {
  std::string id;
  std::optional<baseline_block> baseline;
  std::optional<floor_block> floor;
};

/// What the judge returns.
struct judgement {
  std::vector<row_judgement> rows;  ///< one per row of the judged results, in their order
  gate_summary summary;             ///< what judged the run and what the verdict rests on
  /// Fresh executions measured by confirmation rounds, in order: append them to the run's
  /// executions and merge again (merge_by_id) before apply_judgement.
  std::vector<result_row> confirmations;
};

/// Judges `measured` (its results are merge_by_id of `executions`, every execution's row in
/// order) with the rule of baseline/compare.hpp and the floors of baseline/floors.hpp:
///  - the baseline: `file` uses explicit_baseline; `history` uses history_baseline, else falls
///    back as `auto` does and says so; `auto` takes history_baseline when it rests on at least
///    two runs, else the bundled baseline of this GPU model with the most shared ids
///    (find_bundled_baseline), else none; `none` takes none. A baseline for another GPU model
///    is never gated against: every row says so (no_matching_baseline);
///  - with a baseline: the comparison, then up to `confirm` confirmation rounds through `rerun`
///    while a gated row fails or warns; the floors are then information;
///  - without one: the floors judge (applied), and their evidence rule is the gate's: the rows a
///    floor covers among those the run attempted are the base, those whose floor passed count;
///  - the latency rows get information from the run and the bundled bare-metal figures.
/// summary.reason is enough_evidence, too_little_evidence or nothing_judged (the last two make
/// the run inconclusive, report/exit_code.hpp); summary.warnings holds the bundled files that
/// could not be read (unless `none`) and the fall-backs taken. Throws input_error when a
/// statistic of the comparison is out of range (timings near DBL_MAX).
judgement judge_run(const run_report& measured, const std::vector<result_row>& executions,
                    const judge_inputs& inputs);

/// A judgement that compared nothing because `why` (e.g. an input out of range met while
/// comparing): every row's baseline block says not_compared, no floor judges, and the summary
/// is nothing_judged with `why` among its warnings.
judgement not_compared(const run_report& measured, const std::string& why);

/// Attaches `j` to `report`: each row's baseline and floor blocks (rows are matched by id; a row
/// the judgement does not name has neither), and report.gate = j.summary. Statuses and messages
/// are not touched.
void apply_judgement(run_report& report, const judgement& j);

/// Clears every judgement from `report` (baseline and floor blocks, the gate summary): the
/// measurement alone, as before judging.
void clear_judgement(run_report& report);

/// How the probe described the host link of `device` ("" when the device is unknown).
std::string host_link_of(const environment& env, int device);

}  // namespace wslcuda
