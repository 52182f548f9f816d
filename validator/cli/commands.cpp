#include "cli/commands.hpp"
#include "cli/run_guard.hpp"
#include "cli/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

#include "baseline/baseline.hpp"
#include "baseline/bundled_baselines.hpp"
#include "baseline/compare.hpp"
#include "baseline/documents.hpp"
#include "baseline/judge.hpp"
#include "baseline/policy.hpp"
#include "dynload/library_loader.hpp"
#include "dynload/nvml.hpp"
#include "history/push.hpp"
#include "history/queries.hpp"
#include "history/store_spec.hpp"
#include "measure/units.hpp"
#include "model/executions.hpp"
#include "model/installed_paths.hpp"
#include "model/printable.hpp"
#include "model/report_json.hpp"
#include "model/version.hpp"
#include "probe/checks.hpp"
#include "probe/cuda_probe.hpp"
#include "report/atomic_file.hpp"
#include "report/comparison_formats.hpp"
#include "report/console.hpp"
#include "report/exit_code.hpp"
#include "report/html.hpp"
#include "report/journal.hpp"
#include "report/junit.hpp"
#include "report/markdown.hpp"
#include "suite/gpu/builtin.hpp"
#include "suite/gpu/cuda_context.hpp"
#include "suite/isolation.hpp"
#include "suite/runner.hpp"
#include "suite/samples.hpp"
#include "suite/scheduler.hpp"
#include "suite/session.hpp"
#include "suite/synthetic.hpp"
#include "suite/watchdog.hpp"

namespace wslcuda {
namespace {

bool root_ok(const std::string& root) {
  std::error_code ec;
  if (std::filesystem::is_directory(root, ec)) return true;
  std::cerr << "wslcuda: --root " << root << " is not a directory\n";
  return false;
}

void write_outputs(const run_report& report, const std::string& json_path,
                   const std::string& junit_path, const std::string& markdown_path,
                   const std::string& html_path = "") {
  if (!json_path.empty()) {
    write_file_atomically(json_path, json_document_text(report_to_json(report), json_path));
    std::cout << "report: " << std::filesystem::absolute(json_path).string() << "\n";
  }
  if (!junit_path.empty()) {
    write_file_atomically(junit_path, junit_xml(report));
    std::cout << "junit: " << std::filesystem::absolute(junit_path).string() << "\n";
  }
  if (!markdown_path.empty()) {
    write_file_atomically(markdown_path, markdown_summary(report));
    std::cout << "markdown: " << std::filesystem::absolute(markdown_path).string() << "\n";
  }
  if (!html_path.empty()) {
    write_file_atomically(html_path, html_report(html_source{&report, "", tool_version()}));
    std::cout << "html: " << std::filesystem::absolute(html_path).string() << "\n";
  }
}

/// Every output checked before any work (output_usable); the console kept off an output that is
/// standard output.
bool outputs_ok(std::initializer_list<std::string> paths) {
  for (const std::string& p : paths)
    if (!output_usable(p)) return false;
  keep_console_off_stdout(paths);
  return true;
}

}  // namespace

namespace {

std::atomic<int>& g_interrupt = stop_request();

std::string self_exe() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

/// A warning for outputs on a Windows drive mounted through 9p (/mnt/c/...): slow, and its
/// rename is not reliably atomic.
std::optional<std::string> output_location_warning(const std::string& path) {
  if (path.empty()) return std::nullopt;
  const std::string abs = std::filesystem::absolute(path).lexically_normal().string();
  if (abs.size() >= 7 && abs.rfind("/mnt/", 0) == 0 &&
      std::isalpha(static_cast<unsigned char>(abs[5])) && abs[6] == '/')
    return "output " + abs +
           " is on a Windows drive mounted through 9p: writes are slow and rename is "
           "not reliably atomic; prefer a path inside the distro (e.g. ~/) and copy it afterwards";
  return std::nullopt;
}

/// The runner's clock reader for `device`: NVML's readings (nullopt where NVML cannot answer).
/// NVML is loaded and initialised on the first reading, so a worker whose workloads never sample
/// on the device never pays for it.
std::function<std::optional<clock_reading>()> clock_reader_for(int device) {
  return [device, started = false, nvml = std::function<std::optional<clock_reading>()>()]() mutable
         -> std::optional<clock_reading> {
    if (!started) {
      started = true;
      nvml = nvml_clock_reader(device);
    }
    return nvml ? nvml() : std::nullopt;
  };
}

/// The judge's inputs for `--baseline CHOICE` (auto, none, history or a file already loaded
/// into `explicit_baseline`): the bundled baselines from the install folders and, for auto and
/// history, a baseline drawn from the store `store` for `candidate` (history_baseline: this
/// machine on its previous driver, else the model's bare-metal runs). Reading never creates a
/// store, and a store that cannot be read is a note, never an error: the judge falls back.
judge_inputs judge_inputs_for(const std::string& choice,
                              std::optional<comparable_document> explicit_baseline,
                              const gate_policy& policy, int device,
                              const history::store_spec& store, const run_report& candidate) {
  judge_inputs in;
  in.choice = choice == "auto"      ? baseline_choice::automatic
              : choice == "none"    ? baseline_choice::none
              : choice == "history" ? baseline_choice::history
                                    : baseline_choice::file;
  in.explicit_baseline = std::move(explicit_baseline);
  in.bundled = load_bundled_baselines(bundled_baseline_dirs(self_exe()), in.notes);
  in.policy = policy;
  in.device = device;
  if (in.choice != baseline_choice::automatic && in.choice != baseline_choice::history) return in;
  if (store.kind == history::store_kind::none) {
    in.history_note = "no history store (--history none)";
  } else if (!history::store_exists(store)) {
    in.history_note = "nothing recorded yet in " + history::describe(store);
  } else {
    try {
      history::open_options read;
      read.create = false;
      read.read_only = true;
      const auto c = history::open_store(store, read);
      in.history_baseline = history::history_baseline(*c, candidate, in.history_note);
    } catch (const std::exception& e) {  // store_error, or a stored run that cannot be read
      in.history_note = std::string("the history store could not be read: ") + e.what();
      if (in.choice == baseline_choice::automatic) in.notes.push_back(in.history_note);
    }
  }
  return in;
}

/// The store `--history` names (else WSLCUDA_HISTORY, else the default file); a bad spec is a
/// usage error, said before any work.
std::optional<history::store_spec> history_store_for(const std::string& option) {
  try {
    return history::resolve_store_spec(option);
  } catch (const history::store_error& e) {
    std::cerr << "wslcuda: " << terminal_safe(e.what()) << "\n";
    return std::nullopt;
  }
}

/// `inputs` and the history store when it is a file (SQLite): no output may replace it.
std::vector<named_path> with_store_input(std::vector<named_path> inputs,
                                         const history::store_spec& store) {
  if (store.kind == history::store_kind::sqlite)
    inputs.push_back(named_path{"--history", store.target});
  return inputs;
}

/// "wslcuda: warning: TEXT" on stderr, terminal-safe.
void warn(const std::string& text) {
  std::cerr << "wslcuda: warning: " << terminal_safe(text) << "\n";
}

/// Records `report` in `store` (record_with_fallback: a server that cannot be reached leaves the
/// run in the local store, marked to push), re-analyses the series it touched for change points
/// under `policy` (run's --policy: its change_points block), and notes where in report.history;
/// says so on the console. Never throws a store error and never changes the exit code.
void record_in_history(run_report& report, const history::store_spec& store,
                       const gate_policy& policy, const std::string& json_path) {
  if (store.kind == history::store_kind::none) return;
  history::record_options options;
  options.source = json_path.empty() ? "run" : std::filesystem::absolute(json_path).string();
  const history::fallback_outcome o =
      history::record_with_fallback(store, report, options, nullptr, &policy);
  history_record h;
  h.store = o.store;
  h.run_key = o.record.run_key;
  h.recorded = o.recorded;
  h.pending = o.pending;
  h.message = o.warning;
  report.history = h;
  if (!o.warning.empty()) warn(o.warning);
  if (!o.analysis_warning.empty()) warn(o.analysis_warning);
  if (o.recorded)
    std::cout << "history: " << (o.record.added ? "recorded in " : "already recorded in ")
              << terminal_safe(o.store) << " (run " << o.record.run_key.substr(0, 12) << ")"
              << (o.pending ? ", not yet pushed" : "") << "\n";
}

/// Whether `--baseline` names a file (not auto, none or history).
bool names_a_file(const std::string& choice) {
  return choice != "auto" && choice != "none" && choice != "history";
}

}  // namespace

namespace {

/// Seconds a stop waits for an in-process workload to return before the watchdog writes the
/// report without it (--no-isolation).
constexpr double kInProcessStopGraceS = 2.0;

/// The end of `run`: exit code, results table, outputs (the journal kept, and said so, when an
/// output cannot be written), the journal removed, the verdict. Returns the exit code.
int finish_run(run_report& report, const run_options& options, const history::store_spec& store,
               const gate_policy& policy, bool usable, journal* log) {
  report.finished_at = utc_now_iso8601();
  report.exit_code =
      report.interrupted
          ? exit_interrupted
          : exit_code_for(usable, overall_statuses(report), options.strict,
                          report.gate && report.gate->inconclusive(), options.allow_inconclusive);
  std::cout << "\n";
  print_results_table(std::cout, report.results);
  std::cout << "\n";
  // Recorded before the report is written, so that the report says where; interrupted runs
  // too (marked, never a baseline).
  record_in_history(report, store, policy, options.json_path);
  try {
    write_outputs(report, options.json_path, options.junit_path, options.markdown_path,
                  options.html_path);
  } catch (const output_error&) {
    if (log != nullptr && log->on_disk())
      std::cerr << "wslcuda: the finished results are kept in " << log->path().string() << "\n";
    else if (log != nullptr)
      std::cerr << "wslcuda: the journal " << log->path().string()
                << " was removed during the run (its folder with it?): the finished results "
                   "are only in the table above\n";
    throw;
  }
  if (log != nullptr) log->remove();
  print_verdict(std::cout, report);
  return report.exit_code;
}

/// What the in-process watchdog (--no-isolation) writes when a workload passes its time limit
/// or a stop signal finds one that does not return: `header` (the report before measuring) with
/// the finished executions; for a deadline, the hung workload as `error` and the ones that never
/// ran as `skip`. Then the process ends (_exit): its main thread is stuck in the workload.
[[noreturn]] void finish_from_watchdog(const watchdog_event& event, run_report report,
                                       const std::vector<result_row>& finished,
                                       const std::vector<workload*>& selected, int device,
                                       const run_options& options, const history::store_spec& store,
                                       const gate_policy& policy, bool usable, journal* log,
                                       double run_start, double probe_s) {
  std::vector<result_row> executions = finished;
  if (event.why == watchdog_event::kind::deadline) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%.3g", event.limit_s);
    for (const workload* w : selected) {
      const bool ran = std::any_of(executions.begin(), executions.end(),
                                   [&](const result_row& r) { return r.id == w->info().id; });
      if (w->info().id == event.id) {
        result_row row = skipped_row(*w, device, "");
        row.status = status::error;
        row.message = std::string("timed out after ") + limit +
                      " s in process: --no-isolation cannot stop a workload, so the run ended "
                      "here (in worker processes, the default, a timed-out workload is killed "
                      "and the run goes on)";
        executions.push_back(std::move(row));
      } else if (!ran) {
        executions.push_back(skipped_row(
            *w, device, "not run: " + event.id + " hung in process before it (--no-isolation)"));
      }
    }
    report.warnings.push_back("run ended early: " + event.id + " passed its time limit of " +
                              limit + " s in process (--no-isolation)");
    std::cerr << "\nwslcuda: " << terminal_safe(event.id) << " passed its time limit of " << limit
              << " s in process; writing the report of what finished\n";
  } else {
    report.interrupted = true;
    if (!event.id.empty())
      std::cerr << "\nwslcuda: " << terminal_safe(event.id)
                << " did not return; writing the report without it\n";
  }
  report.results = merge_by_id(executions);
  report.timing = account_time(report.results, steady_seconds() - run_start, probe_s, 0.0);
  int code = exit_output;
  try {
    code = finish_run(report, options, store, policy, usable, log);
  } catch (const std::exception& e) {
    std::cerr << "wslcuda: cannot write an output: " << e.what() << "\n";
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ::_exit(code);
}

}  // namespace

int command_run(const run_options& options) {
  const std::optional<history::store_spec> store = history_store_for(options.history);
  if (!store) return exit_usage;
  if (!outputs_ok(
          {options.json_path, options.junit_path, options.markdown_path, options.html_path}) ||
      !root_ok(options.root) ||
      !outputs_distinct(
          report_outputs(options.json_path, options.junit_path, options.markdown_path,
                         options.html_path),
          with_store_input(run_inputs(options.policy_path, options.baseline), *store)))
    return exit_usage;
  // Inputs are read before anything runs: a bad file costs nothing.
  gate_policy policy = default_policy();
  std::optional<comparable_document> explicit_baseline;
  try {
    if (!options.policy_path.empty()) policy = read_policy_file(options.policy_path);
    if (names_a_file(options.baseline)) explicit_baseline = load_comparable(options.baseline);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  // The journal is the run's lock on its report path: taken before any work.
  std::unique_ptr<journal> log;
  if (!open_run_journal(options.json_path, log)) return exit_usage;
  install_stop_handlers(!options.isolation, log ? log->path().string() : std::string());
  run_report report;
  report.command = "run";
  report.argv = options.argv;
  report.started_at = utc_now_iso8601();
  if (auto w = output_location_warning(options.json_path)) {
    report.warnings.push_back(*w);
    std::cerr << "wslcuda: warning: " << *w << "\n";
  }

  const double run_start = steady_seconds();
  probe_result probe = probe_environment(options.root);
  report.env = std::move(probe.env);
  const double probe_s = steady_seconds() - run_start;
  print_environment(std::cout, report.env);
  print_checks(std::cout, report.env.checks);

  const target_info target = make_target(report.env, options.device);
  registry workloads;
  register_builtin_workloads(workloads, suite_config_for(target, options.quick, options.seed));
  if (options.synthetic) register_synthetic(workloads);
  const std::vector<workload*> selected = workloads.matching(options.filter);
  if (selected.empty()) {
    std::cerr << "wslcuda: no workload id matches --filter '" << options.filter
              << "' (see `wslcuda list`)\n";
    return exit_usage;
  }

  if (!target.usable && report.env.no_device_reason.empty())
    report.env.no_device_reason = target.unusable_reason;  // e.g. --device out of range
  runner_options runner;
  runner.sampling = options.quick ? quick_sampling_policy() : default_sampling_policy();
  // In-process runs (--no-isolation) read the clocks here; workers read their own.
  if (target.usable && !options.isolation) runner.read_clocks = clock_reader_for(options.device);

  schedule_options schedule;
  schedule.isolation = options.isolation;
  schedule.self_exe = self_exe();
  schedule.job_template.device = options.device;
  schedule.job_template.seed = options.seed;
  schedule.job_template.quick = options.quick;
  schedule.job_template.synthetic = options.synthetic;
  schedule.job_template.target = target;
  schedule.job_template.sampling = runner.sampling;
  schedule.timeout_scale = options.timeout_scale;
  schedule.worker_memory_limit = options.worker_memory_limit;
  schedule.interrupt = &g_interrupt;
  if (schedule.isolation && schedule.self_exe.empty()) {
    std::cerr
        << "wslcuda: cannot find its own executable for worker processes; running in process\n";
    schedule.isolation = false;
    install_stop_handlers(true, log ? log->path().string() : std::string());
  }

  const int device = options.device;
  std::cout << "\nrunning " << selected.size() << " workload(s)"
            << (options.repeat > 1 ? " × " + std::to_string(options.repeat) + " executions" : "")
            << (target.usable ? " on device " + std::to_string(device) + " (" + target.name + ")"
                              : "")
            << (schedule.isolation ? ", in worker processes (a worker group shares one)"
                                   : ", in process")
            << "\n";
  progress_printer progress(std::cerr);
  // Every finished execution, under a lock the in-process watchdog takes for good when it acts.
  std::mutex finished_mutex;
  std::vector<result_row> finished;
  const auto on_row = [&](const result_row& row) {
    std::lock_guard<std::mutex> lock(finished_mutex);
    finished.push_back(row);
    if (log) log->append(to_json(row));
    if (options.progress) progress(row);
  };
  std::function<result_row(workload&)> in_process = make_in_process_runner(
      target, [device] { return std::make_unique<cuda_context>(device); }, runner);
  // --no-isolation: a workload in this process cannot be stopped; a watchdog thread enforces
  // its time limit and a stop signal, writing the report of what finished (suite/watchdog.hpp).
  const run_report header = report;
  std::unique_ptr<in_process_watchdog> watchdog;
  if (!schedule.isolation) {
    watchdog = std::make_unique<in_process_watchdog>(
        kInProcessStopGraceS, [&](const watchdog_event& event) {
          finished_mutex.lock();  // never released: the process ends in finish_from_watchdog
          finish_from_watchdog(event, header, finished, selected, device, options, *store, policy,
                               target.usable, log.get(), run_start, probe_s);
        });
    in_process = watchdog->guard(in_process, runner.sampling, options.timeout_scale);
    notify_stops_to(watchdog->notify_fd(), kInProcessStopGraceS);
  }
  measurement_session session(selected, target, schedule, in_process, on_row);
  session_options measure;
  measure.repeat = options.repeat;
  if (options.samples && !schedule.self_exe.empty()) {
    // Each sample in its own process, 300 s at most (× --timeout-scale).
    measure.samples_dir = std::filesystem::path(schedule.self_exe).parent_path().string();
    measure.samples_timeout_s = 300.0 * options.timeout_scale;
  }
  // Every execution's row, in order; report.results merges them by id.
  session_outcome measured = session.measure(measure);
  std::vector<result_row>& executions = measured.executions;
  if (options.progress) progress.flush();
  report.results = merge_by_id(executions);
  report.interrupted = measured.interrupted || g_interrupt.load() != 0;
  double judge_s = 0.0;
  if (!report.interrupted) {
    const double judge_start = steady_seconds();
    const double measured_before = account_time(report.results, 0, 0, 0).measured_s();
    judge_inputs in = judge_inputs_for(options.baseline, std::move(explicit_baseline), policy,
                                       device, *store, report);
    in.confirm = options.confirm;
    in.rerun = [&](const std::vector<std::string>& ids) {
      std::cout << "confirming " << ids.size() << " suspect row(s) in a fresh execution\n";
      return session.rerun(ids);
    };
    judgement verdict;
    try {
      verdict = judge_run(report, executions, in);
    } catch (const input_error& e) {
      // The measurements stand; only the comparison could not be made (e.g. a row whose
      // timer gave 0 s, which no ratio can use). Say so, and keep the report.
      verdict = not_compared(report, e.what());
    }
    executions.insert(executions.end(), verdict.confirmations.begin(), verdict.confirmations.end());
    report.results = merge_by_id(executions);
    apply_judgement(report, verdict);
    print_judgement(std::cout, *report.gate);
    // Confirmation runs count under their families, not under the judgement.
    judge_s =
        std::max(0.0, steady_seconds() - judge_start -
                          (account_time(report.results, 0, 0, 0).measured_s() - measured_before));
    report.interrupted = g_interrupt.load() != 0;
  }
  report.timing = account_time(report.results, steady_seconds() - run_start, probe_s, judge_s);
  // The watchdog may have acted meanwhile: then it writes the report, and this thread waits.
  if (watchdog && !watchdog->main_thread_finishing())
    for (;;) ::pause();
  const int code = finish_run(report, options, *store, policy, target.usable, log.get());
  if (watchdog) notify_stops_to(-1, 0.0);
  return code;
}

int command_worker() {
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(0, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  worker_job job;
  try {
    job = worker_job_from_json(json::parse(text));
  } catch (const std::exception& e) {
    std::cerr << "wslcuda __worker: bad job: " << e.what() << "\n";
    return exit_usage;
  }
  // cuBLAS (0.05 to 0.1 s of dlopen) is loaded by the first GEMM that needs it (gemm_workload),
  // not by every worker: most worker groups never call it.
  const suite_config config = suite_config_for(job.target, job.quick, job.seed);
  registry workloads;
  register_builtin_workloads(workloads, config);
  if (job.synthetic) register_synthetic(workloads);
  std::vector<workload*> selected;
  for (const std::string& id : job.ids) {
    workload* w = nullptr;
    for (const auto& candidate : workloads.all())
      if (candidate->info().id == id) w = candidate.get();
    if (w == nullptr) {
      std::cerr << "wslcuda __worker: no workload " << id << "\n";
      return exit_usage;
    }
    selected.push_back(w);
  }
  // Before CUDA starts in this process: JIT compiles being measured must not hit the cache.
  for (const workload* w : selected)
    if (w->info().requirements.jit_cache_disabled) ::setenv("CUDA_CACHE_DISABLE", "1", 1);
  runner_options runner;
  runner.sampling = job.sampling;
  if (job.target.usable) runner.read_clocks = clock_reader_for(job.device);
  auto run = make_in_process_runner(
      job.target, [&] { return std::make_unique<cuda_context>(job.device); }, runner);
  for (workload* w : selected) {
    const result_row row = run(*w);
    write_result_line(std::cout, row);
    // A lost device poisons this process's context: the parent runs the rest in a new worker.
    if (row.status == status::error && is_device_lost(row.error)) break;
  }
  return exit_ok;
}

int command_doctor(const doctor_options& options) {
  if (!outputs_ok({options.json_path, options.junit_path, options.markdown_path}) ||
      !root_ok(options.root) ||
      !outputs_distinct(
          report_outputs(options.json_path, options.junit_path, options.markdown_path), {}))
    return exit_usage;
  run_report report;
  report.command = "doctor";
  report.argv = options.argv;
  report.started_at = utc_now_iso8601();
  probe_result probe = probe_environment(options.root, options.deep);
  report.env = std::move(probe.env);
  report.finished_at = utc_now_iso8601();
  // Under --root the live checks are skipped by design: that is not "unusable".
  report.exit_code = exit_code_for(!report.env.live || environment_usable(report.env),
                                   overall_statuses(report), false);
  print_environment(std::cout, report.env);
  print_checks(std::cout, report.env.checks);
  std::cout << "\n";
  write_outputs(report, options.json_path, options.junit_path, options.markdown_path);
  print_verdict(std::cout, report);
  return report.exit_code;
}

int command_compare(const compare_options& options) {
  if (!outputs_ok({options.json_path, options.markdown_path}) ||
      !outputs_distinct(report_outputs(options.json_path, "", options.markdown_path),
                        compare_inputs(options.baseline, options.candidate, options.policy_path)))
    return exit_usage;
  comparable_document baseline, candidate;
  gate_policy policy = default_policy();
  try {
    baseline = load_comparable(options.baseline);
    candidate = load_comparable(options.candidate);
    if (!options.policy_path.empty()) policy = read_policy_file(options.policy_path);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  document_comparison c;
  try {
    c = compare_documents(baseline, candidate, policy);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  // --strict: every outcome but pass fails, a comparison that gated nothing included.
  const int code = c.verdict == status::fail || (options.strict && c.verdict != status::pass)
                       ? exit_failed
                       : exit_ok;
  print_comparison(std::cout, c, baseline, candidate);
  if (!options.json_path.empty())
    write_file_atomically(
        options.json_path,
        json_document_text(comparison_to_json(c, baseline, candidate, policy, code),
                           options.json_path));
  if (!options.markdown_path.empty())
    write_file_atomically(options.markdown_path,
                          comparison_markdown(c, baseline, candidate, policy));
  return code;
}

int command_gate(const gate_options& options) {
  const std::optional<history::store_spec> store = history_store_for(options.history);
  if (!store) return exit_usage;
  std::vector<named_path> inputs =
      with_store_input(run_inputs(options.policy_path, options.baseline), *store);
  inputs.push_back(named_path{"REPORT", options.report});
  if (!outputs_ok(
          {options.json_path, options.junit_path, options.markdown_path, options.html_path}) ||
      !outputs_distinct(report_outputs(options.json_path, options.junit_path, options.markdown_path,
                                       options.html_path),
                        inputs))
    return exit_usage;
  loaded_report loaded;
  gate_policy policy = default_policy();
  std::optional<comparable_document> explicit_baseline;
  try {
    loaded = read_report_file(options.report);
    if (!options.policy_path.empty()) policy = read_policy_file(options.policy_path);
    if (names_a_file(options.baseline)) explicit_baseline = load_comparable(options.baseline);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  run_report& report = loaded.report;
  if (report.command != "run") {
    std::cerr << "wslcuda: " << options.report << " is a `" << report.command
              << "` report; gate judges `run` reports\n";
    return exit_usage;
  }
  // The measurement alone (the reader keeps it apart from any earlier judgement), judged again:
  // nothing is measured, so no confirmation rounds.
  const int device = report.results.empty() ? 0 : report.results.front().device;
  clear_judgement(report);
  try {
    apply_judgement(
        report, judge_run(report, report.results,
                          judge_inputs_for(options.baseline, std::move(explicit_baseline), policy,
                                           device, *store, report)));
  } catch (const input_error& e) {  // a malformed row or baseline met while comparing
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  print_judgement(std::cout, *report.gate);
  const bool usable = !report.env.devices.empty() && report.env.no_device_reason.empty();
  report.exit_code = report.interrupted
                         ? exit_interrupted
                         : exit_code_for(usable, overall_statuses(report), options.strict,
                                         report.gate->inconclusive(), options.allow_inconclusive);
  print_results_table(std::cout, report.results);
  std::cout << "\n";
  write_outputs(report, options.json_path, options.junit_path, options.markdown_path,
                options.html_path);
  print_verdict(std::cout, report);
  return report.exit_code;
}

int command_baseline_capture(const capture_options& options) {
  if (options.out.empty() || options.from.empty()) {
    std::cerr << "wslcuda: baseline capture needs --from (one or more) and a non-empty --out\n";
    return exit_usage;
  }
  if (!outputs_ok({options.out}) || !outputs_distinct(capture_paths("--out", {options.out}),
                                                      capture_paths("--from", options.from)))
    return exit_usage;
  std::vector<comparable_document> inputs;
  comparable_document merged;
  try {
    for (const std::string& from : options.from) {
      comparable_document doc = load_comparable(from);
      if (doc.context.is_wsl && !options.allow_wsl)
        throw input_error(from +
                          " was measured in WSL; a baseline should come from bare-metal Linux "
                          "(use --allow-wsl for a WSL-vs-WSL baseline, e.g. driver N-1 vs N)");
      if (doc.entries.empty())
        throw input_error(from + " has no timed results to make a baseline from");
      inputs.push_back(std::move(doc));
    }
    merged = merge_documents(inputs);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  write_file_atomically(options.out, json_document_text(baseline_to_json(merged), options.out));
  std::size_t executions = 0;
  for (const comparable_entry& e : merged.entries) executions += e.executions.size();
  std::cout << "baseline: " << std::filesystem::absolute(options.out).string() << " ("
            << merged.entries.size() << " workloads, " << executions << " executions from "
            << merged.context.sources.size() << " file(s) on " << merged.context.machines.size()
            << " machine(s), " << merged.context.gpu_name << ")\n";
  return exit_ok;
}

int command_list(const list_options& options) {
  suite_config config;
  config.quick = options.quick;
  registry workloads;
  register_builtin_workloads(workloads, config);
  const std::vector<workload*> selected = workloads.matching(options.filter);
  if (selected.empty()) {  // as `run` does
    std::cerr << "wslcuda: no workload id matches --filter '" << options.filter << "'\n";
    return exit_usage;
  }
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
