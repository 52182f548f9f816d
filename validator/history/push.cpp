#include "history/push.hpp"

#include <map>
#include <optional>
#include <set>
#include <utility>

namespace wslcuda::history {

namespace {

/// What a push must know of the schema: how a table's rows are found on the server (its natural
/// key, for the rows many runs share) and which of its columns refer to which table. Every
/// other column is copied as stored, whatever migrations add.
struct table_rule {
  const char* table;
  std::vector<std::string> key;  ///< natural key (a UNIQUE constraint); empty: owned by a run
  std::vector<std::pair<std::string, std::string>> references;  ///< column → table
};

const table_rule kMachines{"machines", {"machine_key"}, {}};
const table_rule kGpus{"gpus", {"uuid"}, {}};
const table_rule kDrivers{"drivers", {"platform", "version", "cuda_driver_api"}, {}};
const table_rule kSeries{"series", {"workload_id", "metric", "gpu_model", "platform"}, {}};
const table_rule kRuns{"runs",
                       {"run_key"},
                       {{"machine_id", "machines"}, {"gpu_id", "gpus"}, {"driver_id", "drivers"}}};
const table_rule kRunReports{"run_reports", {}, {{"run_id", "runs"}}};
const table_rule kResults{"results", {}, {{"run_id", "runs"}, {"series_id", "series"}}};
const table_rule kExecutions{"executions", {}, {{"result_id", "results"}}};

const table_rule& rule_of(const std::string& table) {
  for (const table_rule* r : {&kMachines, &kGpus, &kDrivers, &kSeries}) {
    if (table == r->table) return *r;
  }
  throw store_error(store_fault::other, "push: no rule for table " + table);
}

std::int64_t as_int(const value& v) {
  return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0;
}

std::string join(const std::vector<std::string>& items, const std::string& separator,
                 const std::string& suffix = "") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item + suffix;
  }
  return out;
}

/// A table's columns in the order of its definition.
std::vector<std::string> columns_of(connection& c, const std::string& table) {
  auto s = c.prepare(c.dialect() == dialect::sqlite
                         ? "SELECT name FROM pragma_table_info(?) ORDER BY cid"
                         : "SELECT column_name FROM information_schema.columns "
                           "WHERE table_schema = current_schema() AND table_name = ? "
                           "ORDER BY ordinal_position");
  s->bind(1, table);
  std::vector<std::string> out;
  while (s->step()) out.push_back(std::get<std::string>(s->column(0)));
  if (out.empty()) {
    throw store_error(store_fault::not_ours, c.describe() + ": has no table " + table);
  }
  return out;
}

/// A row as column → value.
using row = std::map<std::string, value>;

/// Copies runs from one store to another, one run per transaction on the destination.
class run_copier {
 public:
  run_copier(connection& from, connection& to, const push_options& options)
      : from_(from), to_(to), options_(options) {
    for (const char* t : {"machines", "gpus", "drivers", "series", "runs", "run_reports", "results",
                          "executions"}) {
      columns_[t] = columns_of(from_, t);
    }
  }

  /// Sends run `run_id` of `from`: true when this call stored it, false when `to` had it.
  /// `results` receives the result rows stored.
  bool copy(std::int64_t run_id, std::size_t& results) {
    const auto known_before = ids_;
    to_.begin();
    try {
      const row run = read_one(kRuns, "id", run_id);
      if (find(kRuns, run)) {
        to_.rollback();
        return false;
      }
      row copy = remap(kRuns, run);
      // Every GPU of the machine (the store's rule: each device of a report is a GPU row).
      const value& machine = run.at("machine_id");
      for (const std::string& uuid : machine_gpu_uuids(as_int(machine))) {
        auto s = from_.prepare("SELECT id FROM gpus WHERE uuid = ?");
        s->bind(1, uuid);
        if (s->step()) ensure(kGpus, as_int(s->column(0)));
      }
      const std::optional<std::int64_t> new_run = insert(kRuns, copy, true);
      if (!new_run) {  // stored meanwhile by another push or recorder
        to_.rollback();
        ids_ = known_before;
        return false;
      }
      ids_["runs"][run_id] = *new_run;
      for (const row& r : read_all(kRunReports, "run_id = ?", run_id)) {
        insert(kRunReports, remap(kRunReports, r), false);
      }
      results = 0;
      for (const row& r : read_all(kResults, "run_id = ? ORDER BY id", run_id)) {
        const auto id = insert(kResults, remap(kResults, r), false, true);
        ids_["results"][as_int(r.at("id"))] = id.value();
        ++results;
      }
      for (const row& e :
           read_all(kExecutions,
                    "result_id IN (SELECT id FROM results WHERE run_id = ?) ORDER BY id", run_id)) {
        insert(kExecutions, remap(kExecutions, e), false);
      }
      if (options_.before_commit) {
        options_.before_commit(std::get<std::string>(run.at("run_key")));
      }
      to_.commit();
      ids_.erase("runs");
      ids_.erase("results");
      return true;
    } catch (...) {
      to_.rollback();
      ids_ = known_before;  // rows of a rolled-back transaction do not exist
      throw;
    }
  }

 private:
  /// `table`'s row of `from` whose `column` is `id`.
  row read_one(const table_rule& rule, const char* column, std::int64_t id) {
    std::vector<row> rows = read_all(rule, std::string(column) + " = ?", id);
    if (rows.size() != 1) {
      throw store_error(store_fault::corrupt,
                        from_.describe() + ": no row " + std::to_string(id) + " in " + rule.table);
    }
    return rows.front();
  }

  std::vector<row> read_all(const table_rule& rule, const std::string& where, std::int64_t id) {
    const std::vector<std::string>& columns = columns_.at(rule.table);
    auto s =
        from_.prepare("SELECT " + join(columns, ", ") + " FROM " + rule.table + " WHERE " + where);
    s->bind(1, id);
    std::vector<row> out;
    while (s->step()) {
      row r;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        r[columns[i]] = s->column(static_cast<int>(i));
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<std::string> machine_gpu_uuids(std::int64_t machine_id) {
    const row m = read_one(kMachines, "id", machine_id);
    std::vector<std::string> out;
    const value& v = m.at("gpu_uuids");
    if (!std::holds_alternative<std::string>(v)) return out;
    const std::string& list = std::get<std::string>(v);
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      if (comma > start) out.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
    return out;
  }

  /// `r` with its references turned into the destination's ids (rows referred to are found or
  /// inserted there first) and without its own id.
  row remap(const table_rule& rule, row r) {
    r.erase("id");
    for (const auto& [column, table] : rule.references) {
      auto it = r.find(column);
      if (it == r.end() || std::holds_alternative<std::monostate>(it->second)) continue;
      const std::int64_t old_id = as_int(it->second);
      if (table == "runs" || table == "results") {
        it->second = ids_.at(table).at(old_id);
      } else {
        it->second = ensure(rule_of(table), old_id);
      }
    }
    return r;
  }

  /// The destination's id of a shared row (machine, GPU, driver, series) of `from`.
  std::int64_t ensure(const table_rule& rule, std::int64_t from_id) {
    auto& known = ids_[rule.table];
    if (auto it = known.find(from_id); it != known.end()) return it->second;
    const row r = read_one(rule, "id", from_id);
    std::optional<std::int64_t> id = find(rule, r);
    if (!id) id = insert(rule, remap(rule, r), true);
    if (!id) id = find(rule, r);  // inserted meanwhile by another connection
    if (!id) {
      throw store_error(store_fault::other,
                        to_.describe() + ": could not store a row of " + rule.table);
    }
    known[from_id] = *id;
    return *id;
  }

  /// The destination's id of the row with `r`'s natural key.
  std::optional<std::int64_t> find(const table_rule& rule, const row& r) {
    auto s = to_.prepare("SELECT id FROM " + std::string(rule.table) + " WHERE " +
                         join(rule.key, " AND ", " = ?"));
    for (std::size_t i = 0; i < rule.key.size(); ++i) {
      s->bind(static_cast<int>(i + 1), r.at(rule.key[i]));
    }
    if (s->step()) return as_int(s->column(0));
    return std::nullopt;
  }

  /// Inserts `r` into the destination. With `on_conflict`, a row whose natural key is there
  /// already is left alone (nullopt); `returning` (always with on_conflict) gives the new id.
  std::optional<std::int64_t> insert(const table_rule& rule, const row& r, bool on_conflict,
                                     bool returning = false) {
    std::vector<std::string> names;
    std::vector<std::string> marks;
    for (const auto& [name, v] : r) {
      names.push_back(name);
      marks.push_back("?");
    }
    std::string sql = "INSERT INTO " + std::string(rule.table) + " (" + join(names, ", ") +
                      ") VALUES (" + join(marks, ", ") + ")";
    if (on_conflict) sql += " ON CONFLICT (" + join(rule.key, ", ") + ") DO NOTHING";
    if (on_conflict || returning) sql += " RETURNING id";
    auto s = to_.prepare(sql);
    int i = 0;
    for (const auto& [name, v] : r) s->bind(++i, v);
    if (!s->step()) return std::nullopt;
    return (on_conflict || returning) ? std::optional<std::int64_t>(as_int(s->column(0)))
                                      : std::optional<std::int64_t>(0);
  }

  connection& from_;
  connection& to_;
  const push_options& options_;
  std::map<std::string, std::vector<std::string>> columns_;
  /// table → (id in `from` → id in `to`), of rows known to be committed in `to` (and of the
  /// current run's own rows while its transaction is open).
  std::map<std::string, std::map<std::int64_t, std::int64_t>> ids_;
};

std::set<std::string> keys_on(connection& to) {
  std::set<std::string> keys;
  auto s = to.prepare("SELECT run_key FROM runs");
  while (s->step()) keys.insert(std::get<std::string>(s->column(0)));
  return keys;
}

void unmark_pending(connection& local, std::int64_t run_id) {
  auto s = local.prepare("DELETE FROM pending_pushes WHERE run_id = ?");
  s->bind(1, run_id);
  s->step();
}

}  // namespace

push_outcome push_runs(connection& from, connection& to, const push_options& options) {
  push_outcome out;
  std::vector<std::pair<std::int64_t, std::string>> runs;
  {
    auto s = from.prepare("SELECT id, run_key FROM runs ORDER BY id");
    while (s->step()) runs.emplace_back(as_int(s->column(0)), std::get<std::string>(s->column(1)));
  }
  out.local = runs.size();
  const std::set<std::string> there = keys_on(to);
  std::vector<std::pair<std::int64_t, std::string>> missing;
  for (const auto& run : runs) {
    if (there.count(run.second) != 0) {
      unmark_pending(from, run.first);
    } else {
      missing.push_back(run);
    }
  }
  out.missing = missing.size();
  run_copier copier(from, to, options);
  for (const auto& [run_id, key] : missing) {
    push_entry entry;
    entry.run_key = key;
    entry.total = missing.size();
    for (int attempt = 1;; ++attempt) {
      try {
        entry.sent = copier.copy(run_id, entry.results);
        break;
      } catch (const store_error& e) {
        if (e.kind() == store_fault::busy && attempt < options.attempts) continue;
        throw store_error(e.kind(), std::string(e.what()) + "; " + std::to_string(out.sent) +
                                        " of " + std::to_string(missing.size()) +
                                        " runs were pushed before (they stay); pushing again "
                                        "sends the rest");
      }
    }
    unmark_pending(from, run_id);
    if (entry.sent) {
      ++out.sent;
      out.results += entry.results;
    }
    entry.done = out.sent + (entry.sent ? 0 : 1);
    if (options.progress) options.progress(entry);
  }
  return out;
}

void mark_pending(connection& local, std::int64_t run_id, const std::string& target,
                  const std::string& reason) {
  auto s = local.prepare(
      "INSERT INTO pending_pushes (run_id, target, reason, since) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (run_id) DO NOTHING");
  s->bind(1, run_id);
  s->bind(2, target);
  s->bind(3, reason);
  s->bind(4, utc_now_iso8601());
  s->step();
}

std::vector<pending_push> pending_pushes(connection& local) {
  auto s = local.prepare(
      "SELECT p.run_id, r.run_key, p.target, p.reason, p.since FROM pending_pushes p "
      "JOIN runs r ON r.id = p.run_id ORDER BY p.run_id");
  std::vector<pending_push> out;
  while (s->step()) {
    pending_push p;
    p.run_id = as_int(s->column(0));
    p.run_key = std::get<std::string>(s->column(1));
    p.target = std::get<std::string>(s->column(2));
    p.reason = std::get<std::string>(s->column(3));
    p.since = std::get<std::string>(s->column(4));
    out.push_back(std::move(p));
  }
  return out;
}

fallback_outcome record_with_fallback(const store_spec& spec, const run_report& report,
                                      const record_options& options, const store_spec* local) {
  fallback_outcome out;
  if (spec.kind == store_kind::none) return out;
  auto record_in = [&](const store_spec& where) {
    for (int attempt = 1;; ++attempt) {
      try {
        auto c = open_store(where);
        out.record = record_run(*c, report, options);
        out.store = describe(where);
        out.recorded = true;
        return c;
      } catch (const store_error& e) {
        if (e.kind() != store_fault::busy || where.kind != store_kind::postgresql ||
            attempt >= push_options{}.attempts) {
          throw;
        }
      }
    }
  };
  try {
    record_in(spec);
    return out;
  } catch (const store_error& e) {
    out.warning = std::string("wslcuda: history: the run is not recorded: ") + e.what();
    if (spec.kind != store_kind::postgresql) return out;
    try {
      const store_spec fallback = local != nullptr ? *local : default_store_spec();
      auto c = record_in(fallback);
      mark_pending(*c, out.record.run_id, describe(spec), e.what());
      out.pending = true;
      out.warning = "wslcuda: history: " + std::string(e.what()) + "; the run is recorded in " +
                    out.store + " instead, not pushed (`wslcuda history push --to " +
                    describe(spec) + "` sends it)";
    } catch (const std::exception& local_error) {
      out.recorded = false;
      out.store.clear();
      out.warning += "; nor in the local store: " + std::string(local_error.what());
    }
  }
  return out;
}

}  // namespace wslcuda::history
