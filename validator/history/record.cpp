#include "history/record.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "baseline/baseline.hpp"
#include "baseline/judge.hpp"
#include "history/codec.hpp"
#include "measure/statistics.hpp"
#include "model/executions.hpp"
#include "model/json_reader.hpp"
#include "model/version.hpp"

namespace wslcuda::history {
namespace {

namespace fs = std::filesystem;

/// Feeds `j` into `h` in a canonical binary form that does not depend on how a writer laid the
/// document out (member order, number formatting, whitespace): null 'n'; false 'f', true 't';
/// an integer 'i' + its value as 8 little-endian bytes (unsigned values above 2^63 - 1: 'u');
/// a finite double 'd' + its IEEE 754 bits little-endian, a non-finite one as null (JSON
/// writes it so); a string 's' + its length (8 bytes) + its bytes; an array '[' + its size +
/// its items; an object '{' + its size + its members sorted by key (bytewise), each as the key's
/// string form and the value.
/// Collects bytes for a sha256 in 64 KiB pieces (one update() per value would cost more than the
/// hashing).
class hash_feed {
 public:
  explicit hash_feed(sha256& h) : h_(h) { buffer_.reserve(kPiece + 64); }
  ~hash_feed() { flush(); }
  hash_feed(const hash_feed&) = delete;
  hash_feed& operator=(const hash_feed&) = delete;
  void update(std::string_view bytes) {
    if (bytes.size() > kPiece) {
      flush();
      h_.update(bytes);
      return;
    }
    buffer_.append(bytes.data(), bytes.size());
    if (buffer_.size() >= kPiece) flush();
  }
  void flush() {
    h_.update(buffer_);
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kPiece = 64 * 1024;
  sha256& h_;
  std::string buffer_;
};

void canonical_hash(const json& j, hash_feed& h, bool top_level = false) {
  auto put = [&h](char tag, std::uint64_t v) {
    char b[9];
    b[0] = tag;
    for (int i = 0; i < 8; ++i) b[1 + i] = static_cast<char>((v >> (8 * i)) & 0xff);
    h.update(std::string_view(b, 9));
  };
  auto put_string = [&](const std::string& s) {
    put('s', s.size());
    h.update(s);
  };
  switch (j.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      h.update("n");
      return;
    case json::value_t::boolean:
      h.update(j.get<bool>() ? "t" : "f");
      return;
    case json::value_t::number_integer:
      put('i', static_cast<std::uint64_t>(j.get<std::int64_t>()));
      return;
    case json::value_t::number_unsigned: {
      const std::uint64_t u = j.get<std::uint64_t>();
      put(u > static_cast<std::uint64_t>(INT64_MAX) ? 'u' : 'i', u);
      return;
    }
    case json::value_t::number_float: {
      const double d = j.get<double>();
      if (!std::isfinite(d)) {
        h.update("n");
        return;
      }
      std::uint64_t bits = 0;
      std::memcpy(&bits, &d, 8);
      put('d', bits);
      return;
    }
    case json::value_t::string:
      put_string(j.get_ref<const std::string&>());
      return;
    case json::value_t::binary:
      put('b', j.get_binary().size());
      h.update(std::string_view(reinterpret_cast<const char*>(j.get_binary().data()),
                                j.get_binary().size()));
      return;
    case json::value_t::array:
      put('[', j.size());
      for (const json& item : j) canonical_hash(item, h);
      return;
    case json::value_t::object: {
      // The run key leaves out who wrote the document (tool.version, tool.git_revision) and
      // where it was recorded (a top-level `history` member).
      std::vector<std::pair<const std::string*, const json*>> members;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (top_level && it.key() == "history") continue;
        members.emplace_back(&it.key(), &it.value());
      }
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return *a.first < *b.first; });
      put('{', members.size());
      for (const auto& [key, member] : members) {
        put_string(*key);
        if (top_level && *key == "tool" && member->is_object()) {
          json tool = *member;
          tool.erase("version");
          tool.erase("git_revision");
          canonical_hash(tool, h);
        } else {
          canonical_hash(*member, h);
        }
      }
      return;
    }
  }
}

/// The document a run key is taken from: the measurement alone. The judgement (baseline and
/// floor blocks, the gate's summary, the verdicts and exit code that follow from them) is left
/// out, so a report judged again (`wslcuda gate`, another baseline or policy) is the same run.
json measured_document(const run_report& report) {
  run_report measured = report;
  clear_judgement(measured);
  measured.exit_code = 0;
  return report_to_json(measured);
}

/// The run key of a report document (see run_key).
std::string key_of_document(const json& doc) {
  sha256 h;
  {
    hash_feed feed(h);
    canonical_hash(doc, feed, true);
  }
  return h.hex();
}

std::int64_t as_int(const value& v) {
  return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0;
}

/// The id of the single row `select` finds (parameters `keys`), inserting it with `insert`
/// (parameters `fields`, "… ON CONFLICT DO NOTHING RETURNING id") when there is none.
std::int64_t find_or_insert(connection& c, const std::string& select,
                            const std::vector<value>& keys, const std::string& insert,
                            const std::vector<value>& fields) {
  auto find = [&]() -> std::optional<std::int64_t> {
    auto s = c.prepare(select);
    for (std::size_t i = 0; i < keys.size(); ++i) s->bind(static_cast<int>(i + 1), keys[i]);
    if (s->step()) return as_int(s->column(0));
    return std::nullopt;
  };
  if (auto id = find()) return *id;
  auto s = c.prepare(insert);
  for (std::size_t i = 0; i < fields.size(); ++i) s->bind(static_cast<int>(i + 1), fields[i]);
  if (s->step()) return as_int(s->column(0));
  if (auto id = find()) return *id;  // inserted meanwhile by another connection
  throw store_error(store_fault::other, c.describe() + ": could not record a row of " + select);
}

value optional_real(const std::optional<double>& v) {
  return v ? value(*v) : value(std::monostate{});
}

/// What record_run writes for one row: its executions' statistics and quantiles.
struct stored_execution {
  execution_stats stats;
  std::size_t samples = 0;
  double value_s = 0.0;  ///< median of its samples (the baseline's per-execution statistic)
  std::vector<double> quantiles;
};

std::vector<stored_execution> executions_to_store(const result_row& row) {
  std::vector<stored_execution> out;
  for (const execution_stats& e : executions_of(row)) {
    std::vector<double> samples = execution_samples(row, e);
    if (samples.empty()) continue;
    std::sort(samples.begin(), samples.end());  // once: the median and the quantiles
    stored_execution x;
    x.stats = e;
    x.samples = samples.size();
    x.value_s = percentile_sorted(samples, 50.0);  // = median_of, as comparable_from_report
    x.quantiles = spaced_percentiles(std::move(samples), kBaselineQuantiles);
    out.push_back(std::move(x));
  }
  return out;
}

/// The executions' relative spread, as a baseline entry's (execution_spread).
double spread_of(const std::vector<stored_execution>& xs) {
  std::vector<comparable_execution> values(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) values[i].value_s = xs[i].value_s;
  return execution_spread(values);
}

/// `doc` (a report's JSON) without its samples, as stored (they go to executions.quantiles):
/// every row's timing.values_s emptied and its executions[] removed. Rebuilding puts both back.
std::string report_without_samples(json doc) {
  if (json* results = doc.is_object() ? &doc["results"] : nullptr; results && results->is_array())
    for (json& r : *results) {
      if (!r.is_object()) continue;
      if (const auto t = r.find("timing"); t != r.end() && t->is_object())
        (*t)["values_s"] = json::array();
      r.erase("executions");
    }
  return doc.dump();
}

/// Records `report`, whose JSON is `doc` (the file's document, or report_to_json of a run in
/// memory): the key is the document's, the stored report the document without its samples.
record_outcome record_document(connection& c, const run_report& report, json doc,
                               const record_options& options) {
  const run_identity id = identity_of(report);
  record_outcome out;
  const std::string key = key_of_document(measured_document(report));
  out.run_key = key;
  const std::string blob_json = report_without_samples(std::move(doc));
  const std::string compressed = zlib_compress(blob_json);
  const std::string now = options.recorded_at.empty() ? utc_now_iso8601() : options.recorded_at;

  c.begin();
  try {
    {  // recorded before? (checked inside the transaction: two recorders of one report agree)
      auto s = c.prepare("SELECT id FROM runs WHERE run_key = ?");
      s->bind(1, key);
      if (s->step()) {
        out.run_id = as_int(s->column(0));
        c.rollback();
        return out;
      }
    }
    const std::int64_t machine =
        find_or_insert(c, "SELECT id FROM machines WHERE machine_key = ?", {id.machine_key},
                       "INSERT INTO machines (machine_key, platform, gpu_uuids, cpu, first_seen) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (machine_key) DO NOTHING RETURNING id",
                       {id.machine_key, id.platform, storable_text(id.gpu_uuids),
                        storable_text(id.cpu), storable_text(report.started_at)});
    // Every device of the report is a GPU of the store; the run points at the one it measured.
    std::int64_t gpu = 0;
    for (const device_record& d : report.env.devices) {
      if (d.uuid.empty()) continue;
      const std::int64_t g = find_or_insert(
          c, "SELECT id FROM gpus WHERE uuid = ?", {storable_text(d.uuid)},
          "INSERT INTO gpus (uuid, name, compute_capability, memory_bytes, pci_device_id) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING RETURNING id",
          {storable_text(d.uuid), storable_text(d.name),
           std::to_string(d.cc_major) + "." + std::to_string(d.cc_minor),
           static_cast<std::int64_t>(d.total_memory_bytes),
           static_cast<std::int64_t>(d.pci_device_id)});
      if (d.index == id.device && d.uuid == id.gpu_uuid) gpu = g;
    }
    const std::int64_t driver = find_or_insert(
        c, "SELECT id FROM drivers WHERE platform = ? AND version = ? AND cuda_driver_api = ?",
        {id.platform, storable_text(id.driver_version),
         static_cast<std::int64_t>(id.cuda_driver_api)},
        "INSERT INTO drivers (platform, version, sort_key, cuda_driver_api) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (platform, version, cuda_driver_api) DO NOTHING RETURNING id",
        {id.platform, storable_text(id.driver_version), id.driver_sort_key,
         static_cast<std::int64_t>(id.cuda_driver_api)});

    auto run = c.prepare(
        "INSERT INTO runs (run_key, machine_id, gpu_id, driver_id, command, started_at, "
        "finished_at, verdict, exit_code, result_count, interrupted, source, tool_version, "
        "git_revision, report_schema, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (run_key) DO NOTHING RETURNING id");
    const std::vector<value> run_fields = {
        key,
        machine,
        gpu != 0 ? value(gpu) : value(std::monostate{}),
        driver,
        storable_text(report.command),
        storable_text(report.started_at),
        storable_text(report.finished_at),
        std::string(to_string(overall_verdict(report))),
        static_cast<std::int64_t>(report.exit_code),
        static_cast<std::int64_t>(report.results.size()),
        static_cast<std::int64_t>(report.interrupted ? 1 : 0),
        storable_text(options.source.empty() ? std::string("run") : options.source),
        storable_text(options.tool_version.empty() ? tool_version() : options.tool_version),
        storable_text(options.git_revision.empty() ? git_revision() : options.git_revision),
        storable_text(options.schema_version.empty() ? kReportSchemaVersion
                                                     : options.schema_version),
        now};
    for (std::size_t i = 0; i < run_fields.size(); ++i)
      run->bind(static_cast<int>(i + 1), run_fields[i]);
    if (!run->step()) {  // another connection recorded it between our check and now
      c.rollback();
      return out;
    }
    const std::int64_t run_id = as_int(run->column(0));

    auto report_row =
        c.prepare("INSERT INTO run_reports (run_id, json_bytes, report_zlib) VALUES (?, ?, ?)");
    report_row->bind(1, run_id);
    report_row->bind(2, static_cast<std::int64_t>(blob_json.size()));
    report_row->bind(3, blob{compressed});
    report_row->step();

    // Series of this report's GPU models, looked up once per (model, platform).
    std::map<std::string, std::map<std::pair<std::string, std::string>, std::int64_t>> series;
    auto series_of = [&](const std::string& model)
        -> std::map<std::pair<std::string, std::string>, std::int64_t>& {
      auto it = series.find(model);
      if (it != series.end()) return it->second;
      auto& m = series[model];
      auto s = c.prepare(
          "SELECT id, workload_id, metric FROM series WHERE gpu_model = ? AND platform = ?");
      s->bind(1, model);
      s->bind(2, id.platform);
      while (s->step()) {
        const value w = s->column(1), k = s->column(2);
        m[{std::get<std::string>(w), std::get<std::string>(k)}] = as_int(s->column(0));
      }
      return m;
    };
    auto insert_series = c.prepare(
        "INSERT INTO series (workload_id, metric, gpu_model, platform) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (workload_id, metric, gpu_model, platform) DO NOTHING RETURNING id");
    auto series_id = [&](const std::string& model, const std::string& workload,
                         const std::string& metric) {
      auto& m = series_of(model);
      const auto it = m.find({workload, metric});
      if (it != m.end()) return it->second;
      insert_series->reset();
      insert_series->bind(1, workload);
      insert_series->bind(2, metric);
      insert_series->bind(3, model);
      insert_series->bind(4, id.platform);
      std::int64_t sid = 0;
      if (insert_series->step()) {
        sid = as_int(insert_series->column(0));
      } else {
        auto s = c.prepare(
            "SELECT id FROM series WHERE workload_id = ? AND metric = ? AND gpu_model = ? AND "
            "platform = ?");
        s->bind(1, workload);
        s->bind(2, metric);
        s->bind(3, model);
        s->bind(4, id.platform);
        if (!s->step()) throw store_error(store_fault::other, c.describe() + ": lost a series");
        sid = as_int(s->column(0));
      }
      m[{workload, metric}] = sid;
      return sid;
    };

    auto result = c.prepare(
        "INSERT INTO results (run_id, series_id, row_index, status, value, throughput, "
        "throughput_unit, work, bound, timing_mode, executions, spread, samples) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    auto execution = c.prepare(
        "INSERT INTO executions (result_id, ordinal, median_s, min_s, max_s, stdev_rel, "
        "samples, quantiles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < report.results.size(); ++i) {
      const result_row& row = report.results[i];
      const device_record* d = find_device(report, row.device);
      const std::string model = storable_text(d != nullptr ? d->name : id.gpu_model);
      const std::string workload = storable_text(row.id);
      const std::vector<stored_execution> xs = executions_to_store(row);
      std::size_t samples = 0;
      for (const stored_execution& x : xs) samples += x.samples;
      std::optional<double> work;
      if (row.throughput && row.timing) work = row.throughput->value * row.timing->median_s;

      result->reset();
      result->bind(1, run_id);
      result->bind(2, series_id(model, workload, "median_s"));
      result->bind(3, static_cast<std::int64_t>(i));
      result->bind(4, std::string(to_string(row.status)));
      result->bind(5, optional_real(central_seconds(row)));
      result->bind(6, row.throughput ? value(row.throughput->value) : value(std::monostate{}));
      result->bind(7, storable_text(row.throughput ? row.throughput->unit : std::string()));
      result->bind(8, optional_real(work));
      result->bind(9, std::string(to_string(row.bound)));
      result->bind(10, storable_text(row.timing ? row.timing->mode : std::string()));
      result->bind(11, static_cast<std::int64_t>(xs.size()));
      result->bind(12, xs.empty() ? value(std::monostate{}) : value(spread_of(xs)));
      result->bind(13, static_cast<std::int64_t>(samples));
      if (!result->step())
        throw store_error(store_fault::other, c.describe() + ": a result got no id");
      const std::int64_t result_id = as_int(result->column(0));
      ++out.results;
      for (std::size_t k = 0; k < xs.size(); ++k) {
        const stored_execution& x = xs[k];
        execution->reset();
        execution->bind(1, result_id);
        execution->bind(2, static_cast<std::int64_t>(k));
        execution->bind(3, x.stats.median_s);
        execution->bind(4, x.stats.min_s);
        execution->bind(5, x.stats.max_s);
        execution->bind(6, x.stats.stdev_rel);
        execution->bind(7, static_cast<std::int64_t>(x.samples));
        execution->bind(8, blob{pack_quantiles(x.quantiles)});
        execution->step();
      }
      // Derived figures (busbw, per-node time): a series each, the value alone.
      for (const auto& [name, v] : row.metrics) {
        result->reset();
        result->bind(1, run_id);
        result->bind(2, series_id(model, workload, storable_text(name)));
        result->bind(3, static_cast<std::int64_t>(i));
        result->bind(4, std::string(to_string(row.status)));
        result->bind(5, v);
        result->bind(6, std::monostate{});
        result->bind(7, std::string());
        result->bind(8, std::monostate{});
        result->bind(9, std::string());
        result->bind(10, std::string());
        result->bind(11, static_cast<std::int64_t>(xs.size()));
        result->bind(12, std::monostate{});
        result->bind(13, static_cast<std::int64_t>(samples));
        result->step();
        ++out.results;
      }
    }
    if (options.before_commit) options.before_commit();
    c.commit();
    out.added = true;
    out.run_id = run_id;
    return out;
  } catch (...) {
    c.rollback();
    throw;
  }
}

bool is_json_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  return ext == ".json";
}

}  // namespace

std::int64_t driver_sort_key(const std::string& version) {
  std::int64_t fields[4] = {0, 0, 0, 0};
  int n = 0;
  std::size_t i = 0;
  while (i < version.size() && n < 4) {
    if (!std::isdigit(static_cast<unsigned char>(version[i]))) {
      ++i;
      continue;
    }
    std::int64_t f = 0;
    while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i]))) {
      f = std::min<std::int64_t>(99999, f * 10 + (version[i] - '0'));
      ++i;
    }
    fields[n++] = f;
  }
  return ((fields[0] * 100000 + fields[1]) * 100000 + fields[2]) * 100000 + fields[3];
}

run_identity identity_of(const run_report& report) {
  run_identity id;
  const environment& env = report.env;
  id.platform = env.host.is_wsl ? "wsl" : "linux";
  id.device = report.results.empty() ? 0 : report.results.front().device;
  if (const device_record* d = find_device(report, id.device)) {
    id.gpu_uuid = d->uuid;
    id.gpu_model = d->name;
    id.compute_capability = std::to_string(d->cc_major) + "." + std::to_string(d->cc_minor);
  }
  const driver_info& drv = env.driver;
  const auto& first = env.host.is_wsl ? drv.windows_driver_version : drv.kernel_module_version;
  for (const auto* v : {&first, &drv.nvml_driver_version})
    if (v->has_value() && !(*v)->empty()) {
      id.driver_version = **v;
      break;
    }
  id.driver_sort_key = driver_sort_key(id.driver_version);
  id.cuda_driver_api = drv.cuda_driver_api;
  std::vector<std::string> uuids;
  for (const device_record& d : env.devices)
    if (!d.uuid.empty()) uuids.push_back(d.uuid);
  std::sort(uuids.begin(), uuids.end());
  uuids.erase(std::unique(uuids.begin(), uuids.end()), uuids.end());
  for (const std::string& u : uuids) id.gpu_uuids += (id.gpu_uuids.empty() ? "" : ",") + u;
  id.cpu = env.host.cpu;
  id.machine_key = sha256_hex(id.platform + "\n" + id.gpu_uuids + "\n" + id.cpu);
  return id;
}

std::string run_key(const run_report& report) {
  return key_of_document(measured_document(report));
}

record_outcome record_run(connection& c, const run_report& report, const record_options& options) {
  return record_document(c, report, report_to_json(report), options);
}

record_outcome record_loaded(connection& c, const loaded_report& loaded) {
  record_options o;
  o.source = loaded.source;
  o.tool_version = loaded.tool_version;
  o.git_revision = loaded.git_revision;
  o.schema_version = loaded.schema_version;
  return record_run(c, loaded.report, o);
}

std::vector<import_entry> import_paths(connection& c, const std::vector<std::string>& paths,
                                       const std::function<void(const import_entry&)>& progress,
                                       const import_analysis& analysis) {
  // What to read, in order: files as given, folders' *.json files by name.
  struct item {
    fs::path file;
    bool from_folder = false;
    std::string error;  ///< the folder could not be listed
  };
  std::vector<item> items;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      items.push_back({p, false, ""});
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(p, ec))
      if (entry.is_regular_file(ec) && is_json_file(entry.path())) files.push_back(entry.path());
    if (ec) {
      items.push_back({p, false, p + ": cannot list the folder: " + ec.message()});
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) items.push_back({f, true, ""});
  }

  // Reading a report (two JSON passes, the model) takes longer than recording it, so a second
  // thread reads the next files while this one records (the connection stays on this thread).
  struct parsed {
    import_entry entry;  ///< file, and skipped or error when it is not to be recorded
    json doc;
    loaded_report loaded;
  };
  constexpr std::size_t kAhead = 2;  // parsed reports waiting: bounds the memory
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<parsed> ready;
  bool stop = false;
  std::thread reader([&] {
    for (const item& it : items) {
      parsed p;
      p.entry.file = it.file.string();
      p.entry.error = it.error;
      if (p.entry.error.empty()) {
        try {
          p.doc = read_json_file(it.file);
          const json* tool = p.doc.is_object() ? find_member(p.doc, "tool") : nullptr;
          if (it.from_folder &&
              (tool == nullptr || !tool->is_object() || string_member(*tool, "name") != "wslcuda"))
            p.entry.skipped = true;
          else
            p.loaded = report_from_json(p.doc, p.entry.file);
        } catch (const std::exception& err) {  // input_error, or out of memory
          p.entry.error = err.what();
        }
      }
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return stop || ready.size() < kAhead; });
      if (stop) return;
      ready.push_back(std::move(p));
      changed.notify_all();
    }
  });
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    reader.join();
  };

  std::vector<import_entry> out;
  try {
    for (std::size_t n = 0; n < items.size(); ++n) {
      parsed p;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return !ready.empty(); });
        p = std::move(ready.front());
        ready.pop_front();
        changed.notify_all();
      }
      import_entry& e = p.entry;
      if (e.error.empty() && !e.skipped) {
        record_options o;
        o.source = p.loaded.source;
        o.tool_version = p.loaded.tool_version;
        o.git_revision = p.loaded.git_revision;
        o.schema_version = p.loaded.schema_version;
        // The key of the document as written (not as this build would write it again), so that
        // a report keeps its key across wslcuda versions; the document is stored as written.
        const record_outcome r = record_document(c, p.loaded.report, std::move(p.doc), o);
        e.added = r.added;
        e.run_key = r.run_key;
        e.results = r.results;
      }
      out.push_back(e);
      if (progress) progress(out.back());
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
  std::vector<std::string> added;
  for (const import_entry& e : out)
    if (e.added) added.push_back(e.run_key);
  if (analysis.enabled && !added.empty()) {
    try {
      const change_analysis a = reanalyse_runs(
          c, added, analysis.policy != nullptr ? *analysis.policy : default_policy());
      if (analysis.done) analysis.done(a);
    } catch (const std::exception& e) {  // store_error, or a policy the detector refuses
      if (analysis.failed) analysis.failed(e.what());
    }
  }
  return out;
}

}  // namespace wslcuda::history
