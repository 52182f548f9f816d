// Ingest into a fleet's PostgreSQL store (ci/bench_fleet.sh runs it against a throwaway local
// server): N full reports (seeded copies of a real one: their own times, noise and machines)
// recorded by P processes at once, as N machines' `run --history postgresql://…` would; then the
// same N runs pushed from a local SQLite store by one `history push`. A benchmark, not a test:
// it prints figures and judges nothing.
//
// Usage: wslcuda_fleet_bench ADMIN_URI REPORT.json N PROCESSES SCRATCH_DIR
//   ADMIN_URI   a superuser URI of the server (databases wslcuda_bench_* are made and dropped)
//   REPORT.json the report copied (reports/examples/h200-linux-2026-11-30-full-1.json)

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "history/postgres_store.hpp"
#include "history/push.hpp"
#include "history/record.hpp"
#include "history/store_spec.hpp"
#include "model/report_json.hpp"
#include "seeded_reports.hpp"

namespace {

using namespace wslcuda;
using namespace wslcuda::history;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

run_report copy_of(const run_report& base, int i) {
  wslcuda_test::seed_options o;
  o.seed = static_cast<std::uint64_t>(i + 1);
  o.started_at = wslcuda_test::hours_after("2026-12-01T00:00:00Z", i);
  o.gpu_uuid = "GPU-bench-" + std::to_string(i % 50);  // 50 machines
  o.driver_version = i % 2 == 0 ? "580.65.06" : "580.159.04";
  return wslcuda_test::seeded_copy(base, o);
}

std::string database_uri(const std::string& admin, const std::string& name) {
  return admin + (admin.find('?') == std::string::npos ? "?" : "&") + "dbname=" + name;
}

void fresh_database(const std::string& admin, const std::string& name) {
  auto c = open_postgresql(admin);
  c->exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  c->exec("CREATE DATABASE " + name);
}

std::int64_t count(connection& c, const std::string& sql) {
  auto s = c.prepare(sql);
  s->step();
  return std::get<std::int64_t>(s->column(0));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s ADMIN_URI REPORT.json N PROCESSES SCRATCH_DIR\n", argv[0]);
    return 2;
  }
  const std::string admin = argv[1];
  const run_report base = read_report_file(argv[2]).report;
  const int n = std::atoi(argv[3]), processes = std::atoi(argv[4]);
  const std::filesystem::path scratch = argv[5];
  std::filesystem::create_directories(scratch);

  // What making the copies costs (not part of the figures below, which subtract it).
  auto t0 = clock_type::now();
  std::size_t rows = 0;  // used, so that the copies are made
  for (int i = 0; i < 20; ++i) rows += copy_of(base, i).results.size();
  const double copy_s = seconds_since(t0) / 20;
  std::printf("copies: %.1f ms each (%zu rows in 20)\n", copy_s * 1e3, rows);

  // 1. N reports recorded by P processes at once, each in its own transaction.
  const std::string ingest = database_uri(admin, "wslcuda_bench_ingest");
  fresh_database(admin, "wslcuda_bench_ingest");
  open_store(parse_store_spec(ingest));  // migrated once, as the owner would
  t0 = clock_type::now();
  for (int p = 0; p < processes; ++p) {
    if (::fork() == 0) {
      try {
        auto c = open_store(parse_store_spec(ingest));
        for (int i = p; i < n; i += processes) record_run(*c, copy_of(base, i));
        ::_exit(0);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "process %d: %s\n", p, e.what());
        ::_exit(1);
      }
    }
  }
  int failed = 0;
  for (int p = 0; p < processes; ++p) {
    int status = 0;
    ::wait(&status);
    failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const double ingest_wall_s = seconds_since(t0);
  const double ingest_s = ingest_wall_s - copy_s * n / processes;
  auto server = open_store(parse_store_spec(ingest));
  const std::int64_t runs = count(*server, "SELECT count(*) FROM runs");
  const std::int64_t results = count(*server, "SELECT count(*) FROM results");
  const std::int64_t executions = count(*server, "SELECT count(*) FROM executions");
  const std::int64_t bytes = count(*server, "SELECT pg_database_size(current_database())");
  std::printf(
      "record: %d full reports by %d processes: %.1f s wall (%.1f s after subtracting %.3f s "
      "per copy made), %.1f reports/s, %.0f results/s; stored %lld runs, %lld results, %lld "
      "executions, database %.0f MB; %d process(es) failed\n",
      n, processes, ingest_wall_s, ingest_s, copy_s, n / ingest_s,
      static_cast<double>(results) / ingest_s, static_cast<long long>(runs),
      static_cast<long long>(results), static_cast<long long>(executions),
      static_cast<double>(bytes) / 1e6, failed);

  // 2. The same N runs from a local SQLite store, pushed by one `history push`.
  const std::filesystem::path local = scratch / "local.db";
  std::filesystem::remove(local);
  auto from = open_store(parse_store_spec("sqlite:" + local.string()));
  t0 = clock_type::now();
  for (int i = 0; i < n; ++i) record_run(*from, copy_of(base, i));
  const double sqlite_s = seconds_since(t0) - copy_s * n;
  const std::string pushed = database_uri(admin, "wslcuda_bench_push");
  fresh_database(admin, "wslcuda_bench_push");
  auto to = open_store(parse_store_spec(pushed));
  t0 = clock_type::now();
  const push_outcome o = push_runs(*from, *to);
  const double push_s = seconds_since(t0);
  t0 = clock_type::now();
  const push_outcome again = push_runs(*from, *to);
  const double again_s = seconds_since(t0);
  std::printf(
      "sqlite: %d reports recorded locally in %.1f s (%.1f reports/s)\n"
      "push: %zu runs, %zu results in %.1f s (%.1f runs/s, %.0f results/s); pushed again: %zu "
      "sent in %.2f s\n",
      n, sqlite_s, n / sqlite_s, o.sent, o.results, push_s, o.sent / push_s,
      static_cast<double>(o.results) / push_s, again.sent, again_s);

  to.reset();
  server.reset();
  auto c = open_postgresql(admin);
  c->exec("DROP DATABASE IF EXISTS wslcuda_bench_ingest WITH (FORCE)");
  c->exec("DROP DATABASE IF EXISTS wslcuda_bench_push WITH (FORCE)");
  return failed == 0 ? 0 : 1;
}
