#pragma once
// `wslcuda history …`: import reports into the run history, list runs, show the trend of rows
// across runs, write a baseline from stored runs, exclude a run (docs/history.md), and push
// local runs to a fleet's server (docs/fleet.md). Every
// subcommand takes `--history SPEC` (else WSLCUDA_HISTORY, else the default store). Exit codes:
// 0 ok; 2 bad input (a bad SPEC, a file that is not a wslcuda store, a newer schema, a damaged
// store, a report that cannot be read, nothing matching); 5 the store cannot be used (busy, read
// only, disk full, unreachable).

#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "model/report_json.hpp"

namespace wslcuda {

/// Adds `history` and its subcommands (import, list, trend, baseline, exclude, push) to `app`; the
/// chosen one becomes `body`.
void add_history(CLI::App& app, command_body& body);

/// Adds `--history SPEC`, `--gpu GLOB`, `--platform wsl|linux` and `--driver V` to `command`
/// (`html`, `export`), filling `source`.
void add_history_source_options(CLI::App& command, history_source& source);

/// The runs `source` selects (the filters of `history list`), rebuilt as reports (history/
/// queries.hpp rebuild_report), oldest first, into `out`. Returns 0, or the exit code after
/// printing why on stderr: 2 for a bad spec, a file that is not a store, a newer schema, a
/// damaged store or no run matching; 5 when the store cannot be read.
int read_history_reports(const history_source& source, std::vector<loaded_report>& out);

}  // namespace wslcuda
