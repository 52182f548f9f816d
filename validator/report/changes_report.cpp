#include "report/changes_report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "history/driver_changes.hpp"
#include "measure/units.hpp"
#include "model/printable.hpp"
#include "report/csv.hpp"
#include "report/markdown.hpp"

namespace wslcuda {
namespace {

using history::change_record;
using history::change_state;

/// A value of `metric` for people: seconds for times, else the number.
std::string value_text(const std::string& metric, double v) {
  if (metric.size() > 2 && metric.compare(metric.size() - 2, 2, "_s") == 0 &&
      metric.find("_per_") == std::string::npos)
    return format_seconds(v);
  if (metric.find("bytes_per_s") != std::string::npos) return format_si(v, "B/s");
  std::ostringstream s;
  s << std::setprecision(4) << v;
  return s.str();
}

/// The unit the HTML charts give a metric's axis ("s", "B/s" or "").
std::string chart_unit(const std::string& metric) {
  if (metric.find("bytes_per_s") != std::string::npos) return "B/s";
  if (metric.size() > 2 && metric.compare(metric.size() - 2, 2, "_s") == 0 &&
      metric.find("_per_") == std::string::npos)
    return "s";
  return "";
}

std::string scope_text(const change_record& r) {
  if (r.scope.across_machines())
    return "GPU model (" + std::to_string(r.scope.machines) +
           (r.scope.machines == 1 ? " machine)" : " machines)");
  return "machine " + r.scope.machine_key.substr(0, 8);
}

std::string short_key(const std::string& key) {
  return key.substr(0, 12);
}

/// `path` as a link destination (RFC 3986): every byte but unreserved characters and `/`
/// percent-encoded, so spaces, parentheses and anything else a file name holds cannot end the
/// Markdown link.
std::string url_path(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// `word` as one POSIX shell word: single-quoted with each `'` as `'\''`; a word holding control
/// bytes (which a terminal would act on) in bash's $'…' with them as \xNN.
std::string shell_word(const std::string& word) {
  const bool controls = std::any_of(word.begin(), word.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
  if (!controls) {
    std::string out = "'";
    for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  static const char* hex = "0123456789abcdef";
  std::string out = "$'";
  for (const char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (ch == '\'' || ch == '\\') {
      out += '\\';
      out += ch;
    } else {
      out += ch;
    }
  }
  return out + "'";
}

/// The command that prints the change's series (each argument one shell word).
std::string trend_command(const change_record& r) {
  std::string cmd = "wslcuda history trend " + shell_word(r.scope.workload_id) + " --gpu " +
                    shell_word(r.scope.gpu_model) + " --platform " + shell_word(r.scope.platform);
  if (r.scope.metric != "median_s") cmd += " --metric " + shell_word(r.scope.metric);
  return cmd;
}

bool is_new_regression(const change_record& r) {
  return r.state == change_state::new_ && r.direction == history::change_direction::regression;
}

/// "3 change points (1 new regression, 1 tentative)".
std::string counts_sentence(const changes_view& v) {
  std::size_t regressions = 0, tentative = 0;
  for (const change_record& r : v.changes) {
    if (is_new_regression(r)) ++regressions;
    if (r.state == change_state::tentative) ++tentative;
  }
  std::string s = std::to_string(v.changes.size()) +
                  (v.changes.size() == 1 ? " change point" : " change points") + " (" +
                  std::to_string(regressions) +
                  (regressions == 1 ? " new regression" : " new regressions") + ", " +
                  std::to_string(tentative) + " tentative)";
  return s;
}

/// "127 of 130 series scopes analysed; 3 with fewer than 5 points (no detection)".
std::string coverage_sentence(const changes_view& v) {
  std::string s =
      std::to_string(v.analysed) + " of " + std::to_string(v.scopes) + " series scopes analysed";
  if (v.too_few > 0)
    s += "; " + std::to_string(v.too_few) + " with fewer than " +
         std::to_string(history::kMinPointsForDetection) + " points (no detection)";
  if (!v.instabilities.empty())
    s += "; " + std::to_string(v.instabilities.size()) +
         " instabilities inside one driver (not changes)";
  return s;
}

std::string filters_text(const changes_filter& f) {
  std::string s;
  const auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    s += std::string(s.empty() ? "" : ", ") + name + " " + value;
  };
  add("driver", f.driver);
  add("since", f.since);
  add("GPU", f.gpu);
  add("platform", f.platform);
  add("state", f.state);
  return s;
}

std::string title_of(const changes_view& v) {
  if (!v.filter.driver.empty()) return "wslcuda: what moved at driver " + v.filter.driver;
  if (!v.filter.since.empty()) return "wslcuda: what moved since driver " + v.filter.since;
  return "wslcuda: what moved across drivers";
}

json instability_json(const history::instability_record& u) {
  return {{"workload_id", u.scope.workload_id},
          {"metric", u.scope.metric},
          {"gpu", u.scope.gpu_model},
          {"platform", u.scope.platform},
          {"scope", u.scope.across_machines() ? "gpu_model" : "machine"},
          {"machine", u.scope.machine_key},
          {"driver", u.driver},
          {"points", u.points},
          {"relative_change", u.relative_change},
          {"p_value", u.p_value},
          {"reason", history::to_string(u.reason)}};
}

json change_json(const change_record& r) {
  return {{"key", r.key},
          {"driver", r.driver},
          {"driver_before", r.driver_before},
          {"cuda_driver_api_version", r.cuda_driver_api},
          {"gpu", r.scope.gpu_model},
          {"platform", r.scope.platform},
          {"workload_id", r.scope.workload_id},
          {"metric", r.scope.metric},
          {"scope", r.scope.across_machines() ? "gpu_model" : "machine"},
          {"machine", r.scope.machine_key},
          {"machines", r.scope.machines},
          {"direction", history::to_string(r.direction)},
          {"state", history::to_string(r.state)},
          {"analysis_state", history::to_string(r.analysis_state)},
          {"magnitude_percent", 100.0 * r.relative_change},
          {"relative_change", r.relative_change},
          {"magnitude", r.magnitude},
          {"p_value", r.p_value},
          {"value_before", r.value_before},
          {"value_after", r.value_after},
          {"points_before", r.points_before},
          {"points_after", r.points_after},
          {"runs_before", r.runs_before},
          {"runs_after", r.runs_after},
          {"note", r.note},
          {"triaged_at", r.triaged_at},
          {"restored_by", r.restored_by},
          {"detected_at", r.detected_at},
          {"parameters", json::parse(r.parameters.empty() ? "{}" : r.parameters, nullptr, false)},
          {"series_anchor", change_anchor(r)},
          {"trend_command", trend_command(r)}};
}

/// The chart spec of a change's series: the points before and after, the segment means, and a
/// vertical line between the last point before and the first after.
json series_chart(const change_record& r) {
  json before = json::array(), after = json::array();
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const double v = r.points[i].value;
    (i < r.index ? before : after).push_back({static_cast<double>(i), v});
    lo = i == 0 ? v : std::min(lo, v);
    hi = i == 0 ? v : std::max(hi, v);
  }
  const double at = static_cast<double>(r.index) - 0.5;
  const double last = static_cast<double>(r.points.empty() ? 0 : r.points.size() - 1);
  json series = json::array();
  series.push_back({{"label", "before (" + r.driver_before + " and older)"}, {"points", before}});
  series.push_back({{"label", "after (" + r.driver + " and newer)"}, {"points", after}});
  series.push_back(
      {{"label", "mean before"},
       {"points", {{0.0, r.value_before}, {std::max(0.0, at - 0.5), r.value_before}}}});
  series.push_back(
      {{"label", "mean after"}, {"points", {{at + 0.5, r.value_after}, {last, r.value_after}}}});
  series.push_back({{"label", "change at " + r.driver}, {"points", {{at, lo}, {at, hi}}}});
  const bool across = r.scope.across_machines();
  return {{"kind", "xy"},
          {"title", r.scope.workload_id + " on " + r.scope.gpu_model + ", " + r.scope.platform +
                        ": " + format_percent(r.relative_change, true) + " at " + r.driver},
          {"xtitle", across ? "driver (median across machines), oldest first"
                            : "run, ordered by driver then time"},
          {"xunit", ""},
          {"yunit", chart_unit(r.scope.metric)},
          {"ytitle", r.scope.metric},
          {"change_index", r.index},
          {"series", series}};
}

/// The table of a change's points, the first after the change marked.
std::string series_table(const change_record& r) {
  std::string h = "<table class=\"series\"><thead><tr><th>#</th><th>driver</th><th>" +
                  std::string(r.scope.across_machines() ? "first run" : "started") + "</th><th>" +
                  html_escape(r.scope.metric) + "</th><th></th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const history::scope_point& p = r.points[i];
    const bool mark = i == r.index;
    h += std::string(mark ? "<tr class=\"change-marker\">" : "<tr>") + "<td class=\"num\">" +
         std::to_string(i) + "</td><td>" + html_escape(p.driver) + "</td><td>" +
         html_escape(p.time) + "</td><td class=\"num\">" +
         html_escape(value_text(r.scope.metric, p.value)) + "</td><td>" +
         (mark ? "&#9664; change: " + html_escape(format_percent(r.relative_change, true)) +
                     " at " + html_escape(r.driver)
               : std::string()) +
         "</td></tr>\n";
  }
  return h + "</tbody></table>\n";
}

std::string side_cell(const std::optional<double>& v) {
  if (!v) return "";
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << 100.0 * *v << " %";
  return s.str();
}

json optional_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json side_json(const history::platform_side& s) {
  return {{"driver", s.driver},
          {"runs", s.runs},
          {"central_s", s.central_s},
          {"execution_spread", optional_json(s.execution_spread)},
          {"run_spread", optional_json(s.run_spread)}};
}

std::string number(const std::optional<double>& v) {
  if (!v) return "";
  std::ostringstream s;
  s << std::setprecision(17) << *v;
  return s.str();
}

}  // namespace

changes_view select_changes(const history::change_analysis& analysis,
                            const changes_filter& filter) {
  changes_view v;
  v.filter = filter;
  v.series = analysis.series;
  v.scopes = analysis.scopes;
  v.analysed = analysis.analysed;
  v.too_few = analysis.too_few.size();
  v.not_stored = analysis.not_stored;
  const auto driver_kept = [&](const std::string& driver) {
    if (!filter.driver.empty() && history::compare_driver_versions(driver, filter.driver) != 0)
      return false;
    return filter.since.empty() || history::compare_driver_versions(driver, filter.since) >= 0;
  };
  for (const change_record& r : analysis.changes)
    if (driver_kept(r.driver) && (filter.state.empty() || filter.state == to_string(r.state)))
      v.changes.push_back(r);
  for (const history::instability_record& u : analysis.instabilities)
    if (driver_kept(u.driver)) v.instabilities.push_back(u);
  std::stable_sort(v.changes.begin(), v.changes.end(),
                   [](const change_record& a, const change_record& b) {
                     const int d = history::compare_driver_versions(a.driver, b.driver);
                     if (d != 0) return d > 0;
                     if (a.scope.gpu_model != b.scope.gpu_model)
                       return a.scope.gpu_model < b.scope.gpu_model;
                     if (a.scope.platform != b.scope.platform)
                       return a.scope.platform < b.scope.platform;
                     if (a.scope.across_machines() != b.scope.across_machines())
                       return a.scope.across_machines();
                     if (a.direction != b.direction)
                       return a.direction == history::change_direction::regression;
                     return a.magnitude > b.magnitude;
                   });
  return v;
}

std::size_t new_regressions_at(const changes_view& view, const std::string& driver) {
  std::size_t n = 0;
  for (const change_record& r : view.changes)
    if (is_new_regression(r) && history::compare_driver_versions(r.driver, driver) == 0) ++n;
  return n;
}

std::string change_anchor(const change_record& change) {
  return "cp-" + short_key(change.key);
}

json changes_json(const changes_view& v) {
  json changes = json::array(), unstable = json::array();
  for (const change_record& r : v.changes) changes.push_back(change_json(r));
  for (const history::instability_record& u : v.instabilities)
    unstable.push_back(instability_json(u));
  json j{{"schema", "wslcuda-changes/1"},
         {"store", v.store},
         {"filters",
          {{"driver", v.filter.driver},
           {"since", v.filter.since},
           {"gpu", v.filter.gpu},
           {"platform", v.filter.platform},
           {"state", v.filter.state}}},
         {"series", v.series},
         {"scopes", v.scopes},
         {"analysed", v.analysed},
         {"too_few_points", v.too_few},
         {"stored", v.not_stored.empty()},
         {"not_stored", v.not_stored},
         {"changes", changes},
         {"instabilities", unstable}};
  if (!v.filter.driver.empty())
    j["new_regressions_at_driver"] = new_regressions_at(v, v.filter.driver);
  return j;
}

std::string changes_markdown(const changes_view& v) {
  std::ostringstream md;
  md << "## " << markdown_cell(title_of(v)) << "\n\n";
  md << markdown_cell(counts_sentence(v)) << " in " << markdown_code(v.store);
  const std::string filters = filters_text(v.filter);
  if (!filters.empty()) md << " (" << markdown_cell(filters) << ")";
  md << "; " << markdown_cell(coverage_sentence(v)) << ".\n\n";
  if (v.changes.empty()) {
    md << "No row moved.\n";
    return md.str();
  }
  md << "| driver | GPU | platform | row | scope | change | p-value | runs before → after | "
        "direction | state | series |\n"
        "|---|---|---|---|---|---:|---:|---|---|---|---|\n";
  for (const change_record& r : v.changes) {
    const std::string key = "`" + short_key(r.key) + "`";
    md << "| " << markdown_cell(r.driver) << " | " << markdown_cell(r.scope.gpu_model) << " | "
       << markdown_cell(r.scope.platform) << " | " << markdown_code(r.scope.workload_id) << " | "
       << markdown_cell(scope_text(r)) << " | " << format_percent(r.relative_change, true) << " | "
       << format_general(r.p_value, 2) << " | " << r.runs_before << " → " << r.runs_after << " | "
       << history::to_string(r.direction) << " | " << history::to_string(r.state);
    if (!r.note.empty()) md << ": " << markdown_cell(one_line(r.note, 80));
    md << " | "
       << (v.html_link.empty()
               ? key
               : "[" + key + "](" + url_path(v.html_link) + "#" + change_anchor(r) + ")")
       << " |\n";
  }
  md << "\nTriage: `wslcuda history triage KEY --state acknowledged|invalid|fixed --note TEXT`.\n";
  return md.str();
}

std::string changes_text(const changes_view& v) {
  std::ostringstream out;
  out << "history changes: " << counts_sentence(v) << " in " << terminal_safe(v.store) << "; "
      << coverage_sentence(v) << "\n";
  if (!v.not_stored.empty()) out << "(not stored: " << terminal_safe(v.not_stored) << ")\n";
  std::string heading;
  for (const change_record& r : v.changes) {
    const std::string h = "driver " + r.driver + " (after " + r.driver_before + "), " +
                          r.scope.gpu_model + ", " + r.scope.platform;
    if (h != heading) out << one_line(h, 160) << "\n";
    heading = h;
    out << "  " << std::left << std::setw(12) << history::to_string(r.direction) << std::right
        << std::setw(9) << format_percent(r.relative_change, true) << "  p " << std::left
        << std::setw(8) << format_general(r.p_value, 2) << " runs " << r.runs_before << " -> "
        << r.runs_after << "  " << std::setw(12) << history::to_string(r.state) << " "
        << std::setw(24) << scope_text(r) << short_key(r.key) << "  "
        << one_line(r.scope.workload_id, 100) << std::right;
    if (!r.note.empty()) out << "  (" << one_line(r.note, 80) << ")";
    out << "\n";
  }
  return out.str();
}

std::string changes_html(const changes_view& v, const html_options& options) {
  html_page p(options);
  std::string& h = p.html();
  const std::string title = title_of(v);
  h += "<h1>" + html_escape(title) + "</h1>\n<p>" + html_escape(counts_sentence(v)) + " in <code>" +
       html_escape(v.store) + "</code>";
  const std::string filters = filters_text(v.filter);
  if (!filters.empty()) h += " (" + html_escape(filters) + ")";
  h += "; " + html_escape(coverage_sentence(v)) + ".</p>\n";
  if (v.changes.empty()) {
    h += "<p>No row moved.</p>\n";
    return p.finish(title);
  }
  h += "<div class=\"scroll\"><table><thead><tr><th>driver</th><th>GPU</th><th>platform</th>"
       "<th>row</th><th>scope</th><th>change</th><th>p-value</th><th>runs before → after</th>"
       "<th>direction</th><th>state</th><th>key</th></tr></thead><tbody>\n";
  for (const change_record& r : v.changes)
    h += "<tr><td>" + html_escape(r.driver) + "</td><td>" + html_escape(r.scope.gpu_model) +
         "</td><td>" + r.scope.platform + "</td><td><a href=\"#" + change_anchor(r) + "\"><code>" +
         html_escape(r.scope.workload_id) + "</code></a></td><td>" + html_escape(scope_text(r)) +
         "</td><td class=\"num\">" + format_percent(r.relative_change, true) +
         "</td><td class=\"num\">" + format_general(r.p_value, 2) + "</td><td class=\"num\">" +
         std::to_string(r.runs_before) + " → " + std::to_string(r.runs_after) + "</td><td>" +
         history::to_string(r.direction) + "</td><td>" + history::to_string(r.state) +
         (r.note.empty() ? std::string() : ": " + html_escape(r.note)) + "</td><td><code>" +
         short_key(r.key) + "</code></td></tr>\n";
  h += "</tbody></table></div>\n";
  for (const change_record& r : v.changes) {
    h += "<section id=\"" + change_anchor(r) + "\" data-change-index=\"" + std::to_string(r.index) +
         "\"><h3><code>" + html_escape(r.scope.workload_id) + "</code> on " +
         html_escape(r.scope.gpu_model) + ", " + r.scope.platform + ", " +
         html_escape(scope_text(r)) + ": " + format_percent(r.relative_change, true) + " at " +
         html_escape(r.driver) + " (" + history::to_string(r.direction) + ", " +
         history::to_string(r.state) + ")</h3>\n";
    if (r.points.empty()) {
      h += "<p class=\"note\">The series is not in this analysis.</p>\n</section>\n";
      continue;
    }
    p.chart(series_chart(r), 300);
    h += "<details><summary>the " + std::to_string(r.points.size()) + " points</summary>\n" +
         series_table(r) + "</details>\n<p class=\"note\"><code>" + html_escape(trend_command(r)) +
         "</code></p>\n</section>\n";
  }
  return p.finish(title);
}

json platforms_json(const std::vector<history::platform_pair>& pairs) {
  json out = json::array();
  for (const history::platform_pair& pair : pairs) {
    json rows = json::array();
    for (const history::platform_row& r : pair.rows)
      rows.push_back({{"workload_id", r.workload_id},
                      {"ratio", r.ratio},
                      {"wsl", side_json(r.wsl)},
                      {"linux", side_json(r.linux_)}});
    out.push_back({{"gpu", pair.gpu_model},
                   {"cuda_driver_api_version", pair.cuda_driver_api},
                   {"wsl_driver", pair.wsl_driver},
                   {"linux_driver", pair.linux_driver},
                   {"rows", rows}});
  }
  return out;
}

std::string platforms_csv(const std::vector<history::platform_pair>& pairs) {
  std::ostringstream out;
  out << "gpu,cuda_driver_api_version,wsl_driver,linux_driver,id,ratio,wsl_central_s,wsl_runs,"
         "wsl_execution_spread,wsl_run_spread,linux_central_s,linux_runs,"
         "linux_execution_spread,linux_run_spread\n";
  for (const history::platform_pair& pair : pairs)
    for (const history::platform_row& r : pair.rows)
      out << csv_field(utf8_escaped(pair.gpu_model)) << "," << pair.cuda_driver_api << ","
          << csv_field(utf8_escaped(pair.wsl_driver)) << ","
          << csv_field(utf8_escaped(pair.linux_driver)) << ","
          << csv_field(utf8_escaped(r.workload_id)) << "," << number(r.ratio) << ","
          << number(r.wsl.central_s) << "," << r.wsl.runs << "," << number(r.wsl.execution_spread)
          << "," << number(r.wsl.run_spread) << "," << number(r.linux_.central_s) << ","
          << r.linux_.runs << "," << number(r.linux_.execution_spread) << ","
          << number(r.linux_.run_spread) << "\n";
  return out.str();
}

std::string platforms_text(const std::vector<history::platform_pair>& pairs) {
  std::ostringstream out;
  if (pairs.empty())
    out << "history platforms: no GPU model and driver level has runs on both wsl and linux\n";
  for (const history::platform_pair& pair : pairs) {
    out << one_line(pair.gpu_model, 60) << ", CUDA " << cuda_version_string(pair.cuda_driver_api)
        << ": WSL driver " << one_line(pair.wsl_driver, 24) << " against Linux "
        << one_line(pair.linux_driver, 24) << ", " << pair.rows.size() << " rows\n";
    out << "  " << std::left << std::setw(11) << "WSL/Linux" << std::setw(12) << "WSL"
        << std::setw(6) << "runs" << std::setw(9) << "exec sp." << std::setw(12) << "Linux"
        << std::setw(6) << "runs" << std::setw(9) << "exec sp."
        << "row\n";
    for (const history::platform_row& r : pair.rows) {
      std::ostringstream ratio;
      ratio << std::fixed << std::setprecision(3) << r.ratio;
      out << "  " << std::setw(11) << ratio.str() << std::setw(12)
          << format_seconds(r.wsl.central_s) << std::setw(6) << r.wsl.runs << std::setw(9)
          << side_cell(r.wsl.execution_spread) << std::setw(12)
          << format_seconds(r.linux_.central_s) << std::setw(6) << r.linux_.runs << std::setw(9)
          << side_cell(r.linux_.execution_spread) << one_line(r.workload_id, 100) << "\n";
    }
    out << std::right;
  }
  return out.str();
}

}  // namespace wslcuda
