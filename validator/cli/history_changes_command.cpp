// `wslcuda history triage`, `history changes` and `history platforms` (issue 24;
// docs/change-points.md): the stored change points brought up to date and shown per driver, a
// decision about one recorded, and WSL against bare metal. history/change_store and
// history/platforms do the work, report/changes_report renders; this file parses, writes and maps
// faults to exit codes (2 bad input; store faults as the other history commands).

#include <filesystem>
#include <iostream>
#include <memory>

#include "baseline/policy.hpp"
#include "cli/history_commands.hpp"
#include "cli/run_guard.hpp"
#include "history/change_store.hpp"
#include "history/platforms.hpp"
#include "history/queries.hpp"
#include "history/record.hpp"
#include "history/store_spec.hpp"
#include "model/printable.hpp"
#include "report/atomic_file.hpp"
#include "report/changes_report.hpp"
#include "report/exit_code.hpp"

namespace wslcuda {
namespace {

using namespace wslcuda::history;

// history triage ------------------------------------------------------------------------------

struct triage_options {
  std::string spec, change, state, note;
};

int command_history_triage(const triage_options& o) {
  const std::optional<change_state> state = parse_change_state(o.state);
  if (!state) {
    std::cerr << "wslcuda: history triage: --state " << terminal_safe(o.state)
              << ": expected acknowledged, invalid, fixed or new\n";
    return exit_usage;
  }
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec&) {
        const triage_outcome t = triage_change(c, o.change, *state, o.note);
        std::cout << "triaged " << t.key.substr(0, 12) << ": " << to_string(t.state);
        if (!t.note.empty()) std::cout << " (" << one_line(t.note, 200) << ")";
        std::cout << "\n";
        for (const change_record& r : t.covered)
          std::cout << "  " << r.key.substr(0, 12) << "  " << one_line(r.scope.workload_id, 100)
                    << " on " << one_line(r.scope.gpu_model) << ", " << r.scope.platform << ", "
                    << (r.scope.across_machines() ? "GPU model"
                                                  : "machine " + r.scope.machine_key.substr(0, 8))
                    << ", at " << one_line(r.driver, 24) << ": " << to_string(r.state) << "\n";
        return exit_ok;
      },
      [&](const store_spec& spec) {
        std::cerr << "wslcuda: history triage: no runs recorded yet ("
                  << terminal_safe(describe(spec)) << " does not exist)\n";
        return exit_usage;
      });
}

// history changes -----------------------------------------------------------------------------

struct changes_options {
  std::string spec, policy_path;
  changes_filter filter;
  std::string json_path, markdown_path, html_path;
};

/// Checks that each output can be written ("-" for --json is stdout) and that no two outputs,
/// and no output and the policy or the store (an SQLite file), are one file; false after saying
/// why.
bool changes_outputs_ok(const changes_options& o) {
  const std::string json_file = o.json_path == "-" ? "" : o.json_path;
  for (const std::string& path : {json_file, o.markdown_path, o.html_path})
    if (!output_usable(path)) return false;  // run_guard.hpp: writable, not held by a run
  std::vector<named_path> outputs{
      {"--json", json_file}, {"--markdown", o.markdown_path}, {"--html", o.html_path}};
  std::vector<named_path> inputs{{"--policy", o.policy_path}};
  try {
    const store_spec spec = resolve_store_spec(o.spec);
    if (spec.kind == store_kind::sqlite) inputs.push_back({"--history", spec.target});
  } catch (const store_error&) {
    // A bad spec is said by with_store, with its exit code.
  }
  return outputs_distinct(outputs, inputs);
}

/// Whether `driver` names a driver of a stored run; else says so (a mistyped --driver must not
/// pass a driver-release check with "0 change points").
bool driver_recorded(connection& c, const std::string& driver, const char* command) {
  if (driver.empty()) return true;
  run_filter f;
  f.driver = driver;
  if (!list_runs(c, f).empty()) return true;
  std::cerr << "wslcuda: history " << command << ": --driver " << terminal_safe(driver)
            << ": no stored run has that driver version (`wslcuda history list` shows them)\n";
  return false;
}

/// The HTML file as the Markdown links to it: its path relative to the Markdown's folder.
std::string html_link(const changes_options& o) {
  if (o.html_path.empty() || o.markdown_path.empty()) return "";
  namespace fs = std::filesystem;
  const fs::path md_dir = fs::absolute(o.markdown_path).parent_path();
  return fs::absolute(o.html_path).lexically_relative(md_dir).generic_string();
}

int command_history_changes(const changes_options& o) {
  if (!platform_ok(o.filter.platform)) return exit_usage;
  if (!o.filter.state.empty() && !parse_change_state(o.filter.state)) {
    std::cerr << "wslcuda: history changes: --state " << terminal_safe(o.filter.state)
              << ": expected new, tentative, acknowledged, invalid or fixed\n";
    return exit_usage;
  }
  if (!o.filter.since.empty() && driver_sort_key(o.filter.since) == 0) {
    std::cerr << "wslcuda: history changes: --since " << terminal_safe(o.filter.since)
              << ": not a driver version (e.g. 552.22 or 580.65.06)\n";
    return exit_usage;
  }
  if (!changes_outputs_ok(o)) return exit_usage;
  gate_policy policy = default_policy();
  try {
    if (!o.policy_path.empty()) policy = read_policy_file(o.policy_path);
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return exit_usage;
  }
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec& spec) {
        if (!driver_recorded(c, o.filter.driver, "changes")) return exit_usage;
        change_selection selection;
        selection.gpu = o.filter.gpu;
        selection.platform = o.filter.platform;
        const change_analysis analysis = analyse_store(c, selection, policy, true);
        changes_view view = select_changes(analysis, o.filter);
        view.store = describe(spec);
        view.html_link = html_link(o);
        const bool json_to_stdout = o.json_path == "-";
        if (!json_to_stdout) std::cout << changes_text(view);
        if (!o.json_path.empty()) {
          const std::string text =
              changes_json(view).dump(2, ' ', false, json::error_handler_t::replace);
          if (json_to_stdout) {
            std::cout << text << "\n";
          } else {
            write_file_atomically(o.json_path, text + "\n");
            std::cout << "json: " << terminal_safe(std::filesystem::absolute(o.json_path).string())
                      << "\n";
          }
        }
        if (!o.markdown_path.empty()) {
          write_file_atomically(o.markdown_path, changes_markdown(view));
          if (!json_to_stdout)
            std::cout << "markdown: "
                      << terminal_safe(std::filesystem::absolute(o.markdown_path).string()) << "\n";
        }
        if (!o.html_path.empty()) {
          write_file_atomically(o.html_path, changes_html(view));
          if (!json_to_stdout)
            std::cout << "html: " << terminal_safe(std::filesystem::absolute(o.html_path).string())
                      << "\n";
        }
        if (!analysis.not_stored.empty())
          std::cerr << "wslcuda: warning: the change points were analysed but not stored: "
                    << terminal_safe(analysis.not_stored) << "\n";
        if (o.filter.driver.empty()) return exit_ok;
        const std::size_t regressions = new_regressions_at(view, o.filter.driver);
        if (regressions > 0)
          std::cerr << "wslcuda: " << regressions << " new regression(s) at driver "
                    << terminal_safe(o.filter.driver) << "\n";
        return regressions > 0 ? exit_failed : exit_ok;
      },
      [&](const store_spec& spec) {
        std::cerr << "wslcuda: history changes: no runs recorded yet ("
                  << terminal_safe(describe(spec)) << " does not exist)\n";
        return exit_usage;
      });
}

// history platforms ---------------------------------------------------------------------------

struct platforms_options {
  std::string spec;
  platform_selection selection;
  bool json = false, csv = false;
};

int command_history_platforms(const platforms_options& o) {
  if (o.json && o.csv) {
    std::cerr << "wslcuda: history platforms: give --json or --csv, not both\n";
    return exit_usage;
  }
  return with_store(
      o.spec, false,
      [&](connection& c, const store_spec&) {
        if (!driver_recorded(c, o.selection.driver, "platforms")) return exit_usage;
        const std::vector<platform_pair> pairs = compare_platforms(c, o.selection);
        if (o.json)
          std::cout << platforms_json(pairs).dump(2, ' ', false, json::error_handler_t::replace)
                    << "\n";
        else if (o.csv)
          std::cout << platforms_csv(pairs);
        else
          std::cout << platforms_text(pairs);
        return exit_ok;
      },
      [&](const store_spec& spec) {
        std::cerr << "wslcuda: history platforms: no runs recorded yet ("
                  << terminal_safe(describe(spec)) << " does not exist)\n";
        return exit_usage;
      });
}

}  // namespace

void add_history_changes(CLI::App& history, command_body& body) {
  auto tri = std::make_shared<triage_options>();
  auto* triage_cmd = history.add_subcommand(
      "triage", "record a decision about a change point (it then alerts no more, or again)");
  triage_cmd->add_option("CP", tri->change, "change point key or a unique prefix (4+ hex digits)")
      ->required();
  triage_cmd->add_option("--state", tri->state, "acknowledged, invalid, fixed, or new (undo)")
      ->option_text("S")
      ->required();
  triage_cmd
      ->add_option("--note", tri->note,
                   "why (required for invalid; without it, the note recorded before stays)")
      ->option_text("TEXT");
  add_spec_option(triage_cmd, tri->spec);
  triage_cmd->callback([&body, tri] { body = [tri] { return command_history_triage(*tri); }; });

  auto ch = std::make_shared<changes_options>();
  auto* changes_cmd = history.add_subcommand(
      "changes",
      "what moved at each driver: the change points of the stored series, brought up to date "
      "(exit 1: a new regression at --driver)");
  changes_cmd->add_option("--driver", ch->filter.driver, "changes at this driver version")
      ->option_text("X");
  changes_cmd->add_option("--since", ch->filter.since, "changes at this driver version or newer")
      ->option_text("V");
  changes_cmd->add_option("--gpu", ch->filter.gpu, "GPU model glob, case-insensitive")
      ->option_text("GLOB");
  changes_cmd->add_option("--platform", ch->filter.platform, "wsl or linux")->option_text("P");
  changes_cmd
      ->add_option("--state", ch->filter.state, "new, tentative, acknowledged, invalid or fixed")
      ->option_text("S");
  changes_cmd->add_option("--json", ch->json_path, "JSON file to write ('-': stdout)")
      ->option_text("PATH");
  changes_cmd->add_option("--markdown", ch->markdown_path, "Markdown file (a GitHub job summary)")
      ->option_text("PATH");
  changes_cmd
      ->add_option("--html", ch->html_path, "HTML page: each changed row's series, change marked")
      ->option_text("PATH");
  changes_cmd
      ->add_option("--policy", ch->policy_path,
                   "gate policy file: the detector's parameters (default: built-in)")
      ->option_text("FILE");
  add_spec_option(changes_cmd, ch->spec);
  changes_cmd->callback([&body, ch] { body = [ch] { return command_history_changes(*ch); }; });

  auto pl = std::make_shared<platforms_options>();
  auto* platforms_cmd = history.add_subcommand(
      "platforms",
      "WSL against bare metal: per row the ratio of the central times, for each GPU model and "
      "driver level with runs on both");
  platforms_cmd->add_option("--gpu", pl->selection.gpu, "GPU model glob, case-insensitive")
      ->option_text("GLOB");
  platforms_cmd
      ->add_option("--driver", pl->selection.driver,
                   "a driver version of either platform (default: each side's newest)")
      ->option_text("X");
  platforms_cmd->add_flag("--json", pl->json, "print JSON");
  platforms_cmd->add_flag("--csv", pl->csv, "print CSV");
  add_spec_option(platforms_cmd, pl->spec);
  platforms_cmd->callback([&body, pl] { body = [pl] { return command_history_platforms(*pl); }; });
}

}  // namespace wslcuda
