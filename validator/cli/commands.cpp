#include "cli/commands.hpp"

#include <iostream>
#include <memory>

#include "probe/checks.hpp"
#include "probe/cuda_probe.hpp"
#include "report/atomic_file.hpp"
#include "report/console.hpp"
#include "report/exit_code.hpp"
#include "report/json_report.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/runner.hpp"

namespace wslcuda {
namespace {

/// Validates an output path before anything runs; prints the reason and returns false.
bool output_ok(const std::string& path) {
  if (path.empty()) return true;
  try {
    check_writable(path);
    return true;
  } catch (const std::exception& e) {
    std::cerr << "wslcuda: cannot write the report: " << e.what() << "\n";
    return false;
  }
}

bool root_ok(const std::string& root) {
  std::error_code ec;
  if (std::filesystem::is_directory(root, ec)) return true;
  std::cerr << "wslcuda: --root " << root << " is not a directory\n";
  return false;
}

std::vector<status> all_statuses(const run_report& report) {
  std::vector<status> out;
  for (const check_record& c : report.env.checks) out.push_back(c.status);
  for (const result_row& r : report.results) out.push_back(r.status);
  return out;
}

void write_json(const std::string& path, const run_report& report) {
  if (path.empty()) return;
  write_file_atomically(path, report_to_json(report).dump(2) + "\n");
  std::cout << "report: " << std::filesystem::absolute(path).string() << "\n";
}

}  // namespace

int command_run(const run_options& options) {
  if (!output_ok(options.json_path) || !root_ok(options.root)) return exit_usage;
  run_report report;
  report.command = "run";
  report.argv = options.argv;
  report.started_at = utc_now_iso8601();

  probe_result probe = probe_environment(options.root);
  report.env = std::move(probe.env);
  print_environment(std::cout, report.env);
  print_checks(std::cout, report.env.checks);

  suite_config config;
  config.quick = options.quick;
  config.seed = options.seed;
  config.cublas = probe.cublas;
  registry workloads;
  register_builtin_workloads(workloads, config);
  const std::vector<workload*> selected = workloads.matching(options.filter);
  if (selected.empty()) {
    std::cerr << "wslcuda: no workload id matches --filter '" << options.filter
              << "' (see `wslcuda list`)\n";
    return exit_usage;
  }

  const target_info target = make_target(report.env, options.device);
  if (!target.usable && report.env.no_device_reason.empty())
    report.env.no_device_reason = target.unusable_reason;  // e.g. --device out of range
  runner_options runner;
  runner.sampling = options.quick ? quick_sampling_policy() : default_sampling_policy();
  const int device = options.device;
  std::cout << "\nrunning " << selected.size() << " workload(s)"
            << (target.usable ? " on device " + std::to_string(device) + " (" + target.name + ")"
                              : "")
            << "\n";
  report.results = run_suite(
      selected, target, [device] { return std::make_unique<cuda_context>(device); }, runner,
      [&](const result_row& row) {
        if (options.progress) print_progress(std::cerr, row);
      });

  report.finished_at = utc_now_iso8601();
  report.exit_code = exit_code_for(target.usable, all_statuses(report), options.strict);
  std::cout << "\n";
  print_results_table(std::cout, report.results);
  std::cout << "\n";
  write_json(options.json_path, report);
  print_verdict(std::cout, report);
  return report.exit_code;
}

int command_doctor(const doctor_options& options) {
  if (!output_ok(options.json_path) || !root_ok(options.root)) return exit_usage;
  run_report report;
  report.command = "doctor";
  report.argv = options.argv;
  report.started_at = utc_now_iso8601();
  probe_result probe = probe_environment(options.root);
  report.env = std::move(probe.env);
  report.finished_at = utc_now_iso8601();
  // Under --root the live checks are skipped by design: that is not "unusable".
  report.exit_code = exit_code_for(!report.env.live || environment_usable(report.env),
                                   all_statuses(report), false);
  print_environment(std::cout, report.env);
  print_checks(std::cout, report.env.checks);
  std::cout << "\n";
  write_json(options.json_path, report);
  print_verdict(std::cout, report);
  return report.exit_code;
}

int command_list(const list_options& options) {
  suite_config config;
  config.quick = options.quick;
  registry workloads;
  register_builtin_workloads(workloads, config);
  const std::vector<workload*> selected = workloads.matching(options.filter);
  if (options.json) {
    json out = json::array();
    for (const workload* w : selected) {
      const workload_info& i = w->info();
      out.push_back(json{{"id", i.id},
                         {"family", i.family},
                         {"implementation", i.implementation},
                         {"precision", i.precision},
                         {"description", i.description}});
    }
    std::cout << out.dump(2) << "\n";
  } else {
    for (const workload* w : selected)
      std::cout << w->info().id << "\n    " << w->info().description << "\n";
  }
  return exit_ok;
}

}  // namespace wslcuda
