#include "cli/command_line.hpp"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "cli/commands.hpp"
#include "cli/history_commands.hpp"

namespace wslcuda {

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

void add_run(CLI::App& app, command_body& body, const std::vector<std::string>& argv) {
  auto run = std::make_shared<run_options>();
  run->argv = argv;
  auto* run_cmd =
      app.add_subcommand("run", "probe the environment, run the workloads, write the report");
  run_cmd->add_option("--json", run->json_path, "JSON report path ('' for none)")
      ->capture_default_str();
  run_cmd->add_option("--junit", run->junit_path,
                      "JUnit XML path (one testcase per check and result)");
  run_cmd->add_option("--markdown", run->markdown_path,
                      "Markdown summary path (e.g. $GITHUB_STEP_SUMMARY)");
  run_cmd->add_option("--html", run->html_path, "self-contained HTML report with charts");
  run_cmd
      ->add_option("--baseline", run->baseline,
                   "auto (history of this machine, else bundled for this GPU, else health "
                   "floors), none (health floors), history, or a baseline/report file")
      ->capture_default_str();
  run_cmd->add_option("--policy", run->policy_path,
                      "gate policy file (default: built-in, as ci/gate-policy.json)");
  run_cmd->add_option("--filter", run->filter,
                      "comma-separated globs over workload ids, e.g. 'gemm.*'");
  run_cmd->add_flag("--quick", run->quick, "smaller shapes and shorter sampling");
  run_cmd->add_option("--device", run->device, "CUDA device ordinal")
      ->capture_default_str()
      ->check(kDeviceOrdinal);
  run_cmd
      ->add_option("--seed", run->seed,
                   "seed of the random inputs, recorded in the report (default: the bytes of "
                   "\"wslcuda\" read as an integer, 0x77736c63756461)")
      ->capture_default_str()
      ->check(kSeed);
  run_cmd->add_flag("--strict", run->strict,
                    "warnings and an inconclusive gate fail the run (exit 1)");
  run_cmd->add_option("--history", run->history,
                      "store the run is recorded in, and --baseline auto|history reads: "
                      "sqlite:PATH, postgresql://…, postgresql:KEYWORDS or none (default: "
                      "$WSLCUDA_HISTORY, else sqlite:$XDG_DATA_HOME/wslcuda/history.db)");
  run_cmd->add_flag("--allow-inconclusive", run->allow_inconclusive,
                    "an inconclusive gate (too little judged) exits 0 instead of 6");
  run_cmd
      ->add_option("--root", run->root,
                   "read probed files below DIR; live checks only when DIR is /")
      ->option_text("DIR")
      ->capture_default_str();
  run_cmd->add_flag_callback(
      "--no-progress", [run] { run->progress = false; }, "no per-workload lines on stderr");
  run_cmd->add_flag("--samples", run->samples,
                    "also run the cuda_samples programs (family \"sample\")");
  run_cmd->add_flag_callback(
      "--no-isolation", [run] { run->isolation = false; },
      "run workloads in this process (debugging; a crash loses the run)");
  run_cmd->add_option("--timeout-scale", run->timeout_scale, "multiply every workload's time limit")
      ->capture_default_str()
      ->check(kFinitePositive);
  run_cmd
      ->add_option("--repeat", run->repeat,
                   "run every workload in R fresh executions, interleaved (the gate's unit)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  run_cmd
      ->add_option("--confirm", run->confirm,
                   "measure a row that fails the gate again in up to C fresh executions (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  // Hidden: test hooks (empty group).
  run_cmd->add_flag("--synthetic", run->synthetic, "add synthetic misbehaving workloads")
      ->group("");
  run_cmd
      ->add_option("--worker-memory-limit", run->worker_memory_limit, "RLIMIT_AS of workers, bytes")
      ->group("");
  run_cmd->callback([&body, run] { body = [run] { return command_run(*run); }; });
}

void add_doctor(CLI::App& app, command_body& body, const std::vector<std::string>& argv) {
  auto doctor = std::make_shared<doctor_options>();
  doctor->argv = argv;
  auto* doctor_cmd = app.add_subcommand("doctor", "probe the environment and diagnose problems");
  doctor_cmd->add_option("--json", doctor->json_path, "JSON report path");
  doctor_cmd->add_option("--junit", doctor->junit_path, "JUnit XML path");
  doctor_cmd->add_option("--markdown", doctor->markdown_path, "Markdown summary path");
  doctor_cmd->add_flag("--deep", doctor->deep,
                       "search the pinned-memory ceiling (up to 8 GiB) instead of pinning 2 GiB");
  doctor_cmd
      ->add_option("--root", doctor->root,
                   "read probed files below DIR; live checks only when DIR is /")
      ->option_text("DIR")
      ->capture_default_str();
  doctor_cmd->callback([&body, doctor] { body = [doctor] { return command_doctor(*doctor); }; });
}

void add_compare(CLI::App& app, command_body& body) {
  auto compare = std::make_shared<compare_options>();
  auto* compare_cmd =
      app.add_subcommand("compare", "compare two reports or baselines (A is the baseline)");
  compare_cmd->add_option("A", compare->baseline, "baseline: a report or a baseline file")
      ->required();
  compare_cmd->add_option("B", compare->candidate, "candidate: a report or a baseline file")
      ->required();
  compare_cmd->add_option("--policy", compare->policy_path, "gate policy file");
  compare_cmd->add_option("--json", compare->json_path, "comparison JSON path");
  compare_cmd->add_option("--markdown", compare->markdown_path, "Markdown summary path");
  compare_cmd->add_flag("--strict", compare->strict, "warnings fail (exit 1)");
  compare_cmd->callback(
      [&body, compare] { body = [compare] { return command_compare(*compare); }; });
}

void add_gate(CLI::App& app, command_body& body) {
  auto gate = std::make_shared<gate_options>();
  auto* gate_cmd = app.add_subcommand(
      "gate", "judge an existing report again: baseline comparison and health floors, no GPU");
  gate_cmd->add_option("REPORT", gate->report, "a report written by wslcuda run")->required();
  gate_cmd
      ->add_option("--baseline", gate->baseline,
                   "auto (history, else bundled for the report's GPU, else health floors), none "
                   "(health floors alone), history, or a baseline/report file")
      ->capture_default_str();
  gate_cmd->add_option("--policy", gate->policy_path,
                       "gate policy file (default: built-in, as ci/gate-policy.json)");
  gate_cmd->add_option("--json", gate->json_path, "JSON report path");
  gate_cmd->add_option("--junit", gate->junit_path, "JUnit XML path");
  gate_cmd->add_option("--markdown", gate->markdown_path, "Markdown summary path");
  gate_cmd->add_option("--html", gate->html_path, "self-contained HTML report with charts");
  gate_cmd->add_flag("--strict", gate->strict, "anything but pass fails (exit 1)");
  gate_cmd->add_option("--history", gate->history,
                       "store --baseline auto|history reads (nothing is recorded): sqlite:PATH, "
                       "postgresql://…, postgresql:KEYWORDS or none (default: $WSLCUDA_HISTORY, "
                       "else sqlite:$XDG_DATA_HOME/wslcuda/history.db)");
  gate_cmd->add_flag("--allow-inconclusive", gate->allow_inconclusive,
                     "an inconclusive gate (too little judged) exits 0 instead of 6");
  gate_cmd->callback([&body, gate] { body = [gate] { return command_gate(*gate); }; });
}

void add_baseline(CLI::App& app, command_body& body) {
  auto capture = std::make_shared<capture_options>();
  auto* baseline_cmd = app.add_subcommand("baseline", "baseline files");
  baseline_cmd->require_subcommand(1);
  auto* capture_cmd =
      baseline_cmd->add_subcommand("capture", "make a baseline from a bare-metal report");
  capture_cmd
      ->add_option("--from", capture->from,
                   "report or baseline to take executions from (repeatable; one GPU model)")
      ->required();
  capture_cmd->add_option("--out", capture->out, "baseline file to write")->required();
  capture_cmd->add_flag("--allow-wsl", capture->allow_wsl,
                        "accept a WSL report (WSL-vs-WSL gating)");
  capture_cmd->callback(
      [&body, capture] { body = [capture] { return command_baseline_capture(*capture); }; });
}

void add_html(CLI::App& app, command_body& body) {
  auto html = std::make_shared<html_command_options>();
  auto* html_cmd = app.add_subcommand(
      "html", "one self-contained HTML page from reports (several: a trend view)");
  html_cmd->add_option("REPORT", html->reports, "report files, in trend order (or --history)");
  html_cmd->add_option("--out", html->out, "HTML file to write")->required();
  html_cmd->add_flag("--by-date", html->by_date, "order the reports by started_at");
  add_history_source_options(*html_cmd, html->history);
  html_cmd->callback([&body, html] { body = [html] { return command_html(*html); }; });
}

void add_export(CLI::App& app, command_body& body) {
  auto export_opts = std::make_shared<export_options>();
  auto* export_cmd =
      app.add_subcommand("export", "reports as one flat CSV table (one row per result)");
  export_cmd->add_option("REPORT", export_opts->reports, "report files (or --history)");
  add_history_source_options(*export_cmd, export_opts->history);
  export_cmd->add_option("--csv", export_opts->csv_path, "CSV file to write ('-': stdout)")
      ->required();
  export_cmd->callback(
      [&body, export_opts] { body = [export_opts] { return command_export(*export_opts); }; });
}

void add_list(CLI::App& app, command_body& body) {
  auto list = std::make_shared<list_options>();
  auto* list_cmd = app.add_subcommand("list", "list the workloads and their ids");
  list_cmd->add_flag("--json", list->json,
                     "print a JSON array of {id, family, implementation, precision}");
  list_cmd->add_flag("--quick", list->quick, "the --quick shape set");
  list_cmd->add_option("--filter", list->filter, "comma-separated globs over workload ids");
  list_cmd->callback([&body, list] { body = [list] { return command_list(*list); }; });
}

void add_worker(CLI::App& app, command_body& body) {
  auto* worker_cmd =
      app.add_subcommand("__worker", "run one workload from a job on stdin (internal)");
  worker_cmd->group("");
  worker_cmd->callback([&body] { body = [] { return command_worker(); }; });
}

}  // namespace wslcuda
