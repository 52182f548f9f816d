#pragma once
// The wslcuda commands. Each returns the process exit code (report/exit_code.hpp).

#include <cstdint>
#include <string>
#include <vector>

namespace wslcuda {

struct run_options {
  std::string json_path = "wslcuda-report.json";  ///< "" writes no JSON
  std::string junit_path, markdown_path;
  std::string html_path;          ///< "" writes no HTML
  std::string baseline = "auto";  ///< "auto" (bundled, matching the device), "none", or a file
  std::string policy_path;        ///< "" = the built-in default (same as ci/gate-policy.json)
  std::string filter;             ///< comma-separated globs over workload ids
  bool quick = false;
  int device = 0;
  std::uint64_t seed = 0x77736c63756461;
  bool strict = false;
  std::string root = "/";
  bool progress = true;   ///< one line per result on stderr as it arrives
  bool isolation = true;  ///< each workload in a worker process (--no-isolation: in process)
  double timeout_scale = 1.0;
  int repeat = 1;                   ///< executions of every workload (fresh workers, interleaved)
  int confirm = 2;                  ///< confirmation rounds for rows that fail the gate (0: none)
  bool allow_inconclusive = false;  ///< an inconclusive gate exits 0 instead of 6
  /// The history store (`--history SPEC`; "" = WSLCUDA_HISTORY, else the default file): the run
  /// is recorded there, and --baseline auto|history reads it.
  std::string history;
  bool samples = false;                   ///< also run the cuda_samples programs
  bool synthetic = false;                 ///< hidden: add the synthetic test workloads
  std::uint64_t worker_memory_limit = 0;  ///< hidden: RLIMIT_AS of workers (synthetic tests)
  std::vector<std::string> argv;
};

/// `wslcuda run`: probe, checks, workloads, report. Exit codes as report/exit_code.hpp lists them.
int command_run(const run_options& options);

struct doctor_options {
  std::string json_path;  ///< "" writes no JSON
  std::string junit_path, markdown_path;
  std::string root = "/";
  bool deep = false;  ///< search the pinned-memory ceiling (up to 8 GiB) instead of 2 GiB
  std::vector<std::string> argv;
};

/// `wslcuda doctor`: probe and checks only. Exit 0 (no fail), 1 (a fail), 3 (no usable device
/// when not under --root).
int command_doctor(const doctor_options& options);

struct list_options {
  bool json = false;
  bool quick = false;
  std::string filter;
};

struct compare_options {
  std::string baseline, candidate;  ///< reports or baselines, in any pairing
  std::string policy_path;
  std::string json_path, markdown_path;
  bool strict = false;
};

/// `wslcuda compare A B`: ratio, CI and verdict per id (A is the baseline). Exit 0 (no fail),
/// 1 (a fail, or a warn with --strict), 2 (unreadable or malformed input).
int command_compare(const compare_options& options);

struct gate_options {
  std::string report;             ///< the report to judge again
  std::string baseline = "auto";  ///< "auto", "none" (floors alone) or a baseline/report file
  std::string policy_path;
  std::string json_path, junit_path, markdown_path, html_path;
  bool strict = false;
  bool allow_inconclusive = false;  ///< an inconclusive gate exits 0 instead of 6
  std::string history;  ///< the store --baseline auto|history reads (nothing is recorded)
};

/// `wslcuda gate REPORT`: judges an existing report again with the code path `run` uses after
/// measuring (baseline comparison, health floors; no confirmation runs, as nothing is
/// measured), and writes the outputs asked for. No GPU is needed. Exit codes as `run`: 0, 1
/// (a fail, or anything but pass with --strict), 2 (bad input), 3 (the report validated
/// nothing: no usable device), 6 (inconclusive: too little judged; 0 with --allow-inconclusive).
int command_gate(const gate_options& options);

struct capture_options {
  std::vector<std::string> from;  ///< reports or baselines of one GPU model
  std::string out;
  bool allow_wsl = false;
};

/// `wslcuda baseline capture --from A --from B … --out FILE`: one baseline from the executions of
/// every input (reports or baselines of one GPU model, several machines allowed; WSL reports
/// only with --allow-wsl). Exit 0, or 2 for bad input (naming the file), mixed GPU models
/// included.
int command_baseline_capture(const capture_options& options);

/// Hidden `wslcuda __worker`: reads a worker_job (JSON) on stdin, runs that one workload in
/// this process, writes one result line (kResultLinePrefix + JSON) on stdout. Exit 0 whenever
/// a result line was written.
int command_worker();

/// Runs read from a history store in place of report files (`html`, `export`): `--history SPEC`
/// and the filters of `history list` (cli/history_commands.hpp).
struct history_source {
  std::string spec;      ///< "" = report files are given instead
  std::string gpu;       ///< glob over the GPU model, case-insensitive
  std::string platform;  ///< "wsl" or "linux"
  std::string driver;    ///< a driver version as `history list` shows it
};

struct html_command_options {
  std::vector<std::string> reports;  ///< report files, in the order given
  std::string out;                   ///< the HTML file to write
  bool by_date = false;              ///< order the reports by started_at instead
  history_source history;            ///< reports from a history store instead (oldest first)
};

/// `wslcuda html REPORT… --out PATH` (or `--history SPEC` and filters in place of the reports):
/// one self-contained HTML page (report/html.hpp); with several reports a trend view per GPU
/// model. Exit 0, or 2 for unreadable or malformed input (naming the file and the JSON pointer)
/// or an unwritable --out, or as read_history_reports (cli/history_commands.hpp).
int command_html(const html_command_options& options);

struct export_options {
  std::vector<std::string> reports;
  std::string csv_path;    ///< "-" writes to stdout
  history_source history;  ///< reports from a history store instead (oldest first)
};

/// `wslcuda export REPORT… --csv PATH`: one flat CSV line per result, or per execution
/// (report/csv.hpp). Exit 0, or 2 as command_html.
int command_export(const export_options& options);

/// `wslcuda list`: workload ids (and family, implementation, precision, description).
int command_list(const list_options& options);

}  // namespace wslcuda
