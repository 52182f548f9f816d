// wslcuda_seed_reports: seeded copies of a real report for the history benchmark
// (ci/bench_history.sh), through the same generator as the tests (seeded_reports.hpp).
//
//   wslcuda_seed_reports --from REPORT --count N [--first K] [--total T] [--seed S]
//                        [--machines M] [--drivers V1,V2,…] [--wsl] (--out DIR | --record SPEC)
//
// Copy i (K ≤ i < K + N) runs on machine i mod M (its GPU UUID derived from i mod M), on driver
// V[i · len(V) / T] (T defaults to K + N: the drivers in order, each on a block of copies),
// started i hours after the base report, with noise seed S + i. --out writes DIR/run-NNNNNN.json
// (report_to_json, as `run` writes); --record records each copy into the store instead.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "history/record.hpp"
#include "history/store_spec.hpp"
#include "model/report_json.hpp"
#include "seeded_reports.hpp"

namespace {

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "wslcuda_seed_reports: " << why
            << "\nusage: wslcuda_seed_reports --from REPORT --count N [--first K] [--seed S] "
               "[--machines M] [--drivers V1,V2] [--wsl] (--out DIR | --record SPEC)\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string from, out, record;
  long count = 0, first = 0, machines = 1, total = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> drivers;
  bool wsl = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--from") {
      from = next();
    } else if (a == "--out") {
      out = next();
    } else if (a == "--record") {
      record = next();
    } else if (a == "--count") {
      count = std::stol(next());
    } else if (a == "--first") {
      first = std::stol(next());
    } else if (a == "--total") {
      total = std::stol(next());
    } else if (a == "--machines") {
      machines = std::stol(next());
    } else if (a == "--seed") {
      seed = std::stoull(next());
    } else if (a == "--drivers") {
      std::stringstream s(next());
      for (std::string v; std::getline(s, v, ',');)
        if (!v.empty()) drivers.push_back(v);
    } else if (a == "--wsl") {
      wsl = true;
    } else {
      usage("unknown argument " + a);
    }
  }
  if (from.empty() || count <= 0 || machines <= 0 || out.empty() == record.empty())
    usage("give --from, --count > 0 and one of --out or --record");
  try {
    const wslcuda::loaded_report base = wslcuda::read_report_file(from);
    std::unique_ptr<wslcuda::history::connection> store;
    if (!record.empty())
      store = wslcuda::history::open_store(wslcuda::history::parse_store_spec(record));
    if (!out.empty()) std::filesystem::create_directories(out);
    if (total < first + count) total = first + count;
    for (long i = first; i < first + count; ++i) {
      wslcuda_test::seed_options o;
      o.seed = seed + static_cast<std::uint64_t>(i);
      o.started_at = wslcuda_test::hours_after(base.report.started_at, i);
      if (!drivers.empty())
        o.driver_version =
            drivers[static_cast<std::size_t>(i * static_cast<long>(drivers.size()) / total) %
                    drivers.size()];
      if (wsl) o.wsl = true;
      char uuid[64];
      std::snprintf(uuid, sizeof uuid, "GPU-5eed0000-0000-4000-8000-%012ld", i % machines);
      o.gpu_uuid = uuid;
      const wslcuda::run_report copy = wslcuda_test::seeded_copy(base.report, o);
      if (store) {
        wslcuda::history::record_options ro;
        ro.source = "seeded-" + std::to_string(i);
        wslcuda::history::record_run(*store, copy, ro);
      } else {
        char name[32];
        std::snprintf(name, sizeof name, "run-%06ld.json", i);
        std::ofstream f(std::filesystem::path(out) / name, std::ios::binary);
        f << wslcuda::report_to_json(copy).dump(1) << "\n";
        if (!f) {
          std::cerr << "wslcuda_seed_reports: cannot write " << name << " in " << out << "\n";
          return 5;
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "wslcuda_seed_reports: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
