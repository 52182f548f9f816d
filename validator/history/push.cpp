#include "history/push.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace wslcuda::history {

namespace {

/// What a push must know of the schema: how a table's rows are found on the server (its natural
/// key, for the rows many runs share, or the columns that tell a run's own rows apart) and which
/// of its columns refer to which table. Every other column is copied as stored, whatever
/// migrations add.
struct table_rule {
  const char* table;
  std::vector<std::string> key;  ///< natural key (a UNIQUE constraint); empty: owned by a run
  std::vector<std::pair<std::string, std::string>> references;  ///< column → table
  /// A run's own rows whose ids other rows need: columns that tell them apart within the run
  /// (results: the row's index in the report and its series), returned by a multi-row INSERT
  /// with the new id.
  std::vector<std::string> unique_in_run;
};

const table_rule kMachines{"machines", {"machine_key"}, {}, {}};
const table_rule kGpus{"gpus", {"uuid"}, {}, {}};
const table_rule kDrivers{"drivers", {"platform", "version", "cuda_driver_api"}, {}, {}};
const table_rule kSeries{"series", {"workload_id", "metric", "gpu_model", "platform"}, {}, {}};
const table_rule kRuns{"runs",
                       {"run_key"},
                       {{"machine_id", "machines"}, {"gpu_id", "gpus"}, {"driver_id", "drivers"}},
                       {}};
const table_rule kRunReports{"run_reports", {}, {{"run_id", "runs"}}, {}};
const table_rule kResults{
    "results", {}, {{"run_id", "runs"}, {"series_id", "series"}}, {"row_index", "series_id"}};
const table_rule kExecutions{"executions", {}, {{"result_id", "results"}}, {}};

/// Rows per multi-row INSERT: one round trip for up to this many rows (PostgreSQL allows 65535
/// parameters, SQLite 32766: 100 rows of 14 columns stay far below).
constexpr std::size_t kRowsPerInsert = 100;

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

/// A row: values in the order of its table's columns.
using row = std::vector<value>;

/// The first column of `s`'s first row, if any; `s` is reset at once, so that an SQLite
/// statement does not hold its read transaction open (a later write on the connection would
/// meet SQLITE_BUSY_SNAPSHOT when another process wrote meanwhile).
std::optional<std::int64_t> first_id(statement& s) {
  std::optional<std::int64_t> id;
  if (s.step()) id = as_int(s.column(0));
  s.reset();
  return id;
}

/// Prepared statements of one connection, by their SQL, made once (on PostgreSQL a prepare is
/// two round trips; prepared statements outlive the transactions they were made in).
class statement_cache {
 public:
  explicit statement_cache(connection& c) : c_(c) {}
  statement& operator()(const std::string& sql) {
    auto& s = statements_[sql];
    if (!s) s = c_.prepare(sql);
    s->reset();
    return *s;
  }

 private:
  connection& c_;
  std::map<std::string, std::unique_ptr<statement>> statements_;
};

/// Copies runs from one store to another, one run per transaction on the destination.
class run_copier {
 public:
  run_copier(connection& from, connection& to, const push_options& options)
      : from_(from), to_(to), options_(options), read_(from), write_(to) {
    for (const table_rule* r :
         {&kMachines, &kGpus, &kDrivers, &kSeries, &kRuns, &kRunReports, &kResults, &kExecutions}) {
      columns_[r->table] = table_columns(from_, r->table);
    }
  }

  /// Sends run `run_id` of `from`: true when this call stored it, false when `to` had it.
  /// `results` receives the result rows stored.
  bool copy(std::int64_t run_id, std::size_t& results) {
    const auto known_before = ids_;
    to_.begin();
    try {
      const row run = read_one(kRuns, run_id);
      if (find(kRuns, run)) {
        to_.rollback();
        return false;
      }
      // Every GPU of the machine (the store's rule: each device of a report is a GPU row).
      for (const std::string& uuid : machine_gpu_uuids(as_int(at(kRuns, run, "machine_id")))) {
        statement& s = read_("SELECT id FROM gpus WHERE uuid = ?");
        s.bind(1, uuid);
        const std::optional<std::int64_t> gpu = first_id(s);
        if (gpu) ensure(kGpus, *gpu);
      }
      const std::optional<std::int64_t> new_run = insert_shared(kRuns, remap(kRuns, run));
      if (!new_run) {  // stored meanwhile by another push or recorder
        to_.rollback();
        ids_ = known_before;
        return false;
      }
      ids_["runs"][run_id] = *new_run;
      insert_owned(kRunReports, read_all(kRunReports, "run_id = ?", run_id));
      const std::vector<row> result_rows = read_all(kResults, "run_id = ? ORDER BY id", run_id);
      insert_owned(kResults, result_rows);
      results = result_rows.size();
      insert_owned(
          kExecutions,
          read_all(kExecutions,
                   "result_id IN (SELECT id FROM results WHERE run_id = ?) ORDER BY id", run_id));
      if (options_.before_commit) {
        options_.before_commit(std::get<std::string>(at(kRuns, run, "run_key")));
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
  std::size_t column_index(const table_rule& rule, const std::string& column) const {
    const auto& names = columns_.at(rule.table);
    const auto it = std::find(names.begin(), names.end(), column);
    if (it == names.end()) {
      throw store_error(store_fault::not_ours,
                        from_.describe() + ": no column " + column + " in " + rule.table);
    }
    return static_cast<std::size_t>(it - names.begin());
  }

  const value& at(const table_rule& rule, const row& r, const std::string& column) const {
    return r[column_index(rule, column)];
  }

  /// `table`'s row of `from` with this id.
  row read_one(const table_rule& rule, std::int64_t id) {
    std::vector<row> rows = read_all(rule, "id = ?", id);
    if (rows.size() != 1) {
      throw store_error(store_fault::corrupt,
                        from_.describe() + ": no row " + std::to_string(id) + " in " + rule.table);
    }
    return rows.front();
  }

  std::vector<row> read_all(const table_rule& rule, const std::string& where, std::int64_t id) {
    const std::vector<std::string>& columns = columns_.at(rule.table);
    statement& s =
        read_("SELECT " + join(columns, ", ") + " FROM " + rule.table + " WHERE " + where);
    s.bind(1, id);
    std::vector<row> out;
    while (s.step()) {
      row r(columns.size());
      for (std::size_t i = 0; i < columns.size(); ++i) r[i] = s.column(static_cast<int>(i));
      out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<std::string> machine_gpu_uuids(std::int64_t machine_id) {
    const row m = read_one(kMachines, machine_id);
    std::vector<std::string> out;
    const value& v = at(kMachines, m, "gpu_uuids");
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
  /// inserted there first).
  row remap(const table_rule& rule, row r) {
    for (const auto& [column, table] : rule.references) {
      value& v = r[column_index(rule, column)];
      if (std::holds_alternative<std::monostate>(v)) continue;
      const std::int64_t old_id = as_int(v);
      if (table == "runs" || table == "results") {
        v = ids_.at(table).at(old_id);
      } else {
        v = ensure(rule_of(table), old_id);
      }
    }
    return r;
  }

  /// The destination's id of a shared row (machine, GPU, driver, series) of `from`.
  std::int64_t ensure(const table_rule& rule, std::int64_t from_id) {
    auto& known = ids_[rule.table];
    if (auto it = known.find(from_id); it != known.end()) return it->second;
    const row r = read_one(rule, from_id);
    std::optional<std::int64_t> id = find(rule, r);
    if (!id) id = insert_shared(rule, remap(rule, r));
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
    statement& s = write_("SELECT id FROM " + std::string(rule.table) + " WHERE " +
                          join(rule.key, " AND ", " = ?"));
    for (std::size_t i = 0; i < rule.key.size(); ++i) {
      s.bind(static_cast<int>(i + 1), at(rule, r, rule.key[i]));
    }
    return first_id(s);
  }

  /// The columns a row is inserted with: all but its own id.
  std::vector<std::string> inserted_columns(const table_rule& rule) const {
    std::vector<std::string> out;
    for (const std::string& c : columns_.at(rule.table)) {
      if (c != "id") out.push_back(c);
    }
    return out;
  }

  /// "INSERT INTO t (columns) VALUES (?, …), … (`rows` times)".
  std::string insert_sql(const table_rule& rule, std::size_t rows) const {
    const std::vector<std::string> names = inserted_columns(rule);
    const std::string one = "(" + join(std::vector<std::string>(names.size(), "?"), ", ") + ")";
    return "INSERT INTO " + std::string(rule.table) + " (" + join(names, ", ") + ") VALUES " +
           join(std::vector<std::string>(rows, one), ", ");
  }

  /// Binds the inserted columns of `r` from parameter `first` on; returns the next parameter.
  int bind_row(statement& s, const table_rule& rule, const row& r, int first) const {
    const auto& names = columns_.at(rule.table);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] != "id") s.bind(first++, r[i]);
    }
    return first;
  }

  /// Inserts a shared row (or a run): its id, or nullopt when a row with its natural key is
  /// there already (ON CONFLICT DO NOTHING).
  std::optional<std::int64_t> insert_shared(const table_rule& rule, const row& r) {
    statement& s = write_(insert_sql(rule, 1) + " ON CONFLICT (" + join(rule.key, ", ") +
                          ") DO NOTHING RETURNING id");
    bind_row(s, rule, r, 1);
    return first_id(s);
  }

  /// Inserts rows owned by the run being copied, kRowsPerInsert per statement, with their
  /// references remapped; the new ids of a rule with `unique_in_run` are remembered.
  void insert_owned(const table_rule& rule, const std::vector<row>& rows) {
    const bool returning = !rule.unique_in_run.empty();
    std::map<std::vector<std::int64_t>, std::int64_t> old_id_of;  // remapped unique → old id
    for (std::size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
      const std::size_t n = std::min(kRowsPerInsert, rows.size() - start);
      std::string sql = insert_sql(rule, n);
      if (returning) sql += " RETURNING id, " + join(rule.unique_in_run, ", ");
      statement& s = write_(sql);
      int p = 1;
      for (std::size_t i = start; i < start + n; ++i) {
        const row mapped = remap(rule, rows[i]);
        if (returning) {
          std::vector<std::int64_t> unique;
          for (const std::string& c : rule.unique_in_run)
            unique.push_back(as_int(at(rule, mapped, c)));
          if (!old_id_of.emplace(unique, as_int(at(rule, rows[i], "id"))).second) {
            throw store_error(store_fault::corrupt, from_.describe() + ": two rows of " +
                                                        rule.table + " of one run alike in " +
                                                        join(rule.unique_in_run, ", "));
          }
        }
        p = bind_row(s, rule, mapped, p);
      }
      while (s.step()) {
        if (!returning) continue;
        std::vector<std::int64_t> unique;
        for (std::size_t k = 0; k < rule.unique_in_run.size(); ++k) {
          unique.push_back(as_int(s.column(static_cast<int>(k + 1))));
        }
        ids_[rule.table][old_id_of.at(unique)] = as_int(s.column(0));
      }
    }
  }

  connection& from_;
  connection& to_;
  const push_options& options_;
  statement_cache read_, write_;
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

std::vector<std::string> table_columns(connection& c, const std::string& table) {
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
                                      const record_options& options, const store_spec* local,
                                      const gate_policy* policy) {
  fallback_outcome out;
  if (spec.kind == store_kind::none) return out;
  // The series the run touched, re-analysed where it went; never costs the run.
  const auto analyse = [&](connection& c) {
    if (!out.record.added) return;
    try {
      out.analysis =
          reanalyse_run(c, out.record.run_key, policy != nullptr ? *policy : default_policy());
    } catch (const std::exception& e) {
      out.analysis_warning = std::string("history: the run is recorded in ") + out.store +
                             ", but its change points are not up to date: " + e.what() +
                             " (`wslcuda history changes` analyses again)";
    }
  };
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
    auto c = record_in(spec);
    analyse(*c);
    return out;
  } catch (const store_error& e) {
    out.warning = std::string("history: the run is not recorded: ") + e.what();
    if (spec.kind != store_kind::postgresql) return out;
    try {
      const store_spec fallback = local != nullptr ? *local : default_store_spec();
      auto c = record_in(fallback);
      mark_pending(*c, out.record.run_id, describe(spec), e.what());
      out.pending = true;
      analyse(*c);
      out.warning = "history: " + std::string(e.what()) + "; the run is recorded in " + out.store +
                    " instead, not pushed (`wslcuda history push --to " + describe(spec) +
                    "` sends it)";
    } catch (const std::exception& local_error) {
      out.recorded = false;
      out.store.clear();
      out.warning += "; nor in the local store: " + std::string(local_error.what());
    }
  }
  return out;
}

}  // namespace wslcuda::history
