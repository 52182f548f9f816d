#include "history/queries.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "history/change_store.hpp"
#include "history/codec.hpp"
#include "history/record.hpp"
#include "model/executions.hpp"
#include "model/ids.hpp"

namespace wslcuda::history {
namespace {

std::int64_t as_int(const value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  return 0;
}

std::string as_text(const value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

std::optional<double> as_real(const value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// Case-insensitive shell glob (fnmatch FNM_CASEFOLD); "" matches everything.
bool glob_matches(const std::string& glob, const std::string& text) {
  return glob.empty() || ::fnmatch(glob.c_str(), text.c_str(), FNM_CASEFOLD) == 0;
}

/// A GPU model name as same_gpu_model compares it: lower case, trailing blanks dropped.
std::string model_key(std::string s) {
  s = lower(std::move(s));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

constexpr const char* kRunColumns =
    "SELECT ru.id, ru.run_key, ru.started_at, ru.finished_at, ru.command, m.machine_key, m.cpu, "
    "g.uuid, g.name, g.compute_capability, m.platform, d.version, d.sort_key, "
    "d.cuda_driver_api, ru.verdict, ru.exit_code, ru.result_count, ru.interrupted, ru.excluded, "
    "ru.excluded_reason, ru.source, ru.tool_version "
    "FROM runs ru JOIN machines m ON m.id = ru.machine_id "
    "JOIN drivers d ON d.id = ru.driver_id LEFT JOIN gpus g ON g.id = ru.gpu_id";

/// Runs matching `where` (SQL over ru, m, d, g with `?` parameters `params`; "" for all), oldest
/// first.
std::vector<run_summary> select_runs(connection& c, const std::string& where,
                                     const std::vector<value>& params) {
  auto s = c.prepare(std::string(kRunColumns) + (where.empty() ? "" : " WHERE " + where) +
                     " ORDER BY ru.started_at, ru.id");
  for (std::size_t i = 0; i < params.size(); ++i) s->bind(static_cast<int>(i + 1), params[i]);
  std::vector<run_summary> out;
  while (s->step()) {
    run_summary r;
    r.id = as_int(s->column(0));
    r.run_key = as_text(s->column(1));
    r.started_at = as_text(s->column(2));
    r.finished_at = as_text(s->column(3));
    r.command = as_text(s->column(4));
    r.machine_key = as_text(s->column(5));
    r.cpu = as_text(s->column(6));
    r.gpu_uuid = as_text(s->column(7));
    r.gpu_model = as_text(s->column(8));
    r.compute_capability = as_text(s->column(9));
    r.platform = as_text(s->column(10));
    r.driver_version = as_text(s->column(11));
    r.driver_sort_key = as_int(s->column(12));
    r.cuda_driver_api = static_cast<int>(as_int(s->column(13)));
    r.verdict = as_text(s->column(14));
    r.exit_code = static_cast<int>(as_int(s->column(15)));
    r.results = as_int(s->column(16));
    r.interrupted = as_int(s->column(17)) != 0;
    r.excluded = as_int(s->column(18)) != 0;
    r.excluded_reason = as_text(s->column(19));
    r.source = as_text(s->column(20));
    r.tool_version = as_text(s->column(21));
    out.push_back(std::move(r));
  }
  return out;
}

/// The SQL conditions of `filter` but its GPU glob (applied in C++).
void filter_sql(const run_filter& filter, std::string& where, std::vector<value>& params) {
  auto add = [&](const std::string& condition) {
    where += (where.empty() ? "" : " AND ") + condition;
  };
  if (!filter.platform.empty()) {
    add("m.platform = ?");
    params.emplace_back(filter.platform);
  }
  if (!filter.driver.empty()) {
    add("d.version = ?");
    params.emplace_back(storable_text(filter.driver));
  }
  if (!filter.include_excluded) add("ru.excluded = 0");
}

/// The runs on the newest driver among `runs` (sort key, then CUDA driver API level).
std::vector<run_summary> newest_driver(const std::vector<run_summary>& runs) {
  if (runs.empty()) return {};
  const auto newest =
      std::max_element(runs.begin(), runs.end(), [](const run_summary& a, const run_summary& b) {
        return std::tie(a.driver_sort_key, a.cuda_driver_api) <
               std::tie(b.driver_sort_key, b.cuda_driver_api);
      });
  std::vector<run_summary> out;
  for (const run_summary& r : runs)
    if (r.driver_sort_key == newest->driver_sort_key &&
        r.cuda_driver_api == newest->cuda_driver_api)
      out.push_back(r);
  return out;
}

std::string driver_words(const run_summary& r) {
  return (r.driver_version.empty() ? std::string("unknown driver") : "driver " + r.driver_version) +
         " (CUDA driver API " + std::to_string(r.cuda_driver_api) + ")";
}

/// "2 runs: 2026-11-30T00:20:51Z [3f2a9c1b0d4e], …" with the machines when several.
std::string runs_words(const std::vector<run_summary>& runs) {
  std::set<std::string> machines;
  for (const run_summary& r : runs) machines.insert(r.machine_key);
  std::string s = std::to_string(runs.size()) + (runs.size() == 1 ? " run" : " runs");
  if (machines.size() > 1) s += " on " + std::to_string(machines.size()) + " machines";
  s += ": ";
  for (std::size_t i = 0; i < runs.size(); ++i)
    s += (i > 0 ? ", " : "") + runs[i].started_at + " [" + runs[i].run_key.substr(0, 12) + "]";
  return s;
}

/// The stored execution counts (samples taken) of a run's rows: [row index][execution].
using sample_counts = std::map<std::int64_t, std::vector<std::size_t>>;

loaded_report rebuild(connection& c, std::int64_t run_id, sample_counts* counts) {
  auto s = c.prepare(
      "SELECT ru.source, ru.tool_version, ru.git_revision, ru.report_schema, ru.run_key, "
      "rr.json_bytes, rr.report_zlib FROM runs ru JOIN run_reports rr ON rr.run_id = ru.id "
      "WHERE ru.id = ?");
  s->bind(1, run_id);
  if (!s->step())
    throw store_error(store_fault::other,
                      c.describe() + ": no stored report for run id " + std::to_string(run_id));
  const std::string source = as_text(s->column(0));
  const std::string where = c.describe() + " run " + as_text(s->column(4)).substr(0, 12);
  const value zipped = s->column(6);
  loaded_report out;
  try {
    const auto* b = std::get_if<blob>(&zipped);
    if (b == nullptr) throw std::runtime_error("the stored report is not bytes");
    const std::string text =
        zlib_decompress(b->bytes, static_cast<std::size_t>(as_int(s->column(5))));
    out = report_from_json(json::parse(text), where);
  } catch (const std::exception& e) {
    throw store_error(store_fault::corrupt,
                      where + ": the stored report cannot be read back: " + e.what());
  }
  out.source = source;
  out.tool_version = as_text(s->column(1));
  out.git_revision = as_text(s->column(2));
  out.schema_version = as_text(s->column(3));

  auto x = c.prepare(
      "SELECT r.row_index, e.median_s, e.min_s, e.max_s, e.stdev_rel, e.samples, e.quantiles "
      "FROM results r JOIN series s ON s.id = r.series_id "
      "JOIN executions e ON e.result_id = r.id "
      "WHERE r.run_id = ? AND s.metric = 'median_s' ORDER BY r.row_index, e.ordinal");
  x->bind(1, run_id);
  std::vector<result_row>& rows = out.report.results;
  while (x->step()) {
    const std::int64_t index = as_int(x->column(0));
    if (index < 0 || static_cast<std::size_t>(index) >= rows.size() || !rows[index].timing)
      throw store_error(store_fault::corrupt, where + ": an execution of row " +
                                                  std::to_string(index) +
                                                  ", which the stored report has no timing for");
    result_row& row = rows[index];
    std::vector<double> q;
    try {
      const value qv = x->column(6);
      q = unpack_quantiles(std::get<blob>(qv).bytes);
    } catch (const std::exception& e) {
      throw store_error(store_fault::corrupt, where + ": stored quantiles: " + e.what());
    }
    if (q.empty())
      throw store_error(store_fault::corrupt, where + ": an execution without quantiles");
    execution_stats e;
    e.first_sample = row.timing->values_s.size();
    e.samples = q.size();
    e.median_s = as_real(x->column(1)).value_or(0.0);
    e.min_s = as_real(x->column(2)).value_or(0.0);
    e.max_s = as_real(x->column(3)).value_or(0.0);
    e.stdev_rel = as_real(x->column(4)).value_or(0.0);
    row.timing->values_s.insert(row.timing->values_s.end(), q.begin(), q.end());
    row.executions.push_back(e);
    if (counts != nullptr)
      (*counts)[index].push_back(static_cast<std::size_t>(as_int(x->column(5))));
  }
  return out;
}

stored_baseline make_baseline(connection& c, std::vector<run_summary> runs,
                              const std::string& label, const std::string& why) {
  stored_baseline out;
  std::vector<comparable_document> docs;
  for (const run_summary& r : runs) docs.push_back(stored_run_document(c, r));
  out.document = merge_documents(docs);
  out.document.source = "history (" + c.describe() + "): " + label;
  out.runs = std::move(runs);
  out.why = why;
  return out;
}

/// For each row of `b` (made from runs on `base`'s driver) whose last acknowledged change
/// (`acks`, by current workload id) is at a newer driver: its entry from `after` (this
/// machine's usable runs on its newest driver not newer than the candidate's) when that driver
/// is not older than the change, else none. One entry per id: the document stays one baseline
/// whose rows rest on different runs; `why` and the sources say which.
void rest_on_acknowledged(connection& c, stored_baseline& b, const run_summary& base,
                          const std::vector<run_summary>& after,
                          const std::map<std::string, acknowledged_change>& acks) {
  const auto newer = [](std::int64_t key_a, int api_a, std::int64_t key_b, int api_b) {
    return std::tie(key_a, api_a) > std::tie(key_b, api_b);
  };
  std::optional<comparable_document> later;
  std::vector<std::string> moved, dropped;
  std::vector<comparable_entry> entries;
  for (comparable_entry& e : b.document.entries) {
    const auto ack = acks.find(current_workload_id(e.id));
    if (ack == acks.end() || !newer(ack->second.driver_sort_key, ack->second.cuda_driver_api,
                                    base.driver_sort_key, base.cuda_driver_api)) {
      entries.push_back(std::move(e));
      continue;
    }
    const bool usable_after =
        !after.empty() && !newer(ack->second.driver_sort_key, ack->second.cuda_driver_api,
                                 after.front().driver_sort_key, after.front().cuda_driver_api);
    if (usable_after && !later) {
      std::vector<comparable_document> docs;
      for (const run_summary& r : after) docs.push_back(stored_run_document(c, r));
      later = merge_documents(docs);
    }
    const comparable_entry* replacement = nullptr;
    if (usable_after)
      for (const comparable_entry& x : later->entries)
        if (x.id == e.id) replacement = &x;
    if (replacement != nullptr) {
      entries.push_back(*replacement);
      moved.push_back(e.id + " (acknowledged at " + ack->second.driver + ")");
    } else {
      dropped.push_back(e.id + " (acknowledged at " + ack->second.driver + ")");
    }
  }
  if (moved.empty() && dropped.empty()) return;
  b.document.entries = std::move(entries);
  const auto list = [](const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
  };
  if (!moved.empty()) {
    for (const std::string& source : later->context.sources)
      if (std::find(b.document.context.sources.begin(), b.document.context.sources.end(), source) ==
          b.document.context.sources.end())
        b.document.context.sources.push_back(source);
    b.runs.insert(b.runs.end(), after.begin(), after.end());
    b.why += "; " + std::to_string(moved.size()) +
             (moved.size() == 1 ? " row rests" : " rows rest") +
             " on runs after its acknowledged change, on " + driver_words(after.front()) + ", " +
             runs_words(after) + ": " + list(moved);
  }
  if (!dropped.empty())
    b.why += "; " + std::to_string(dropped.size()) +
             (dropped.size() == 1 ? " row has" : " rows have") +
             " no baseline: no usable run of this machine after its acknowledged change: " +
             list(dropped);
}

}  // namespace

std::vector<run_summary> list_runs(connection& c, const run_filter& filter) {
  std::string where;
  std::vector<value> params;
  filter_sql(filter, where, params);
  std::vector<run_summary> runs = select_runs(c, where, params);
  if (!filter.gpu.empty())
    runs.erase(std::remove_if(
                   runs.begin(), runs.end(),
                   [&](const run_summary& r) { return !glob_matches(filter.gpu, r.gpu_model); }),
               runs.end());
  return runs;
}

std::vector<trend_point> trend(connection& c, const std::vector<std::string>& ids,
                               const run_filter& filter, const std::string& metric) {
  std::vector<std::string> wanted;
  for (const std::string& id : ids) wanted.push_back(current_workload_id(id));
  struct series_row {
    std::int64_t id;
    std::string workload, model, platform;
  };
  std::map<std::int64_t, series_row> series;
  {
    std::string sql = "SELECT id, workload_id, gpu_model, platform FROM series WHERE metric = ?";
    if (!filter.platform.empty()) sql += " AND platform = ?";
    auto s = c.prepare(sql);
    s->bind(1, metric);
    if (!filter.platform.empty()) s->bind(2, filter.platform);
    while (s->step()) {
      series_row r{as_int(s->column(0)), as_text(s->column(1)), as_text(s->column(2)),
                   as_text(s->column(3))};
      const bool id_ok = std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
        return id_matches(r.workload, w);
      });
      if (id_ok && glob_matches(filter.gpu, r.model)) series[r.id] = r;
    }
  }
  std::vector<trend_point> out;
  std::vector<std::int64_t> point_series;  // the series id of each point
  std::vector<std::int64_t> ids_left;
  for (const auto& [sid, r] : series) ids_left.push_back(sid);
  constexpr std::size_t kChunk = 200;  // parameters per statement
  for (std::size_t at = 0; at < ids_left.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, ids_left.size() - at);
    std::string sql =
        "SELECT r.series_id, d.version, d.sort_key, d.cuda_driver_api, ru.started_at, "
        "ru.run_key, m.machine_key, g.uuid, r.status, r.value, r.throughput, r.throughput_unit, "
        "r.executions, r.spread, ru.excluded, ru.interrupted, ru.id "
        "FROM results r JOIN runs ru ON ru.id = r.run_id JOIN drivers d ON d.id = ru.driver_id "
        "JOIN machines m ON m.id = ru.machine_id LEFT JOIN gpus g ON g.id = ru.gpu_id "
        "WHERE r.series_id IN (";
    for (std::size_t i = 0; i < n; ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
    if (!filter.driver.empty()) sql += " AND d.version = ?";
    if (!filter.include_excluded) sql += " AND ru.excluded = 0";
    auto s = c.prepare(sql);
    for (std::size_t i = 0; i < n; ++i) s->bind(static_cast<int>(i + 1), ids_left[at + i]);
    if (!filter.driver.empty()) s->bind(static_cast<int>(n + 1), storable_text(filter.driver));
    while (s->step()) {
      const std::int64_t sid = as_int(s->column(0));
      const series_row& sr = series.at(sid);
      point_series.push_back(sid);
      trend_point p;
      p.workload_id = sr.workload;
      p.metric = metric;
      p.gpu_model = sr.model;
      p.platform = sr.platform;
      p.driver_version = as_text(s->column(1));
      p.driver_sort_key = as_int(s->column(2));
      p.cuda_driver_api = static_cast<int>(as_int(s->column(3)));
      p.started_at = as_text(s->column(4));
      p.run_key = as_text(s->column(5));
      p.machine_key = as_text(s->column(6));
      p.gpu_uuid = as_text(s->column(7));
      p.status = as_text(s->column(8));
      p.value = as_real(s->column(9));
      p.throughput = as_real(s->column(10));
      p.throughput_unit = as_text(s->column(11));
      p.executions = as_int(s->column(12));
      p.spread = as_real(s->column(13));
      p.excluded = as_int(s->column(14)) != 0;
      p.interrupted = as_int(s->column(15)) != 0;
      out.push_back(std::move(p));
    }
  }
  // Series in (workload id, GPU model, platform) order, then driver, API level, time: sorted as
  // indexes so that 10,000 points of one series compare no strings but their times.
  std::vector<const series_row*> order;
  for (const auto& [sid, r] : series) order.push_back(&r);
  std::sort(order.begin(), order.end(), [](const series_row* a, const series_row* b) {
    return std::tie(a->workload, a->model, a->platform) <
           std::tie(b->workload, b->model, b->platform);
  });
  std::map<std::int64_t, std::size_t> rank;
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]->id] = i;
  std::vector<std::size_t> by(out.size()), series_rank(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    by[i] = i;
    series_rank[i] = rank.at(point_series[i]);
  }
  std::sort(by.begin(), by.end(), [&](std::size_t a, std::size_t b) {
    const trend_point& x = out[a];
    const trend_point& y = out[b];
    return std::tie(series_rank[a], x.driver_sort_key, x.cuda_driver_api, x.started_at, x.run_key) <
           std::tie(series_rank[b], y.driver_sort_key, y.cuda_driver_api, y.started_at, y.run_key);
  });
  std::vector<trend_point> sorted;
  sorted.reserve(out.size());
  for (const std::size_t i : by) sorted.push_back(std::move(out[i]));
  return sorted;
}

loaded_report rebuild_report(connection& c, std::int64_t run_id) {
  return rebuild(c, run_id, nullptr);
}

std::vector<loaded_report> rebuild_reports(connection& c, const run_filter& filter) {
  std::vector<loaded_report> out;
  for (const run_summary& r : list_runs(c, filter)) out.push_back(rebuild(c, r.id, nullptr));
  return out;
}

comparable_document stored_run_document(connection& c, const run_summary& run) {
  sample_counts counts;
  const loaded_report loaded = rebuild(c, run.id, &counts);
  const run_report& report = loaded.report;
  const int device = report.results.empty() ? 0 : report.results.front().device;
  const std::string label = loaded.source + " [" + run.run_key.substr(0, 12) + "]";
  comparable_document doc = comparable_from_report(report, device, label);
  doc.context.wslcuda_version = loaded.tool_version;
  doc.context.git_revision = loaded.git_revision;
  // An execution kept as quantiles resamples as the samples it took (the bootstrap's n).
  std::map<std::string, std::int64_t> row_of;
  for (std::size_t i = 0; i < report.results.size(); ++i)
    row_of.emplace(report.results[i].id, static_cast<std::int64_t>(i));
  for (comparable_entry& e : doc.entries) {
    const auto row = row_of.find(e.id);
    if (row == row_of.end()) continue;
    const auto found = counts.find(row->second);
    if (found == counts.end()) continue;
    for (comparable_execution& x : e.executions)
      if (x.index < found->second.size()) x.n = std::max(x.n, found->second[x.index]);
  }
  return doc;
}

bool usable_as_baseline(const run_summary& run) {
  // Exit 6 (inconclusive): every row that ran passed, the gate only judged too little.
  return run.command == "run" && (run.exit_code == 0 || run.exit_code == 6) && !run.interrupted &&
         !run.excluded;
}

stored_baseline baseline_from_store(connection& c, const baseline_selection& selection) {
  if (selection.gpu.empty()) throw input_error("history baseline: --gpu MODEL is required");
  if (!selection.driver.empty() && !selection.before.empty())
    throw input_error("history baseline: give --driver or --before, not both");
  run_filter f;
  f.gpu = selection.gpu;
  f.platform = selection.platform;
  f.include_excluded = false;
  std::vector<run_summary> runs = list_runs(c, f);
  runs.erase(std::remove_if(runs.begin(), runs.end(),
                            [](const run_summary& r) { return !usable_as_baseline(r); }),
             runs.end());
  std::set<std::string> models;
  for (const run_summary& r : runs)
    models.insert(r.gpu_model + " (sm " + r.compute_capability + ")");
  const std::string where = "in " + c.describe() + " for --gpu '" + selection.gpu + "' on " +
                            (selection.platform.empty() ? "any platform" : selection.platform);
  if (models.size() > 1) {
    std::string names;
    for (const std::string& m : models) names += (names.empty() ? "" : ", ") + m;
    throw input_error("history baseline: several GPU models " + where + ": " + names +
                      "; a baseline holds one (name it exactly)");
  }
  std::vector<run_summary> chosen;
  if (!selection.driver.empty()) {
    for (const run_summary& r : runs)
      if (r.driver_version == selection.driver) chosen.push_back(r);
  } else if (!selection.before.empty()) {
    const std::int64_t limit = driver_sort_key(selection.before);
    std::vector<run_summary> older;
    for (const run_summary& r : runs)
      if (r.driver_sort_key < limit) older.push_back(r);
    chosen = newest_driver(older);
  } else {
    chosen = newest_driver(runs);
  }
  if (chosen.empty())
    throw input_error(
        "history baseline: no usable run (command run, exit code 0, complete, "
        "not excluded) " +
        where +
        (!selection.driver.empty()   ? " on driver " + selection.driver
         : !selection.before.empty() ? " on a driver older than " + selection.before
                                     : std::string()));
  const std::string label = chosen.front().gpu_model + ", " + chosen.front().platform + ", " +
                            driver_words(chosen.front());
  return make_baseline(c, chosen, label, "history baseline: " + label + ", " + runs_words(chosen));
}

std::optional<stored_baseline> choose_history_baseline(connection& c, const run_report& candidate) {
  const run_identity id = identity_of(candidate);
  const std::string key = run_key(candidate);
  // Usable runs, never the candidate itself: the same report (run key), or the same measurement
  // judged again (`gate` of a recorded report: same GPU, same start, another key).
  const std::string usable =
      "ru.command = 'run' AND ru.exit_code = 0 AND ru.interrupted = 0 AND ru.excluded = 0 AND "
      "ru.run_key <> ? AND NOT (COALESCE(g.uuid, '') = ? AND ru.started_at = ?)";
  const std::string self_uuid = storable_text(id.gpu_uuid);
  const std::string self_start = storable_text(candidate.started_at);
  std::string none_mine;
  if (!id.gpu_uuid.empty()) {
    const std::vector<run_summary> mine = newest_driver(select_runs(
        c,
        "g.uuid = ? AND m.platform = ? AND " + usable +
            " AND (d.sort_key < ? OR (d.sort_key = ? AND d.cuda_driver_api < ?))",
        {storable_text(id.gpu_uuid), id.platform, key, self_uuid, self_start, id.driver_sort_key,
         id.driver_sort_key, static_cast<std::int64_t>(id.cuda_driver_api)}));
    if (!mine.empty()) {
      const std::string label = "this machine (" + mine.front().gpu_model + " " + id.gpu_uuid +
                                ", " + id.platform + ") on " + driver_words(mine.front());
      stored_baseline b =
          make_baseline(c, mine, label, "history baseline: " + label + ", " + runs_words(mine));
      // Rows whose change at a newer driver was acknowledged rest on runs after that change.
      const std::map<std::string, acknowledged_change> acks = acknowledged_changes(
          c, id.gpu_model, id.platform, id.machine_key, id.driver_sort_key, id.cuda_driver_api);
      if (!acks.empty()) {
        const std::vector<run_summary> pool = newest_driver(
            select_runs(c,
                        "g.uuid = ? AND m.platform = ? AND " + usable +
                            " AND (d.sort_key < ? OR (d.sort_key = ? AND d.cuda_driver_api <= ?))",
                        {storable_text(id.gpu_uuid), id.platform, key, self_uuid, self_start,
                         id.driver_sort_key, id.driver_sort_key,
                         static_cast<std::int64_t>(id.cuda_driver_api)}));
        rest_on_acknowledged(c, b, mine.front(), pool, acks);
      }
      if (!b.document.entries.empty()) return b;
    }
    none_mine = "no usable run of this machine (" + id.gpu_uuid + ", " + id.platform +
                ") on a driver older than " +
                (id.driver_version.empty() ? std::string("an unknown one") : id.driver_version) +
                " in " + c.describe();
  } else {
    none_mine = "the run names no GPU UUID, so it has no machine history";
  }
  if (!id.gpu_model.empty()) {
    std::string where = "m.platform = 'linux' AND g.compute_capability = ? AND " + usable;
    std::vector<value> params = {id.compute_capability, key, self_uuid, self_start};
    if (id.platform == "linux") {
      where += " AND (d.sort_key < ? OR (d.sort_key = ? AND d.cuda_driver_api <= ?))";
      params.insert(params.end(), {id.driver_sort_key, id.driver_sort_key,
                                   static_cast<std::int64_t>(id.cuda_driver_api)});
    }
    std::vector<run_summary> model = select_runs(c, where, params);
    model.erase(std::remove_if(model.begin(), model.end(),
                               [&](const run_summary& r) {
                                 return model_key(r.gpu_model) != model_key(id.gpu_model);
                               }),
                model.end());
    model = newest_driver(model);
    if (!model.empty()) {
      const std::string label =
          id.gpu_model + " on bare metal (linux), " + driver_words(model.front());
      stored_baseline b = make_baseline(
          c, model, label,
          "history baseline: " + none_mine + "; instead " + label + ", " + runs_words(model));
      if (!b.document.entries.empty()) return b;
    }
  }
  return std::nullopt;
}

std::optional<comparable_document> history_baseline(connection& c, const run_report& candidate,
                                                    std::string& why) {
  std::optional<stored_baseline> b = choose_history_baseline(c, candidate);
  if (!b) {
    const run_identity id = identity_of(candidate);
    why = "no history baseline in " + c.describe() + ": no usable run of this machine (" +
          (id.gpu_uuid.empty() ? std::string("no GPU UUID") : id.gpu_uuid) + ", " + id.platform +
          ") on a driver older than " +
          (id.driver_version.empty() ? std::string("an unknown one") : id.driver_version) +
          ", and no usable bare-metal (linux) run of " +
          (id.gpu_model.empty() ? std::string("its GPU model") : id.gpu_model);
    return std::nullopt;
  }
  why = b->why;
  return std::move(b->document);
}

run_summary exclude_run(connection& c, const std::string& run, const std::string& reason) {
  const std::string prefix = lower(run);
  if (prefix.size() < 8 || prefix.size() > 64 ||
      prefix.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw input_error("history exclude: '" + run +
                      "' is not a run key (8 to 64 hex digits, as `history list` shows them)");
  if (reason.empty()) throw input_error("history exclude: --reason must say why");
  std::vector<run_summary> found = select_runs(c, "ru.run_key LIKE ?", {prefix + "%"});
  if (found.empty()) throw input_error("history exclude: no run " + run + " in " + c.describe());
  if (found.size() > 1)
    throw input_error("history exclude: " + run + " names " + std::to_string(found.size()) +
                      " runs in " + c.describe() + "; give more digits");
  c.begin();
  try {
    auto s = c.prepare(
        "UPDATE runs SET excluded = 1, excluded_reason = ?, excluded_at = ? WHERE id = ?");
    s->bind(1, storable_text(reason));
    s->bind(2, utc_now_iso8601());
    s->bind(3, found.front().id);
    s->step();
    c.commit();
  } catch (...) {
    c.rollback();
    throw;
  }
  found.front().excluded = true;
  found.front().excluded_reason = storable_text(reason);
  return found.front();
}

}  // namespace wslcuda::history
