// `wslcuda history …` (import, list, trend, baseline, exclude) and the store as a source of
// reports for `html` and `export`. The history library (history/) does the work; this file
// parses, prints (text from reports made terminal-safe) and maps faults to exit codes.

#include "cli/history_commands.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "baseline/baseline.hpp"
#include "cli/run_guard.hpp"
#include "history/push.hpp"
#include "history/queries.hpp"
#include "history/record.hpp"
#include "history/store_spec.hpp"
#include "measure/units.hpp"
#include "model/printable.hpp"
#include "report/atomic_file.hpp"
#include "report/csv.hpp"
#include "report/exit_code.hpp"
#include "report/output_paths.hpp"

namespace wslcuda {

int store_failure(const history::store_error& e) {
  std::cerr << "wslcuda: " << terminal_safe(e.what()) << "\n";
  return is_input_fault(e.kind()) ? exit_usage : exit_output;
}

int with_store(const std::string& spec_text, bool create,
               const std::function<int(history::connection&, const history::store_spec&)>& work,
               const std::function<int(const history::store_spec&)>& missing) {
  using namespace wslcuda::history;
  try {
    const store_spec spec = resolve_store_spec(spec_text);
    if (spec.kind == store_kind::none) {
      std::cerr << "wslcuda: history is off (" << spec.origin
                << " none): name a store with --history sqlite:PATH\n";
      return exit_usage;
    }
    if (!create && !store_exists(spec) && missing) return missing(spec);
    open_options o;
    o.create = create;
    std::unique_ptr<connection> c = open_store(spec, o);
    return work(*c, spec);
  } catch (const store_error& e) {
    return store_failure(e);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << terminal_safe(e.what()) << "\n";
    return exit_usage;
  }
}

bool platform_ok(const std::string& platform) {
  if (platform.empty() || platform == "wsl" || platform == "linux") return true;
  std::cerr << "wslcuda: --platform " << terminal_safe(platform) << ": expected wsl or linux\n";
  return false;
}

void add_spec_option(CLI::App* cmd, std::string& spec) {
  cmd->add_option("--history", spec,
                  "store: sqlite:PATH, postgresql://…, postgresql:KEYWORDS or none (default: "
                  "$WSLCUDA_HISTORY, else "
                  "sqlite:$XDG_DATA_HOME/wslcuda/history.db)")
      ->option_text("SPEC");
}

namespace {

using namespace wslcuda::history;

/// Text from the store, safe for the terminal and cut to one line.
std::string shown(const std::string& s, std::size_t max = 60) {
  return one_line(s, max);
}

std::string short_key(const std::string& key) {
  return key.substr(0, 12);
}

/// Prints `rows` as columns separated by two spaces (the last column unpadded).
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::string& indent = "") {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  for (const auto& r : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

json run_json(const run_summary& r) {
  json j{{"run_key", r.run_key},
         {"started_at", r.started_at},
         {"finished_at", r.finished_at},
         {"command", r.command},
         {"machine", r.machine_key},
         {"cpu", r.cpu},
         {"gpu_uuid", r.gpu_uuid},
         {"gpu", r.gpu_model},
         {"compute_capability", r.compute_capability},
         {"platform", r.platform},
         {"driver", r.driver_version},
         {"cuda_driver_api_version", r.cuda_driver_api},
         {"verdict", r.verdict},
         {"exit_code", r.exit_code},
         {"results", r.results},
         {"interrupted", r.interrupted},
         {"excluded", r.excluded},
         {"excluded_reason", r.excluded_reason},
         {"source", r.source},
         {"tool_version", r.tool_version}};
  return j;
}

/// `j` as indented JSON. Text from the store is valid UTF-8 already (storable_text); any byte
/// that is not would be written as U+FFFD rather than stop the listing.
std::string json_text(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

json optional_number(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json point_json(const trend_point& p) {
  json j{{"id", p.workload_id},
         {"metric", p.metric},
         {"gpu", p.gpu_model},
         {"platform", p.platform},
         {"driver", p.driver_version},
         {"cuda_driver_api_version", p.cuda_driver_api},
         {"started_at", p.started_at},
         {"run_key", p.run_key},
         {"machine", p.machine_key},
         {"status", p.status},
         {"value", optional_number(p.value)},
         {"throughput", optional_number(p.throughput)},
         {"throughput_unit", p.throughput_unit},
         {"executions", p.executions},
         {"spread", optional_number(p.spread)},
         {"excluded", p.excluded},
         {"interrupted", p.interrupted}};
  return j;
}

std::string number_text(const std::optional<double>& v) {
  if (!v) return "";
  std::ostringstream s;
  s << std::setprecision(17) << *v;
  return s.str();
}

std::string notes(bool interrupted, bool excluded) {
  std::string s;
  if (interrupted) s += "interrupted";
  if (excluded) s += std::string(s.empty() ? "" : ", ") + "excluded";
  return s;
}

// history import ------------------------------------------------------------------------------

struct import_options {
  std::string spec;
  std::vector<std::string> paths;
};

int command_history_import(const import_options& o) {
  return with_store(o.spec, true, [&](connection& c, const store_spec& spec) {
    std::size_t added = 0, again = 0, skipped = 0, errors = 0;
    import_analysis analysis;
    std::string analysed;
    analysis.done = [&](const change_analysis& a) {
      std::size_t regressions = 0;
      for (const change_record& r : a.changes)
        if (r.state == change_state::new_ && r.direction == change_direction::regression)
          ++regressions;
      analysed = "changes: " + std::to_string(a.changes.size()) + " change point(s), " +
                 std::to_string(regressions) +
                 " new regression(s), in the series these runs touched (wslcuda history "
                 "changes)\n";
    };
    analysis.failed = [](const std::string& why) {
      std::cerr << "wslcuda: warning: the runs are recorded; their change points are not: "
                << terminal_safe(why) << "\n";
    };
    import_paths(
        c, o.paths,
        [&](const import_entry& e) {
          const std::string file = terminal_safe(e.file);
          if (!e.error.empty()) {
            ++errors;
            std::cerr << "wslcuda: " << terminal_safe(e.error) << "\n";
          } else if (e.skipped) {
            ++skipped;
            std::cout << "skipped           " << file << " (not a wslcuda report)\n";
          } else if (e.added) {
            ++added;
            std::cout << "added             " << short_key(e.run_key) << "  " << file << " ("
                      << e.results << " results)\n";
          } else {
            ++again;
            std::cout << "already recorded  " << short_key(e.run_key) << "  " << file << "\n";
          }
        },
        analysis);
    std::cout << "history: " << added << " added, " << again << " already recorded";
    if (skipped > 0) std::cout << ", " << skipped << " skipped";
    if (errors > 0) std::cout << ", " << errors << " could not be read";
    std::cout << "; " << terminal_safe(describe(spec)) << "\n" << analysed;
    return errors > 0 ? exit_usage : exit_ok;
  });
}

// history list --------------------------------------------------------------------------------

struct list_history_options {
  std::string spec;
  run_filter filter;
  bool json = false;
};

void print_runs(const std::vector<run_summary>& runs) {
  std::vector<std::vector<std::string>> rows = {{"started", "run", "machine", "GPU", "platform",
                                                 "driver", "CUDA", "command", "verdict", "rows",
                                                 "note"}};
  for (const run_summary& r : runs)
    rows.push_back(
        {shown(r.started_at, 32), short_key(r.run_key), r.machine_key.substr(0, 8),
         shown(r.gpu_model.empty() ? "-" : r.gpu_model, 40), r.platform,
         shown(r.driver_version.empty() ? "?" : r.driver_version, 24),
         cuda_version_string(r.cuda_driver_api), shown(r.command, 12), r.verdict,
         std::to_string(r.results),
         notes(r.interrupted, r.excluded) + (r.excluded ? ": " + shown(r.excluded_reason) : "")});
  print_table(std::cout, rows);
}

int command_history_list(const list_history_options& o) {
  if (!platform_ok(o.filter.platform)) return exit_usage;
  auto empty = [&](const store_spec& spec) {
    if (o.json)
      std::cout << "[]\n";
    else
      std::cout << "history: no runs recorded yet (" << terminal_safe(describe(spec))
                << " does not exist)\n";
    return exit_ok;
  };
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec& spec) {
        const std::vector<run_summary> runs = list_runs(c, o.filter);
        if (o.json) {
          json out = json::array();
          for (const run_summary& r : runs) out.push_back(run_json(r));
          std::cout << json_text(out) << "\n";
          return exit_ok;
        }
        std::cout << "history: " << runs.size() << (runs.size() == 1 ? " run" : " runs") << " in "
                  << terminal_safe(describe(spec)) << "\n";
        if (!runs.empty()) print_runs(runs);
        return exit_ok;
      },
      empty);
}

// history trend -------------------------------------------------------------------------------

struct trend_options {
  std::string spec;
  std::vector<std::string> ids;
  run_filter filter;
  std::string metric = "median_s";
  bool json = false, csv = false;
};

void print_trend(const std::vector<trend_point>& points) {
  std::size_t i = 0;
  while (i < points.size()) {
    const trend_point& first = points[i];
    std::cout << shown(first.workload_id, 120) << " on " << shown(first.gpu_model) << ", "
              << first.platform << " (" << shown(first.metric) << ")\n";
    std::vector<std::vector<std::string>> rows = {{"driver", "CUDA", "started", "run", "status",
                                                   first.metric == "median_s" ? "central" : "value",
                                                   "throughput", "execs", "spread", "note"}};
    for (; i < points.size() && points[i].workload_id == first.workload_id &&
           points[i].gpu_model == first.gpu_model && points[i].platform == first.platform;
         ++i) {
      const trend_point& p = points[i];
      std::string value;
      const bool seconds =
          p.metric.size() > 2 && p.metric.compare(p.metric.size() - 2, 2, "_s") == 0;
      if (p.value) value = seconds ? format_seconds(*p.value) : number_text(p.value);
      std::ostringstream spread;
      if (p.spread) spread << std::fixed << std::setprecision(1) << 100.0 * *p.spread << " %";
      rows.push_back({shown(p.driver_version.empty() ? "?" : p.driver_version, 24),
                      cuda_version_string(p.cuda_driver_api), shown(p.started_at, 32),
                      short_key(p.run_key), shown(p.status, 8), value,
                      p.throughput ? format_si(*p.throughput, shown(p.throughput_unit, 12)) : "",
                      std::to_string(p.executions), spread.str(),
                      notes(p.interrupted, p.excluded)});
    }
    print_table(std::cout, rows, "  ");
  }
}

int command_history_trend(const trend_options& o) {
  if (!platform_ok(o.filter.platform)) return exit_usage;
  if (o.json && o.csv) {
    std::cerr << "wslcuda: history trend: give --json or --csv, not both\n";
    return exit_usage;
  }
  auto nothing = [&](const std::string& store) {
    std::cerr << "wslcuda: history trend: no stored result matches";
    for (const std::string& id : o.ids) std::cerr << " " << terminal_safe(id);
    std::cerr << " in " << terminal_safe(store) << "\n";
    return exit_usage;
  };
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec& spec) {
        const std::vector<trend_point> points = trend(c, o.ids, o.filter, o.metric);
        if (points.empty()) return nothing(describe(spec));
        if (o.json) {
          json out = json::array();
          for (const trend_point& p : points) out.push_back(point_json(p));
          std::cout << json_text(out) << "\n";
        } else if (o.csv) {
          std::cout << "id,metric,gpu,platform,driver,cuda_driver_api_version,started_at,run_key,"
                       "machine,status,value,throughput,throughput_unit,executions,spread,"
                       "excluded,interrupted\n";
          for (const trend_point& p : points)
            std::cout << csv_field(utf8_escaped(p.workload_id)) << ","
                      << csv_field(utf8_escaped(p.metric)) << ","
                      << csv_field(utf8_escaped(p.gpu_model)) << "," << p.platform << ","
                      << csv_field(utf8_escaped(p.driver_version)) << "," << p.cuda_driver_api
                      << "," << csv_field(utf8_escaped(p.started_at)) << "," << p.run_key << ","
                      << p.machine_key << "," << csv_field(utf8_escaped(p.status)) << ","
                      << number_text(p.value) << "," << number_text(p.throughput) << ","
                      << csv_field(utf8_escaped(p.throughput_unit)) << "," << p.executions << ","
                      << number_text(p.spread) << "," << (p.excluded ? 1 : 0) << ","
                      << (p.interrupted ? 1 : 0) << "\n";
        } else {
          print_trend(points);
        }
        return exit_ok;
      },
      [&](const store_spec& spec) { return nothing(describe(spec) + " (it does not exist)"); });
}

// history baseline ----------------------------------------------------------------------------

struct baseline_options {
  std::string spec;
  baseline_selection selection;
  std::string out;
};

int command_history_baseline(const baseline_options& o) {
  if (o.out.empty()) {
    std::cerr << "wslcuda: history baseline: --out names no file\n";
    return exit_usage;
  }
  if (!platform_ok(o.selection.platform)) return exit_usage;
  // The store file is an input: --out must not name it (and is checked before any work).
  std::vector<std::string> inputs;
  try {
    const store_spec spec = resolve_store_spec(o.spec);
    if (spec.kind == store_kind::sqlite) inputs.push_back(spec.target);
  } catch (const store_error& e) {
    return store_failure(e);
  }
  if (!outputs_distinct(capture_paths("--out", {o.out}), capture_paths("--history", inputs)))
    return exit_usage;
  if (!output_usable(o.out)) return exit_usage;  // as every writer (cli/run_guard.hpp)
  keep_console_off_stdout({o.out});
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec&) {
        const stored_baseline b = baseline_from_store(c, o.selection);
        write_file_atomically(o.out, json_document_text(baseline_to_json(b.document), o.out));
        std::size_t executions = 0;
        for (const comparable_entry& e : b.document.entries) executions += e.executions.size();
        std::cout << "baseline: " << terminal_safe(std::filesystem::absolute(o.out).string())
                  << " (" << b.document.entries.size() << " workloads, " << executions
                  << " executions from " << b.runs.size() << " stored run(s) on "
                  << b.document.context.machines.size() << " machine(s), "
                  << shown(b.document.context.gpu_name) << ")\n"
                  << terminal_safe(b.why) << "\n";
        return exit_ok;
      },
      [&](const store_spec& spec) {
        std::cerr << "wslcuda: history baseline: no runs recorded yet ("
                  << terminal_safe(describe(spec)) << " does not exist)\n";
        return exit_usage;
      });
}

// history exclude -----------------------------------------------------------------------------

struct exclude_options {
  std::string spec;
  std::string run;
  std::string reason;
};

int command_history_exclude(const exclude_options& o) {
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec&) {
        const run_summary r = exclude_run(c, o.run, o.reason);
        std::cout << "excluded " << short_key(r.run_key) << " (" << shown(r.started_at, 32) << ", "
                  << shown(r.gpu_model.empty() ? "no GPU" : r.gpu_model) << ", " << r.platform
                  << ", driver " << shown(r.driver_version)
                  << "): " << shown(r.excluded_reason, 200) << "\n";
        return exit_ok;
      },
      [&](const store_spec& spec) {
        std::cerr << "wslcuda: history exclude: no runs recorded yet ("
                  << terminal_safe(describe(spec)) << " does not exist)\n";
        return exit_usage;
      });
}

// history push --------------------------------------------------------------------------------

struct push_cli_options {
  std::string to;
  std::string from;  ///< "" → the default local store (where a run that could not reach its
                     ///< server was recorded)
};

int command_history_push(const push_cli_options& o) {
  try {
    const store_spec to = parse_store_spec(o.to, "--to");
    const store_spec from =
        o.from.empty() ? default_store_spec() : parse_store_spec(o.from, "--from");
    if (to.kind == store_kind::none || from.kind == store_kind::none) {
      std::cerr << "wslcuda: history push: --to and --from name stores, not none\n";
      return exit_usage;
    }
    if (to.kind == from.kind && to.target == from.target) {
      std::cerr << "wslcuda: history push: --to and --from name the same store\n";
      return exit_usage;
    }
    if (!store_exists(from)) {
      std::cout << "history push: nothing to push (" << terminal_safe(describe(from))
                << " does not exist)\n";
      return exit_ok;
    }
    open_options read;
    read.create = false;
    std::unique_ptr<connection> source = open_store(from, read);
    std::unique_ptr<connection> destination = open_store(to);
    push_options options;
    options.progress = [](const push_entry& e) {
      std::cout << (e.sent ? "pushed          " : "already there   ") << short_key(e.run_key);
      if (e.sent) std::cout << "  (" << e.results << " results)";
      std::cout << "  [" << e.done << "/" << e.total << "]\n" << std::flush;
    };
    const push_outcome out = push_runs(*source, *destination, options);
    std::cout << "history push: " << out.sent << " run(s) sent (" << out.results << " results), "
              << out.local - out.sent << " already on " << terminal_safe(describe(to)) << "\n";
    return exit_ok;
  } catch (const store_error& e) {
    return store_failure(e);
  }
}

void add_filter_options(CLI::App* cmd, run_filter& f, bool with_driver) {
  cmd->add_option("--gpu", f.gpu, "GPU model glob, case-insensitive (e.g. '*H200*')")
      ->option_text("GLOB");
  cmd->add_option("--platform", f.platform, "wsl or linux")->option_text("P");
  if (with_driver)
    cmd->add_option("--driver", f.driver, "a driver version as listed (e.g. 552.22)")
        ->option_text("V");
}

}  // namespace

void add_history(CLI::App& app, command_body& body) {
  auto* history = app.add_subcommand(
      "history", "the run history: import reports, list runs, trends, baselines from stored runs");
  history->require_subcommand(1);

  auto imp = std::make_shared<import_options>();
  auto* import_cmd =
      history->add_subcommand("import", "record reports (files, or folders of *.json reports)");
  import_cmd->add_option("PATH", imp->paths, "report files or folders")->required();
  add_spec_option(import_cmd, imp->spec);
  import_cmd->callback([&body, imp] { body = [imp] { return command_history_import(*imp); }; });

  auto list = std::make_shared<list_history_options>();
  auto* list_cmd = history->add_subcommand("list", "one line per stored run");
  add_filter_options(list_cmd, list->filter, true);
  list_cmd->add_flag("--json", list->json, "print a JSON array of runs");
  add_spec_option(list_cmd, list->spec);
  list_cmd->callback([&body, list] { body = [list] { return command_history_list(*list); }; });

  auto tr = std::make_shared<trend_options>();
  auto* trend_cmd = history->add_subcommand(
      "trend", "the series of rows across runs, ordered by driver, then time");
  trend_cmd->add_option("ID", tr->ids, "workload ids or globs")->required();
  add_filter_options(trend_cmd, tr->filter, false);
  trend_cmd
      ->add_option("--metric", tr->metric,
                   "median_s (the central time) or a derived figure (busbw_bytes_per_s)")
      ->capture_default_str();
  trend_cmd->add_flag("--json", tr->json, "print a JSON array of points");
  trend_cmd->add_flag("--csv", tr->csv, "print CSV");
  add_spec_option(trend_cmd, tr->spec);
  trend_cmd->callback([&body, tr] { body = [tr] { return command_history_trend(*tr); }; });

  auto base = std::make_shared<baseline_options>();
  auto* baseline_cmd = history->add_subcommand(
      "baseline", "write a baseline file from stored runs (as `baseline capture` does)");
  baseline_cmd->add_option("--gpu", base->selection.gpu, "GPU model (name or glob)")
      ->option_text("MODEL")
      ->required();
  baseline_cmd
      ->add_option("--platform", base->selection.platform,
                   "linux (bare metal, the default) or wsl (a WSL-vs-WSL baseline)")
      ->option_text("P")
      ->capture_default_str();
  auto* driver = baseline_cmd->add_option("--driver", base->selection.driver,
                                          "runs on this driver (default: the newest)");
  driver->option_text("V");
  baseline_cmd
      ->add_option("--before", base->selection.before, "runs on the newest driver older than V")
      ->option_text("V")
      ->excludes(driver);
  baseline_cmd->add_option("--out", base->out, "baseline file to write")->required();
  add_spec_option(baseline_cmd, base->spec);
  baseline_cmd->callback(
      [&body, base] { body = [base] { return command_history_baseline(*base); }; });

  auto ex = std::make_shared<exclude_options>();
  auto* exclude_cmd = history->add_subcommand(
      "exclude", "leave a run out of baselines and analysis (it stays in the store)");
  exclude_cmd->add_option("RUN", ex->run, "run key or a prefix of 8+ hex digits")->required();
  exclude_cmd->add_option("--reason", ex->reason, "why")->option_text("TEXT")->required();
  add_spec_option(exclude_cmd, ex->spec);
  exclude_cmd->callback([&body, ex] { body = [ex] { return command_history_exclude(*ex); }; });

  auto push = std::make_shared<push_cli_options>();
  auto* push_cmd = history->add_subcommand(
      "push", "send the local store's runs that another store (a fleet's server) lacks");
  push_cmd
      ->add_option("--to", push->to,
                   "the store to send to: postgresql://…, postgresql:KEYWORDS or sqlite:PATH")
      ->option_text("SPEC")
      ->required();
  push_cmd
      ->add_option("--from", push->from,
                   "the store to send from (default: sqlite:$XDG_DATA_HOME/wslcuda/history.db, "
                   "where runs that could not reach their server are kept)")
      ->option_text("SPEC");
  push_cmd->callback([&body, push] { body = [push] { return command_history_push(*push); }; });

  add_history_changes(*history, body);
}

void add_history_source_options(CLI::App& command, history_source& source) {
  add_spec_option(&command, source.spec);
  command.add_option("--gpu", source.gpu, "with --history: GPU model glob")->option_text("GLOB");
  command.add_option("--platform", source.platform, "with --history: wsl or linux")
      ->option_text("P");
  command.add_option("--driver", source.driver, "with --history: a driver version")
      ->option_text("V");
}

int read_history_reports(const history_source& source, std::vector<loaded_report>& out) {
  if (!platform_ok(source.platform)) return exit_usage;
  run_filter f;
  f.gpu = source.gpu;
  f.platform = source.platform;
  f.driver = source.driver;
  return with_store(
      source.spec, false,
      [&](connection& c, const store_spec& spec) {
        out = rebuild_reports(c, f);
        if (out.empty()) {
          std::cerr << "wslcuda: no stored run matches in " << terminal_safe(describe(spec))
                    << "\n";
          return exit_usage;
        }
        return exit_ok;
      },
      [&](const store_spec& spec) {
        std::cerr << "wslcuda: no runs recorded yet (" << terminal_safe(describe(spec))
                  << " does not exist)\n";
        return exit_usage;
      });
}

}  // namespace wslcuda
