// `wslcuda html` and `wslcuda export`: reports written earlier, shown as HTML or as a CSV table.

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/history_commands.hpp"
#include "cli/run_guard.hpp"
#include "model/report_json.hpp"
#include "report/atomic_file.hpp"
#include "report/csv.hpp"
#include "report/exit_code.hpp"
#include "report/html.hpp"

namespace wslcuda {
namespace {

/// Reads every file, or prints the first problem (file and JSON pointer) and returns false.
bool read_reports(const std::vector<std::string>& paths, std::vector<loaded_report>& out) {
  try {
    for (const std::string& p : paths) out.push_back(read_report_file(p));
    return true;
  } catch (const input_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return false;
  }
}

bool writable(const std::string& path, const std::vector<std::string>& inputs) {
  if (path.empty()) {
    std::cerr << "wslcuda: the output path is empty\n";
    return false;
  }
  // The shared check (same inode, hard links and devices included), as every command makes it.
  if (!outputs_distinct(capture_paths("--out", {path}), capture_paths("REPORT", inputs)))
    return false;
  if (!output_usable(path)) return false;
  keep_console_off_stdout({path});
  return true;
}

/// Report files or a history store, exactly one of them; the filters only with a store.
bool one_source(const char* command, const std::vector<std::string>& reports,
                const history_source& history) {
  if (reports.empty() == history.spec.empty()) {
    std::cerr << "wslcuda " << command
              << (reports.empty() ? ": give one or more report files, or --history SPEC\n"
                                  : ": give report files or --history SPEC, not both\n");
    return false;
  }
  if (history.spec.empty() &&
      !(history.gpu.empty() && history.platform.empty() && history.driver.empty())) {
    std::cerr << "wslcuda " << command << ": --gpu, --platform and --driver select runs of "
              << "--history SPEC\n";
    return false;
  }
  return true;
}

/// The inputs an output must not name: the report files, or the store's file.
std::vector<std::string> with_store(const std::vector<std::string>& reports,
                                    const history_source& history) {
  std::vector<std::string> inputs = reports;
  const std::string sqlite = "sqlite:";
  if (history.spec.rfind(sqlite, 0) == 0) inputs.push_back(history.spec.substr(sqlite.size()));
  return inputs;
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

int command_html(const html_command_options& options) {
  if (!one_source("html", options.reports, options.history)) return exit_usage;
  if (!writable(options.out, with_store(options.reports, options.history))) return exit_usage;
  std::vector<loaded_report> loaded;
  if (!options.history.spec.empty()) {
    if (const int code = read_history_reports(options.history, loaded); code != exit_ok)
      return code;
  } else if (!read_reports(options.reports, loaded)) {
    return exit_usage;
  }
  if (options.by_date)
    std::stable_sort(loaded.begin(), loaded.end(),
                     [](const loaded_report& a, const loaded_report& b) {
                       return a.report.started_at < b.report.started_at;
                     });
  std::vector<html_source> sources;
  for (const loaded_report& l : loaded)
    sources.push_back(html_source{&l.report, file_name(l.source), l.tool_version});
  const std::string page = html_reports(sources);
  write_file_atomically(options.out, page);
  std::cout << "html: " << std::filesystem::absolute(options.out).string() << " (" << loaded.size()
            << " report(s), " << page.size() << " bytes)\n";
  return exit_ok;
}

int command_export(const export_options& options) {
  if (!one_source("export", options.reports, options.history)) return exit_usage;
  const bool to_stdout = options.csv_path == "-";
  if (!to_stdout && !writable(options.csv_path, with_store(options.reports, options.history)))
    return exit_usage;
  std::vector<loaded_report> loaded;
  if (!options.history.spec.empty()) {
    if (const int code = read_history_reports(options.history, loaded); code != exit_ok)
      return code;
  } else if (!read_reports(options.reports, loaded)) {
    return exit_usage;
  }
  std::vector<csv_source> sources;
  std::size_t lines = 0;
  for (const loaded_report& l : loaded) {
    sources.push_back(csv_source{&l.report, file_name(l.source)});
    for (const result_row& r : l.report.results) lines += csv_lines_for(r);
  }
  const std::string table = csv_table(sources);
  if (to_stdout) {
    std::cout << table << std::flush;
  } else {
    write_file_atomically(options.csv_path, table);
    std::cout << "csv: " << std::filesystem::absolute(options.csv_path).string() << " (" << lines
              << " rows from " << loaded.size() << " report(s))\n";
  }
  return exit_ok;
}

}  // namespace wslcuda
