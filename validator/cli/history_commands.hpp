#pragma once
// `wslcuda history …`: import reports into the run history, list runs, show the trend of rows
// across runs, write a baseline from stored runs, exclude a run (docs/history.md), and push
// local runs to a fleet's server (docs/fleet.md); triage change points, report what moved at each
// driver and WSL against bare metal (cli/history_changes_command.cpp, docs/change-points.md).
// Every subcommand takes `--history SPEC` (else WSLCUDA_HISTORY, else the default store). Exit
// codes: 0 ok; 1 `history changes --driver X` found a new regression at X; 2 bad input (a bad
// SPEC, a file that is not a wslcuda store, a newer schema, a damaged store, a report that cannot
// be read, nothing matching); 5 the store cannot be used (busy, read only, disk full,
// unreachable).

#include <functional>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "history/store.hpp"
#include "history/store_spec.hpp"
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

/// The exit code of a store fault, after printing it on stderr: 2 for bad input (a bad spec, not
/// a wslcuda store, a newer schema, damaged), 5 for the environment (busy, read only, full,
/// unreachable).
int store_failure(const history::store_error& e);

/// Runs `work` with the store of `spec_text` open (created when `create`), mapping faults to exit
/// codes (store_failure; input_error: 2; `history` none: 2). `missing`, when given, runs instead
/// when the store does not exist and is not to be created.
int with_store(const std::string& spec_text, bool create,
               const std::function<int(history::connection&, const history::store_spec&)>& work,
               const std::function<int(const history::store_spec&)>& missing = {});

/// True for "", "wsl" and "linux"; else says so on stderr and returns false.
bool platform_ok(const std::string& platform);

/// Adds `--history SPEC` (the store a history subcommand reads or writes) to `cmd`.
void add_spec_option(CLI::App* cmd, std::string& spec);

/// Adds `history triage`, `history changes` and `history platforms` to `history`
/// (cli/history_changes_command.cpp).
void add_history_changes(CLI::App& history, command_body& body);

}  // namespace wslcuda
