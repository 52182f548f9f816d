#pragma once
// The command line: one add_<command> function per command, each declaring its options on the
// CLI11 app and, when that command is the one chosen, setting `body` to the command itself
// (cli/commands.hpp). main() parses once and runs `body`.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace wslcuda {

/// The chosen command, ready to run once parsing succeeded; returns the process exit code.
using command_body = std::function<int()>;

/// A finite number > 0 (CLI::PositiveNumber lets NaN through: NaN <= 0 is false).
extern const CLI::Validator kFinitePositive;
/// A seed: decimal digits only (no sign, no wrap), at most 2^64 - 1.
extern const CLI::Validator kSeed;

/// `run`: probe, workloads, report, judgement. `argv` is recorded in the report.
void add_run(CLI::App& app, command_body& body, const std::vector<std::string>& argv);
/// `doctor`: probe and checks only.
void add_doctor(CLI::App& app, command_body& body, const std::vector<std::string>& argv);
/// `compare A B`.
void add_compare(CLI::App& app, command_body& body);
/// `gate REPORT`.
void add_gate(CLI::App& app, command_body& body);
/// `baseline capture`.
void add_baseline(CLI::App& app, command_body& body);
/// `html REPORT… --out`.
void add_html(CLI::App& app, command_body& body);
/// `export REPORT… --csv`.
void add_export(CLI::App& app, command_body& body);
/// `list`.
void add_list(CLI::App& app, command_body& body);
/// The hidden `__worker` (one job on stdin, one result line on stdout).
void add_worker(CLI::App& app, command_body& body);

}  // namespace wslcuda
