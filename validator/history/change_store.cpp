#include "history/change_store.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "history/codec.hpp"
#include "history/column_values.hpp"
#include "model/json.hpp"
#include "model/run_report.hpp"

namespace wslcuda::history {
namespace {

/// Parameters per statement of the `IN (…)` lists (SQLite allows 32766, PostgreSQL 65535).
constexpr std::size_t kIdsPerStatement = 500;

struct series_row {
  std::string workload, metric, model, platform;
  bool host_bound = false;
};

struct run_row {
  std::int64_t machine_id = 0, driver_id = 0;
  std::string started_at;
};

struct driver_row {
  std::string version;
  std::int64_t sort_key = 0;
  int api = 0;
};

struct point_row {
  std::int64_t run_id = 0;
  double value = 0;
};

/// What an analysis reads from the store.
struct store_data {
  std::map<std::int64_t, series_row> series;
  std::unordered_map<std::int64_t, run_row> runs;  ///< usable runs only
  std::unordered_map<std::int64_t, driver_row> drivers;
  std::unordered_map<std::int64_t, std::string> machines;
  std::unordered_map<std::int64_t, std::vector<point_row>> points;  ///< by series
};

/// Runs `sql_head` + " IN (?, …)" + `sql_tail` over `ids` in chunks, calling `row` per result row.
template <typename Row>
void for_ids(connection& c, const std::string& sql_head, const std::string& sql_tail,
             const std::vector<std::int64_t>& ids, Row&& row) {
  for (std::size_t at = 0; at < ids.size(); at += kIdsPerStatement) {
    const std::size_t n = std::min(kIdsPerStatement, ids.size() - at);
    std::string sql = sql_head + " IN (";
    for (std::size_t i = 0; i < n; ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")" + sql_tail;
    auto s = c.prepare(sql);
    for (std::size_t i = 0; i < n; ++i) s->bind(static_cast<int>(i + 1), ids[at + i]);
    while (s->step()) row(*s);
  }
}

constexpr const char* kSeriesColumns =
    "SELECT s.id, s.workload_id, s.metric, s.gpu_model, s.platform, "
    "(SELECT r.bound FROM results r WHERE r.series_id = s.id LIMIT 1) FROM series s";

series_row series_of(statement& s) {
  series_row r;
  r.workload = text_of(s.column(1));
  r.metric = text_of(s.column(2));
  r.model = text_of(s.column(3));
  r.platform = text_of(s.column(4));
  r.host_bound = text_of(s.column(5)) == "host";
  return r;
}

/// Drivers, machines and usable runs (not excluded, not interrupted).
void read_context(connection& c, store_data& d) {
  auto drivers = c.prepare("SELECT id, version, sort_key, cuda_driver_api FROM drivers");
  while (drivers->step())
    d.drivers[int_of(drivers->column(0))] = {text_of(drivers->column(1)),
                                             int_of(drivers->column(2)),
                                             static_cast<int>(int_of(drivers->column(3)))};
  auto machines = c.prepare("SELECT id, machine_key FROM machines");
  while (machines->step()) d.machines[int_of(machines->column(0))] = text_of(machines->column(1));
  auto runs = c.prepare(
      "SELECT id, machine_id, driver_id, started_at FROM runs "
      "WHERE excluded = 0 AND interrupted = 0");
  while (runs->step())
    d.runs[int_of(runs->column(0))] = {int_of(runs->column(1)), int_of(runs->column(2)),
                                       text_of(runs->column(3))};
}

/// The usable points of the series in `d.series`.
void read_points(connection& c, store_data& d) {
  std::vector<std::int64_t> ids;
  ids.reserve(d.series.size());
  for (const auto& [id, s] : d.series) ids.push_back(id);
  for_ids(c, "SELECT series_id, run_id, value FROM results WHERE series_id",
          " AND status = 'pass' AND value IS NOT NULL", ids, [&](statement& s) {
            const std::int64_t run = int_of(s.column(1));
            if (d.runs.find(run) == d.runs.end()) return;  // excluded or interrupted
            const std::optional<double> v = real_of(s.column(2));
            if (!v || !std::isfinite(*v) || *v <= 0) return;
            d.points[int_of(s.column(0))].push_back({run, *v});
          });
}

std::string parameters_json(const detector_params& p, metric_sense sense, bool across) {
  json j{{"detector",
          "e-divisive with a Student-t test: Apache Otava 0.8.0 ported to C++, minimum segment of "
          "apache/otava PR 150"},
         {"window", p.window},
         {"first_pass_p", p.first_pass_p},
         {"max_p", p.max_p},
         {"min_magnitude", p.min_magnitude},
         {"min_segment", p.min_segment},
         {"min_last_segment", p.min_last_segment},
         {"short_segment_joins_nearer_side", p.short_segment_joins_nearer_side},
         {"min_points", kMinPointsForDetection},
         {"tentative_below", kMinPointsAfterConfirmed},
         {"sense", sense == metric_sense::lower_is_better ? "lower_is_better" : "higher_is_better"},
         {"points", across ? "per-driver median across machines" : "one per run"}};
  return j.dump();
}

/// Per point of a scope: its driver and how many runs it stands for.
struct point_extra {
  std::int64_t driver_id = 0;
  std::size_t runs = 1;
};

/// Analyses one scope and appends what it found to `out`.
void analyse_scope(const change_scope& scope, std::vector<run_point> pts,
                   const std::vector<point_extra>& extra, const store_data& d, metric_sense sense,
                   const detector_params& params, const std::string& params_text,
                   change_analysis& out) {
  for (std::size_t i = 0; i < pts.size(); ++i) pts[i].run = std::to_string(i);
  ++out.scopes;
  const series_analysis a = analyse_series(std::move(pts), sense, params);
  if (a.outcome == series_outcome::too_few_points) {
    out.too_few.push_back({scope, a.points.size()});
    return;
  }
  ++out.analysed;
  std::vector<std::size_t> original(a.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i)
    original[i] = static_cast<std::size_t>(std::stoul(a.points[i].run));
  const auto extra_at = [&](std::size_t i) -> const point_extra& { return extra[original[i]]; };
  std::vector<scope_point> chart;
  if (!a.changes.empty()) {
    chart.reserve(a.points.size());
    for (const run_point& p : a.points) chart.push_back({p.driver, p.time, p.value});
  }
  for (std::size_t k = 0; k < a.changes.size(); ++k) {
    const driver_change& c = a.changes[k];
    change_record r;
    r.scope = scope;
    r.driver_before_id = extra_at(c.index - 1).driver_id;
    r.driver_after_id = extra_at(c.index).driver_id;
    r.driver_before = c.driver_before;
    r.driver = c.driver;
    const auto drv = d.drivers.find(r.driver_after_id);
    if (drv != d.drivers.end()) r.cuda_driver_api = drv->second.api;
    r.value_before = c.stats.mean_before;
    r.value_after = c.stats.mean_after;
    r.relative_change = c.relative_change;
    r.magnitude = c.magnitude;
    r.p_value = c.stats.p_value;
    r.direction = c.direction;
    r.points_before = c.points_before;
    r.points_after = c.points_after;
    for (std::size_t i = c.index - c.points_before; i < c.index; ++i)
      r.runs_before += extra_at(i).runs;
    for (std::size_t i = c.index; i < c.index + c.points_after; ++i)
      r.runs_after += extra_at(i).runs;
    r.parameters = params_text;
    r.analysis_state = c.tentative ? change_state::tentative : change_state::new_;
    // A regression that a later, confirmed improvement brought back within the minimum
    // magnitude of where it was: fixed, by that driver.
    if (c.direction == change_direction::regression && c.stats.mean_before > 0) {
      for (std::size_t j = k + 1; j < a.changes.size(); ++j) {
        const driver_change& later = a.changes[j];
        if (later.direction != change_direction::improvement || later.tentative) continue;
        if (std::fabs(later.stats.mean_after / c.stats.mean_before - 1.0) <= params.min_magnitude) {
          r.analysis_state = change_state::fixed;
          r.restored_by = later.driver;
          r.restored_by_driver_id = extra_at(later.index).driver_id;
          break;
        }
      }
    }
    r.state = r.analysis_state;
    r.key = change_key(scope.workload_id, scope.metric, scope.gpu_model, scope.platform,
                       scope.machine_key, drv != d.drivers.end() ? drv->second.version : r.driver,
                       r.cuda_driver_api);
    r.points = chart;
    r.index = c.index;
    out.changes.push_back(std::move(r));
  }
  for (const driver_instability& u : a.instabilities) {
    instability_record r;
    r.scope = scope;
    r.driver = u.driver;
    for (const run_point& p : a.points)
      if (compare_driver_versions(p.driver, u.driver) == 0) ++r.points;
    r.relative_change = u.stats.forward_change();
    r.p_value = u.stats.p_value;
    r.reason = u.reason;
    out.instabilities.push_back(std::move(r));
  }
}

/// Which scopes an analysis covers: every machine's and the model's of the series analysed
/// (`machines` empty), or only the machines named and the model's.
struct coverage {
  std::set<std::int64_t> series;
  std::set<std::int64_t> machines;  ///< empty: every machine
  bool covers(std::int64_t series_id, std::int64_t machine_id) const {
    return series.count(series_id) != 0 &&
           (machine_id == 0 || machines.empty() || machines.count(machine_id) != 0);
  }
};

/// Analyses the series of `d`, each machine of `cover` and the model across machines.
void analyse_data(const store_data& d, const coverage& cover, const gate_policy& policy,
                  change_analysis& out) {
  std::map<std::string, std::pair<detector_params, std::string>> params_of;  // workload →
  for (const auto& [series_id, s] : d.series) {
    ++out.series;
    const auto found = d.points.find(series_id);
    if (found == d.points.end()) continue;
    const std::vector<point_row>& points = found->second;
    out.points += points.size();
    const metric_sense sense = sense_of_metric(s.metric);
    auto cached = params_of.find(s.workload);
    if (cached == params_of.end())
      cached = params_of
                   .emplace(s.workload,
                            std::make_pair(detector_params_for(policy, s.workload), std::string()))
                   .first;
    const detector_params& params = cached->second.first;
    change_scope scope;
    scope.series_id = series_id;
    scope.workload_id = s.workload;
    scope.metric = s.metric;
    scope.gpu_model = s.model;
    scope.platform = s.platform;

    // Per machine: one point per run.
    std::map<std::int64_t, std::vector<const point_row*>> by_machine;
    for (const point_row& p : points) by_machine[d.runs.at(p.run_id).machine_id].push_back(&p);
    const std::string machine_params = parameters_json(params, sense, false);
    for (const auto& [machine_id, machine_points] : by_machine) {
      if (!cover.covers(series_id, machine_id)) continue;
      std::vector<run_point> pts;
      std::vector<point_extra> extra;
      pts.reserve(machine_points.size());
      extra.reserve(machine_points.size());
      for (const point_row* p : machine_points) {
        const run_row& run = d.runs.at(p->run_id);
        const auto drv = d.drivers.find(run.driver_id);
        pts.push_back(
            {drv != d.drivers.end() ? drv->second.version : "", run.started_at, p->value, ""});
        extra.push_back({run.driver_id, 1});
      }
      change_scope ms = scope;
      ms.machine_id = machine_id;
      const auto key = d.machines.find(machine_id);
      ms.machine_key = key != d.machines.end() ? key->second : std::to_string(machine_id);
      ms.machines = 1;
      analyse_scope(ms, std::move(pts), extra, d, sense, params, machine_params, out);
    }

    // Across the model's machines: one point per driver, rows the host does not bind.
    if (s.host_bound) continue;
    std::vector<machine_run> runs;
    runs.reserve(points.size());
    std::vector<std::pair<std::string, std::int64_t>> driver_ids;  // version → id, first met
    for (const point_row& p : points) {
      const run_row& run = d.runs.at(p.run_id);
      const auto drv = d.drivers.find(run.driver_id);
      const std::string version = drv != d.drivers.end() ? drv->second.version : "";
      runs.push_back({std::to_string(run.machine_id), {version, run.started_at, p.value, ""}});
      if (std::none_of(driver_ids.begin(), driver_ids.end(), [&](const auto& v) {
            return compare_driver_versions(v.first, version) == 0;
          }))
        driver_ids.emplace_back(version, run.driver_id);
    }
    const std::vector<driver_median> medians = median_across_machines(runs);
    std::vector<point_extra> extra;
    std::size_t machines = 0;
    {
      std::set<std::string> all;
      for (const machine_run& r : runs) all.insert(r.machine);
      machines = all.size();
    }
    for (const driver_median& m : medians) {
      point_extra e;
      e.runs = m.runs;
      for (const auto& [version, id] : driver_ids)
        if (compare_driver_versions(version, m.point.driver) == 0) e.driver_id = id;
      extra.push_back(e);
    }
    change_scope all = scope;
    all.machines = machines;
    analyse_scope(all, points_of(medians), extra, d, sense, params,
                  parameters_json(params, sense, true), out);
  }
}

/// A stored change point's columns, as reconcile compares them.
struct stored_row {
  std::int64_t id = 0, series_id = 0, machine_id = 0, driver_after_id = 0, driver_before_id = 0;
  std::string key, parameters, state, direction, detected_at, updated_at;
  std::optional<double> value_before, value_after, magnitude, p_value;
  std::int64_t points_before = 0, points_after = 0, runs_before = 0, runs_after = 0, machines = 0;
  bool found = false;
  std::int64_t restored_by = 0;
};

using identity = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // series, machine, driver

std::map<identity, stored_row> read_stored(connection& c, const coverage& cover) {
  std::map<identity, stored_row> out;
  std::vector<std::int64_t> ids(cover.series.begin(), cover.series.end());
  for_ids(c,
          "SELECT id, series_id, machine_id, driver_after_id, driver_before_id, change_key, "
          "parameters, state, direction, detected_at, updated_at, value_before, value_after, "
          "magnitude, p_value, points_before, points_after, runs_before, runs_after, machines, "
          "found, restored_by_driver_id FROM change_points WHERE series_id",
          "", ids, [&](statement& s) {
            stored_row r;
            r.id = int_of(s.column(0));
            r.series_id = int_of(s.column(1));
            r.machine_id = int_of(s.column(2));
            r.driver_after_id = int_of(s.column(3));
            r.driver_before_id = int_of(s.column(4));
            r.key = text_of(s.column(5));
            r.parameters = text_of(s.column(6));
            r.state = text_of(s.column(7));
            r.direction = text_of(s.column(8));
            r.detected_at = text_of(s.column(9));
            r.updated_at = text_of(s.column(10));
            r.value_before = real_of(s.column(11));
            r.value_after = real_of(s.column(12));
            r.magnitude = real_of(s.column(13));
            r.p_value = real_of(s.column(14));
            r.points_before = int_of(s.column(15));
            r.points_after = int_of(s.column(16));
            r.runs_before = int_of(s.column(17));
            r.runs_after = int_of(s.column(18));
            r.machines = int_of(s.column(19));
            r.found = int_of(s.column(20)) != 0;
            r.restored_by = int_of(s.column(21));
            if (cover.covers(r.series_id, r.machine_id))
              out.emplace(identity{r.series_id, r.machine_id, r.driver_after_id}, std::move(r));
          });
  return out;
}

/// Whether the stored row says what the analysis found.
bool same_as(const stored_row& s, const change_record& r) {
  return s.found && s.driver_before_id == r.driver_before_id && s.key == r.key &&
         s.parameters == r.parameters && s.state == to_string(r.analysis_state) &&
         s.direction == to_string(r.direction) && s.value_before == r.value_before &&
         s.value_after == r.value_after && s.magnitude == r.relative_change &&
         s.p_value == r.p_value && s.points_before == static_cast<std::int64_t>(r.points_before) &&
         s.points_after == static_cast<std::int64_t>(r.points_after) &&
         s.runs_before == static_cast<std::int64_t>(r.runs_before) &&
         s.runs_after == static_cast<std::int64_t>(r.runs_after) &&
         s.machines == static_cast<std::int64_t>(r.scope.machines) &&
         s.restored_by == r.restored_by_driver_id;
}

value id_or_null(std::int64_t id) {
  return id == 0 ? value(std::monostate{}) : value(id);
}

/// Binds the analysis columns of `r` from parameter `first` on, in the order of kAnalysisColumns.
constexpr const char* kAnalysisColumns =
    "driver_before_id, value_before, value_after, magnitude, p_value, parameters, state, "
    "change_key, direction, points_before, points_after, runs_before, runs_after, machines, "
    "restored_by_driver_id";
constexpr int kAnalysisColumnCount = 15;

void bind_analysis(statement& s, int first, const change_record& r) {
  s.bind(first, r.driver_before_id);
  s.bind(first + 1, r.value_before);
  s.bind(first + 2, r.value_after);
  s.bind(first + 3, r.relative_change);
  s.bind(first + 4, std::isfinite(r.p_value) ? value(r.p_value) : value(std::monostate{}));
  s.bind(first + 5, r.parameters);
  s.bind(first + 6, std::string(to_string(r.analysis_state)));
  s.bind(first + 7, r.key);
  s.bind(first + 8, std::string(to_string(r.direction)));
  s.bind(first + 9, static_cast<std::int64_t>(r.points_before));
  s.bind(first + 10, static_cast<std::int64_t>(r.points_after));
  s.bind(first + 11, static_cast<std::int64_t>(r.runs_before));
  s.bind(first + 12, static_cast<std::int64_t>(r.runs_after));
  s.bind(first + 13, static_cast<std::int64_t>(r.scope.machines));
  s.bind(first + 14, id_or_null(r.restored_by_driver_id));
}

/// Brings the stored change points of `cover` to what `out` found, in one transaction. Sets the
/// ids and dates of `out.changes`.
void reconcile(connection& c, const coverage& cover, change_analysis& out) {
  const std::string now = utc_now_iso8601();
  c.begin();
  try {
    std::map<identity, stored_row> stored = read_stored(c, cover);
    std::string set_list;
    {
      std::string cols = kAnalysisColumns;
      std::size_t at = 0;
      while (at < cols.size()) {
        const std::size_t comma = cols.find(", ", at);
        const std::string col =
            cols.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        set_list += (set_list.empty() ? "" : ", ") + col + " = ?";
        at = comma == std::string::npos ? cols.size() : comma + 2;
      }
    }
    auto update = c.prepare("UPDATE change_points SET " + set_list +
                            ", found = 1, updated_at = ? WHERE id = ?");
    std::string marks;
    for (int i = 0; i < kAnalysisColumnCount + 6; ++i) marks += i == 0 ? "?" : ", ?";
    auto insert = c.prepare(std::string("INSERT INTO change_points (") + kAnalysisColumns +
                            ", series_id, machine_id, driver_after_id, note, detected_at, "
                            "updated_at) VALUES (" +
                            marks + ") ON CONFLICT DO NOTHING RETURNING id");
    auto find = c.prepare(
        "SELECT id, detected_at FROM change_points WHERE series_id = ? AND driver_after_id = ? "
        "AND COALESCE(machine_id, 0) = ?");
    auto retract = c.prepare("UPDATE change_points SET found = 0, updated_at = ? WHERE id = ?");
    const auto run_update = [&](const change_record& r, std::int64_t id) {
      update->reset();
      bind_analysis(*update, 1, r);
      update->bind(kAnalysisColumnCount + 1, now);
      update->bind(kAnalysisColumnCount + 2, id);
      update->step();
      ++out.updated;
    };
    for (change_record& r : out.changes) {
      const identity who{r.scope.series_id, r.scope.machine_id, r.driver_after_id};
      const auto it = stored.find(who);
      if (it != stored.end()) {
        r.id = it->second.id;
        r.detected_at = it->second.detected_at;
        r.updated_at = it->second.updated_at;
        if (!same_as(it->second, r)) {
          run_update(r, r.id);
          r.updated_at = now;
        }
        stored.erase(it);
        continue;
      }
      insert->reset();
      bind_analysis(*insert, 1, r);
      insert->bind(kAnalysisColumnCount + 1, r.scope.series_id);
      insert->bind(kAnalysisColumnCount + 2, id_or_null(r.scope.machine_id));
      insert->bind(kAnalysisColumnCount + 3, r.driver_after_id);
      insert->bind(kAnalysisColumnCount + 4, std::string());
      insert->bind(kAnalysisColumnCount + 5, now);
      insert->bind(kAnalysisColumnCount + 6, now);
      if (insert->step()) {
        r.id = int_of(insert->column(0));
        r.detected_at = r.updated_at = now;
        ++out.inserted;
        insert->reset();
        continue;
      }
      // Another process stored it between our read and now: update that row.
      find->reset();
      find->bind(1, r.scope.series_id);
      find->bind(2, r.driver_after_id);
      find->bind(3, r.scope.machine_id);
      if (!find->step())
        throw store_error(store_fault::other, c.describe() + ": lost a change point");
      r.id = int_of(find->column(0));
      r.detected_at = text_of(find->column(1));
      find->reset();
      run_update(r, r.id);
      r.updated_at = now;
    }
    for (const auto& [who, row] : stored) {  // no longer found
      if (!row.found) continue;
      retract->reset();
      retract->bind(1, now);
      retract->bind(2, row.id);
      retract->step();
      ++out.retracted;
    }
    c.commit();
    out.stored = true;
  } catch (...) {
    c.rollback();
    throw;
  }
}

/// The stored rows' ids and dates for `out.changes` (when the analysis could not be stored).
void match_stored(connection& c, const coverage& cover, change_analysis& out) {
  const std::map<identity, stored_row> stored = read_stored(c, cover);
  for (change_record& r : out.changes) {
    const auto it = stored.find(identity{r.scope.series_id, r.scope.machine_id, r.driver_after_id});
    if (it == stored.end()) continue;
    r.id = it->second.id;
    r.detected_at = it->second.detected_at;
    r.updated_at = it->second.updated_at;
  }
}

struct triage_row {
  std::string state, note, triaged_at;
};

/// Applies a triage decision to a record: its state (unless `new`), note and date.
void apply_triage(change_record& r, const triage_row& t) {
  r.note = t.note;
  r.triaged_at = t.triaged_at;
  const std::optional<change_state> s = parse_change_state(t.state);
  r.state = s && *s != change_state::new_ ? *s : r.analysis_state;
}

void read_triage(connection& c, const std::set<std::int64_t>& series,
                 std::vector<change_record>& records) {
  std::map<std::pair<std::int64_t, std::int64_t>, triage_row> triage;
  for_ids(c,
          "SELECT series_id, driver_id, state, note, triaged_at FROM change_triage WHERE series_id",
          "", std::vector<std::int64_t>(series.begin(), series.end()), [&](statement& s) {
            triage[{int_of(s.column(0)), int_of(s.column(1))}] = {
                text_of(s.column(2)), text_of(s.column(3)), text_of(s.column(4))};
          });
  for (change_record& r : records) {
    const auto it = triage.find({r.scope.series_id, r.driver_after_id});
    if (it != triage.end()) apply_triage(r, it->second);
  }
}

/// The series of `selection`, read into `d`.
void read_selected_series(connection& c, const change_selection& selection, store_data& d) {
  std::string sql = std::string(kSeriesColumns) + " WHERE s.metric = ?";
  if (!selection.platform.empty()) sql += " AND s.platform = ?";
  auto s = c.prepare(sql);
  s->bind(1, selection.metric);
  if (!selection.platform.empty()) s->bind(2, selection.platform);
  while (s->step()) {
    series_row r = series_of(*s);
    if (glob_matches_text(selection.gpu, r.model)) d.series[int_of(s->column(0))] = std::move(r);
  }
}

bool refused_write(store_fault kind) {
  return kind == store_fault::denied || kind == store_fault::read_only;
}

constexpr const char* kStoredColumns =
    "SELECT cp.id, cp.change_key, cp.series_id, s.workload_id, s.metric, s.gpu_model, "
    "s.platform, COALESCE(cp.machine_id, 0), m.machine_key, cp.machines, cp.driver_before_id, "
    "db.version, cp.driver_after_id, da.version, da.cuda_driver_api, cp.value_before, "
    "cp.value_after, cp.magnitude, cp.p_value, cp.direction, cp.points_before, cp.points_after, "
    "cp.runs_before, cp.runs_after, cp.parameters, cp.state, cp.found, dr.version, "
    "COALESCE(cp.restored_by_driver_id, 0), cp.detected_at, cp.updated_at, t.state, t.note, "
    "t.triaged_at "
    "FROM change_points cp JOIN series s ON s.id = cp.series_id "
    "LEFT JOIN machines m ON m.id = cp.machine_id "
    "JOIN drivers db ON db.id = cp.driver_before_id JOIN drivers da ON da.id = cp.driver_after_id "
    "LEFT JOIN drivers dr ON dr.id = cp.restored_by_driver_id "
    "LEFT JOIN change_triage t ON t.series_id = cp.series_id AND t.driver_id = cp.driver_after_id";

change_record stored_record(statement& s) {
  change_record r;
  r.id = int_of(s.column(0));
  r.key = text_of(s.column(1));
  r.scope.series_id = int_of(s.column(2));
  r.scope.workload_id = text_of(s.column(3));
  r.scope.metric = text_of(s.column(4));
  r.scope.gpu_model = text_of(s.column(5));
  r.scope.platform = text_of(s.column(6));
  r.scope.machine_id = int_of(s.column(7));
  r.scope.machine_key = text_of(s.column(8));
  r.scope.machines = static_cast<std::size_t>(int_of(s.column(9)));
  r.driver_before_id = int_of(s.column(10));
  r.driver_before = text_of(s.column(11));
  r.driver_after_id = int_of(s.column(12));
  r.driver = text_of(s.column(13));
  r.cuda_driver_api = static_cast<int>(int_of(s.column(14)));
  r.value_before = real_of(s.column(15)).value_or(0.0);
  r.value_after = real_of(s.column(16)).value_or(0.0);
  r.relative_change = real_of(s.column(17)).value_or(0.0);
  const double f = r.relative_change;
  r.magnitude = f > -1.0 ? std::max(std::fabs(f), std::fabs(1.0 / (1.0 + f) - 1.0)) : std::fabs(f);
  r.p_value = real_of(s.column(18)).value_or(std::nan(""));
  r.direction = text_of(s.column(19)) == "improvement" ? change_direction::improvement
                                                       : change_direction::regression;
  r.points_before = static_cast<std::size_t>(int_of(s.column(20)));
  r.points_after = static_cast<std::size_t>(int_of(s.column(21)));
  r.runs_before = static_cast<std::size_t>(int_of(s.column(22)));
  r.runs_after = static_cast<std::size_t>(int_of(s.column(23)));
  r.parameters = text_of(s.column(24));
  r.analysis_state = parse_change_state(text_of(s.column(25))).value_or(change_state::new_);
  r.found = int_of(s.column(26)) != 0;
  r.restored_by = text_of(s.column(27));
  r.restored_by_driver_id = int_of(s.column(28));
  r.detected_at = text_of(s.column(29));
  r.updated_at = text_of(s.column(30));
  r.state = r.analysis_state;
  if (!std::holds_alternative<std::monostate>(s.column(31)))
    apply_triage(r, {text_of(s.column(31)), text_of(s.column(32)), text_of(s.column(33))});
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return s;
}

}  // namespace

const char* to_string(change_state s) noexcept {
  switch (s) {
    case change_state::new_:
      return "new";
    case change_state::tentative:
      return "tentative";
    case change_state::acknowledged:
      return "acknowledged";
    case change_state::invalid:
      return "invalid";
    case change_state::fixed:
      return "fixed";
  }
  return "new";
}

std::optional<change_state> parse_change_state(const std::string& text) {
  for (change_state s : {change_state::new_, change_state::tentative, change_state::acknowledged,
                         change_state::invalid, change_state::fixed})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

metric_sense sense_of_metric(const std::string& metric) {
  const std::string suffix = "_per_s";
  const bool rate = metric.size() >= suffix.size() &&
                    metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) == 0;
  return rate ? metric_sense::higher_is_better : metric_sense::lower_is_better;
}

std::string change_key(const std::string& workload_id, const std::string& metric,
                       const std::string& gpu_model, const std::string& platform,
                       const std::string& machine_key, const std::string& driver, int cuda_api) {
  return sha256_hex("wslcuda change point 1\n" + workload_id + "\n" + metric + "\n" + gpu_model +
                    "\n" + platform + "\n" + (machine_key.empty() ? "*" : machine_key) + "\n" +
                    driver + "\n" + std::to_string(cuda_api));
}

change_analysis analyse_store(connection& c, const change_selection& selection,
                              const gate_policy& policy, bool store) {
  store_data d;
  read_context(c, d);
  read_selected_series(c, selection, d);
  read_points(c, d);
  coverage cover;
  for (const auto& [id, s] : d.series) cover.series.insert(id);
  change_analysis out;
  analyse_data(d, cover, policy, out);
  if (store) {
    try {
      reconcile(c, cover, out);
    } catch (const store_error& e) {
      if (!refused_write(e.kind())) throw;
      out.not_stored = e.what();
      match_stored(c, cover, out);
    }
  } else {
    match_stored(c, cover, out);
  }
  read_triage(c, cover.series, out.changes);
  return out;
}

change_analysis reanalyse_runs(connection& c, const std::vector<std::string>& run_keys,
                               const gate_policy& policy) {
  store_data d;
  coverage cover;
  std::vector<std::int64_t> run_ids;
  {
    auto run = c.prepare("SELECT id, machine_id FROM runs WHERE run_key = ?");
    for (const std::string& key : run_keys) {
      run->reset();
      run->bind(1, key);
      if (run->step()) {
        run_ids.push_back(int_of(run->column(0)));
        cover.machines.insert(int_of(run->column(1)));
      }
    }
  }
  change_analysis out;
  if (run_ids.empty()) return out;
  for_ids(c,
          "SELECT DISTINCT r.series_id FROM results r JOIN series s ON s.id = r.series_id "
          "WHERE s.metric = 'median_s' AND r.run_id",
          "", run_ids, [&](statement& s) { cover.series.insert(int_of(s.column(0))); });
  if (cover.series.empty()) return out;
  read_context(c, d);
  for_ids(c, std::string(kSeriesColumns) + " WHERE s.id", "",
          std::vector<std::int64_t>(cover.series.begin(), cover.series.end()),
          [&](statement& s) { d.series[int_of(s.column(0))] = series_of(s); });
  read_points(c, d);
  analyse_data(d, cover, policy, out);
  reconcile(c, cover, out);
  read_triage(c, cover.series, out.changes);
  return out;
}

change_analysis reanalyse_run(connection& c, const std::string& run_key,
                              const gate_policy& policy) {
  return reanalyse_runs(c, {run_key}, policy);
}

std::vector<change_record> stored_changes(connection& c, const change_selection& selection) {
  std::string sql = std::string(kStoredColumns) + " WHERE s.metric = ?";
  if (!selection.platform.empty()) sql += " AND s.platform = ?";
  sql += " ORDER BY cp.id";
  auto s = c.prepare(sql);
  s->bind(1, selection.metric);
  if (!selection.platform.empty()) s->bind(2, selection.platform);
  std::vector<change_record> out;
  while (s->step()) {
    change_record r = stored_record(*s);
    if (glob_matches_text(selection.gpu, r.scope.gpu_model)) out.push_back(std::move(r));
  }
  return out;
}

triage_outcome triage_change(connection& c, const std::string& change, change_state state,
                             const std::string& note) {
  const std::string prefix = lower(change);
  if (prefix.size() < 4 || prefix.size() > 64 ||
      prefix.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw input_error("history triage: '" + change +
                      "' is not a change point (4 to 64 hex digits of its key, as `history "
                      "changes` shows them)");
  if (state == change_state::tentative)
    throw input_error(
        "history triage: tentative is the analysis's state (fewer than 3 runs after the "
        "change); give acknowledged, invalid, fixed or new");
  if (state == change_state::invalid && note.empty())
    throw input_error("history triage: --state invalid needs --note saying why");
  auto find = c.prepare(std::string(kStoredColumns) + " WHERE cp.change_key LIKE ? ORDER BY cp.id");
  find->bind(1, prefix + "%");
  std::vector<change_record> found;
  while (find->step()) found.push_back(stored_record(*find));
  if (found.empty())
    throw input_error("history triage: no change point " + change + " in " + c.describe() +
                      " (`history changes` brings the store's change points up to date)");
  if (found.size() > 1)
    throw input_error("history triage: " + change + " names " + std::to_string(found.size()) +
                      " change points in " + c.describe() + "; give more digits");
  const change_record& named = found.front();
  c.begin();
  try {
    auto s = c.prepare(
        "INSERT INTO change_triage (series_id, driver_id, state, note, change_key, triaged_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, driver_id) DO UPDATE SET "
        "state = excluded.state, note = CASE WHEN excluded.note = '' THEN change_triage.note "
        "ELSE excluded.note END, change_key = excluded.change_key, "
        "triaged_at = excluded.triaged_at");
    s->bind(1, named.scope.series_id);
    s->bind(2, named.driver_after_id);
    s->bind(3, std::string(to_string(state)));
    s->bind(4, storable_text(note));
    s->bind(5, named.key);
    s->bind(6, utc_now_iso8601());
    s->step();
    c.commit();
  } catch (...) {
    c.rollback();
    throw;
  }
  triage_outcome out;
  out.key = named.key;
  auto covered = c.prepare(std::string(kStoredColumns) +
                           " WHERE cp.series_id = ? AND cp.driver_after_id = ? ORDER BY cp.id");
  covered->bind(1, named.scope.series_id);
  covered->bind(2, named.driver_after_id);
  while (covered->step()) out.covered.push_back(stored_record(*covered));
  out.state = state;
  out.note = out.covered.empty() ? storable_text(note) : out.covered.front().note;
  return out;
}

std::map<std::string, acknowledged_change> acknowledged_changes(
    connection& c, const std::string& gpu_model, const std::string& platform,
    const std::string& machine_key, std::int64_t max_sort_key, int max_api) {
  auto s = c.prepare(
      "SELECT s.workload_id, d.version, d.sort_key, d.cuda_driver_api, t.change_key "
      "FROM change_triage t JOIN series s ON s.id = t.series_id "
      "JOIN drivers d ON d.id = t.driver_id "
      "WHERE t.state = 'acknowledged' AND s.metric = 'median_s' AND s.gpu_model = ? "
      "AND s.platform = ? AND EXISTS (SELECT 1 FROM change_points cp "
      "LEFT JOIN machines m ON m.id = cp.machine_id WHERE cp.series_id = t.series_id "
      "AND cp.driver_after_id = t.driver_id AND cp.found = 1 "
      "AND (cp.machine_id IS NULL OR m.machine_key = ?))");
  s->bind(1, storable_text(gpu_model));
  s->bind(2, platform);
  s->bind(3, machine_key);
  std::map<std::string, acknowledged_change> out;
  while (s->step()) {
    acknowledged_change a;
    a.driver = text_of(s->column(1));
    a.driver_sort_key = int_of(s->column(2));
    a.cuda_driver_api = static_cast<int>(int_of(s->column(3)));
    a.key = text_of(s->column(4));
    if (std::tie(a.driver_sort_key, a.cuda_driver_api) > std::tie(max_sort_key, max_api)) continue;
    const std::string id = text_of(s->column(0));
    const auto it = out.find(id);
    if (it == out.end() || std::tie(it->second.driver_sort_key, it->second.cuda_driver_api) <
                               std::tie(a.driver_sort_key, a.cuda_driver_api))
      out[id] = a;
  }
  return out;
}

}  // namespace wslcuda::history
