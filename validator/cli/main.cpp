// wslcuda: does CUDA work in this WSL 2 shell, correctly and at bare-metal speed?

#include <poll.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "model/version.hpp"
#include "report/atomic_file.hpp"
#include "report/console_filter.hpp"
#include "report/exit_code.hpp"

namespace {

/// A finite number > 0 (CLI::PositiveNumber lets NaN through: NaN <= 0 is false).
const CLI::Validator kFinitePositive(
    [](std::string& text) -> std::string {
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || !(v > 0.0) || errno == ERANGE)
        return "expected a finite number greater than 0, got " + text;
      return "";
    },
    "FINITE>0");

/// A seed: decimal digits only (no sign, no wrap), at most 2^64 - 1.
const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return "expected a non-negative integer, got " + text;
      errno = 0;
      (void)std::strtoull(text.c_str(), nullptr, 10);
      if (errno == ERANGE) return "seed " + text + " is larger than 2^64 - 1";
      return "";
    },
    "0..2^64-1");

/// A CUDA device ordinal: decimal digits only, at most INT_MAX. (CLI::NonNegativeNumber said
/// "not in range 0.000000 to 1797693134862315708…" with all 309 digits of DBL_MAX.)
const CLI::Validator kDeviceOrdinal(
    [](std::string& text) -> std::string {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return "expected a device ordinal (0 for the first GPU, 1, 2, …), got " + text;
      errno = 0;
      const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT_MAX))
        return "device ordinal " + text + " is out of range (0 to " + std::to_string(INT_MAX) + ")";
      return "";
    },
    "0..N");

}  // namespace

namespace {

/// The exit code once stdout is flushed: a reader that went away (EPIPE, `| head`) is quiet and
/// changes nothing, since the files a command writes are its results; any other failure to write
/// stdout (`> /dev/full`) is said on stderr and, for a command that had succeeded, exit 5.
int finish_stdout(int code) {
  std::cout.flush();
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
  if (!failed) return code;
  const int error = errno;
  // A pipe whose reader is gone polls as POLLERR on the write end (errno may be stale by now).
  pollfd out{STDOUT_FILENO, POLLOUT, 0};
  if (error == EPIPE || (::poll(&out, 1, 0) == 1 && (out.revents & POLLERR) != 0)) return code;
  std::cerr << "wslcuda: cannot write to standard output"
            << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << "\n";
  return code == wslcuda::exit_ok ? wslcuda::exit_output : code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wslcuda;
  const std::vector<std::string> args(argv, argv + argc);
  // Every console line passes one escaping function (report/console_filter.hpp), whatever
  // outside text it carries; a worker's stdout is the result protocol and is left alone.
  if (args.size() < 2 || args[1] != "__worker") escape_console_streams();

  CLI::App app{
      "wslcuda: checks that CUDA works in WSL 2 (or on Linux), correctly and at "
      "bare-metal speed.\nExit codes: 0 passed, 1 failure, 2 usage or input error, 3 no "
      "usable GPU, 4 internal error, 5 environment error writing an output (disk full, I/O error), "
      "130 interrupted."};
  app.set_version_flag("--version",
                       std::string("wslcuda ") + tool_version() + " (" + git_revision() + ")");
  app.require_subcommand(1);

  run_options run;
  run.argv = args;
  auto* run_cmd =
      app.add_subcommand("run", "probe the environment, run the workloads, write the report");
  run_cmd->add_option("--json", run.json_path, "JSON report path ('' for none)")
      ->capture_default_str();
  run_cmd->add_option("--junit", run.junit_path,
                      "JUnit XML path (one testcase per check and result)");
  run_cmd->add_option("--markdown", run.markdown_path,
                      "Markdown summary path (e.g. $GITHUB_STEP_SUMMARY)");
  run_cmd->add_option("--html", run.html_path, "self-contained HTML report with charts");
  run_cmd
      ->add_option("--baseline", run.baseline,
                   "auto (bundled, for this GPU), none, or a baseline/report file")
      ->capture_default_str();
  run_cmd->add_option("--policy", run.policy_path,
                      "gate policy file (default: built-in, as ci/gate-policy.json)");
  run_cmd->add_option("--filter", run.filter,
                      "comma-separated globs over workload ids, e.g. 'gemm.*'");
  run_cmd->add_flag("--quick", run.quick, "smaller shapes and shorter sampling");
  run_cmd->add_option("--device", run.device, "CUDA device ordinal")
      ->capture_default_str()
      ->check(kDeviceOrdinal);
  run_cmd
      ->add_option("--seed", run.seed,
                   "seed of the random inputs, recorded in the report (default: the bytes of "
                   "\"wslcuda\" read as an integer, 0x77736c63756461)")
      ->capture_default_str()
      ->check(kSeed);
  run_cmd->add_flag("--strict", run.strict, "warnings fail the run (exit 1)");
  run_cmd
      ->add_option("--root", run.root,
                   "read probed files below DIR; live checks only when DIR is /")
      ->option_text("DIR")
      ->capture_default_str();
  bool no_progress = false;
  run_cmd->add_flag("--no-progress", no_progress, "no per-workload lines on stderr");
  bool no_isolation = false;
  run_cmd->add_flag("--samples", run.samples,
                    "also run the cuda_samples programs (family \"sample\")");
  run_cmd->add_flag("--no-isolation", no_isolation,
                    "run workloads in this process (debugging; a crash loses the run)");
  run_cmd->add_option("--timeout-scale", run.timeout_scale, "multiply every workload's time limit")
      ->capture_default_str()
      ->check(kFinitePositive);
  run_cmd
      ->add_option("--repeat", run.repeat,
                   "run every workload in R fresh executions, interleaved (the gate's unit)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  run_cmd
      ->add_option("--confirm", run.confirm,
                   "measure a row that fails the gate again in up to C fresh executions (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  // Hidden: test hooks (empty group).
  run_cmd->add_flag("--synthetic", run.synthetic, "add synthetic misbehaving workloads")->group("");
  run_cmd
      ->add_option("--worker-memory-limit", run.worker_memory_limit, "RLIMIT_AS of workers, bytes")
      ->group("");

  compare_options compare;
  auto* compare_cmd =
      app.add_subcommand("compare", "compare two reports or baselines (A is the baseline)");
  compare_cmd->add_option("A", compare.baseline, "baseline: a report or a baseline file")
      ->required();
  compare_cmd->add_option("B", compare.candidate, "candidate: a report or a baseline file")
      ->required();
  compare_cmd->add_option("--policy", compare.policy_path, "gate policy file");
  compare_cmd->add_option("--json", compare.json_path, "comparison JSON path");
  compare_cmd->add_option("--markdown", compare.markdown_path, "Markdown summary path");
  compare_cmd->add_flag("--strict", compare.strict, "warnings fail (exit 1)");

  capture_options capture;
  auto* baseline_cmd = app.add_subcommand("baseline", "baseline files");
  baseline_cmd->require_subcommand(1);
  auto* capture_cmd =
      baseline_cmd->add_subcommand("capture", "make a baseline from a bare-metal report");
  capture_cmd
      ->add_option("--from", capture.from,
                   "report or baseline to take executions from (repeatable; one GPU model)")
      ->required();
  capture_cmd->add_option("--out", capture.out, "baseline file to write")->required();
  capture_cmd->add_flag("--allow-wsl", capture.allow_wsl,
                        "accept a WSL report (WSL-vs-WSL gating)");

  auto* worker_cmd =
      app.add_subcommand("__worker", "run one workload from a job on stdin (internal)");
  worker_cmd->group("");

  doctor_options doctor;
  doctor.argv = args;
  auto* doctor_cmd = app.add_subcommand("doctor", "probe the environment and diagnose problems");
  doctor_cmd->add_option("--json", doctor.json_path, "JSON report path");
  doctor_cmd->add_option("--junit", doctor.junit_path, "JUnit XML path");
  doctor_cmd->add_option("--markdown", doctor.markdown_path, "Markdown summary path");
  doctor_cmd->add_flag("--deep", doctor.deep,
                       "search the pinned-memory ceiling (up to 8 GiB) instead of pinning 2 GiB");
  doctor_cmd
      ->add_option("--root", doctor.root,
                   "read probed files below DIR; live checks only when DIR is /")
      ->option_text("DIR")
      ->capture_default_str();

  gate_options gate;
  auto* gate_cmd = app.add_subcommand(
      "gate", "judge an existing report again: baseline comparison and health floors, no GPU");
  gate_cmd->add_option("REPORT", gate.report, "a report written by wslcuda run")->required();
  gate_cmd
      ->add_option("--baseline", gate.baseline,
                   "auto (bundled, for the report's GPU), none (health floors alone), or a file")
      ->capture_default_str();
  gate_cmd->add_option("--policy", gate.policy_path,
                       "gate policy file (default: built-in, as ci/gate-policy.json)");
  gate_cmd->add_option("--json", gate.json_path, "JSON report path");
  gate_cmd->add_option("--junit", gate.junit_path, "JUnit XML path");
  gate_cmd->add_option("--markdown", gate.markdown_path, "Markdown summary path");
  gate_cmd->add_option("--html", gate.html_path, "self-contained HTML report with charts");
  gate_cmd->add_flag("--strict", gate.strict, "anything but pass fails (exit 1)");

  html_command_options html;
  auto* html_cmd = app.add_subcommand(
      "html", "one self-contained HTML page from reports (several: a trend view)");
  html_cmd->add_option("REPORT", html.reports, "report files, in trend order")->required();
  html_cmd->add_option("--out", html.out, "HTML file to write")->required();
  html_cmd->add_flag("--by-date", html.by_date, "order the reports by started_at");

  export_options export_opts;
  auto* export_cmd =
      app.add_subcommand("export", "reports as one flat CSV table (one row per result)");
  export_cmd->add_option("REPORT", export_opts.reports, "report files")->required();
  export_cmd->add_option("--csv", export_opts.csv_path, "CSV file to write ('-': stdout)")
      ->required();

  list_options list;
  auto* list_cmd = app.add_subcommand("list", "list the workloads and their ids");
  list_cmd->add_flag("--json", list.json,
                     "print a JSON array of {id, family, implementation, precision}");
  list_cmd->add_flag("--quick", list.quick, "the --quick shape set");
  list_cmd->add_option("--filter", list.filter, "comma-separated globs over workload ids");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and the hint
    return exit_usage;
  }

  // A closed pipe on stdout (`wslcuda list | head`) is no reason to die by SIGPIPE halfway
  // through a run whose report is still to be written: writes to it fail instead, and
  // finish_stdout decides what that means.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    int code = exit_usage;
    if (*run_cmd) {
      run.progress = !no_progress;
      run.isolation = !no_isolation;
      code = command_run(run);
    } else if (*doctor_cmd) {
      code = command_doctor(doctor);
    } else if (*list_cmd) {
      code = command_list(list);
    } else if (*worker_cmd) {
      code = command_worker();
    } else if (*compare_cmd) {
      code = command_compare(compare);
    } else if (*capture_cmd) {
      code = command_baseline_capture(capture);
    } else if (*gate_cmd) {
      code = command_gate(gate);
    } else if (*html_cmd) {
      code = command_html(html);
    } else if (*export_cmd) {
      code = command_export(export_opts);
    }
    return finish_stdout(code);
  } catch (const output_error& e) {
    // Disk full, I/O error, a folder removed under the run: the environment, not a bug.
    std::cerr << "wslcuda: cannot write an output: " << e.what() << "\n";
    return exit_output;
  } catch (const std::exception& e) {
    std::cerr << "wslcuda: internal error: " << e.what() << "\n";
    return exit_internal;
  }
  return exit_usage;
}
