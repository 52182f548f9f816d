// wslcuda_change_points_tool: the change-point detector outside the unit tests.
//   analyse   reads {"cases": [{"name", "series": [numbers], "params": {window, max_p,
//             first_pass_p, min_magnitude, min_segment, min_last_segment,
//             short_segment_joins_nearer_side}}]} on stdin and writes
//             {"cases": [{"name", "change_points": [{index, p_value, magnitude, forward_change,
//             mean_before, mean_after, stddev_before, stddev_after}], "weak": [indexes]}]}:
//             the C++ side of the cross-validation against apache-otava (tests/cli/check_otava.py).
//   generate  [--seed S] [--count N] writes {"series": [{"name", "n", "noise", "step",
//             "changes", "values"}]}: seeded series of ours (synthetic_series.hpp) for it.
//   quality   [--count N] [--seed S] prints the detection-quality table (Markdown) over the
//             generated series (ci/eval_change_points.sh).
//   speed     [--series N] [--points P] [--repeat R] times analyse_series over N generated
//             series of P points on this thread (ci/bench_change_points.sh).
// Exit codes: 0 ok, 2 bad usage or input.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "history/change_points.hpp"
#include "history/driver_changes.hpp"
#include "synthetic_series.hpp"

namespace {

using nlohmann::json;
using namespace wslcuda::history;

detector_params params_from(const json& j) {
  detector_params p;
  p.window = j.value("window", p.window);
  p.max_p = j.value("max_p", p.max_p);
  p.first_pass_p = j.value("first_pass_p", otava_first_pass_p(p.max_p));
  p.min_magnitude = j.value("min_magnitude", p.min_magnitude);
  p.min_segment = j.value("min_segment", p.min_segment);
  p.min_last_segment = j.value("min_last_segment", p.min_last_segment);
  p.short_segment_joins_nearer_side =
      j.value("short_segment_joins_nearer_side", p.short_segment_joins_nearer_side);
  return p;
}

json point_json(const change_point& c) {
  return {{"index", c.index},
          {"p_value", c.stats.p_value},
          {"magnitude", c.stats.magnitude()},
          {"forward_change", c.stats.forward_change()},
          {"mean_before", c.stats.mean_before},
          {"mean_after", c.stats.mean_after},
          {"stddev_before", c.stats.stddev_before},
          {"stddev_after", c.stats.stddev_after}};
}

int analyse() {
  const json in = json::parse(std::cin);
  json cases = json::array();
  for (const json& c : in.at("cases")) {
    const detection d = detect_change_points(c.at("series").get<std::vector<double>>(),
                                             params_from(c.value("params", json::object())));
    json points = json::array(), weak = json::array();
    for (const change_point& p : d.change_points) points.push_back(point_json(p));
    for (const change_point& p : d.weak) weak.push_back(p.index);
    cases.push_back({{"name", c.value("name", "")}, {"change_points", points}, {"weak", weak}});
  }
  std::cout << json{{"cases", cases}}.dump() << "\n";
  return 0;
}

/// The seeded series of the cross-validation: every n, noise and step of the evaluation.
int generate(std::uint64_t seed, std::size_t count) {
  json series = json::array();
  std::size_t k = 0;
  for (std::size_t n : {10, 20, 30, 50, 100, 200})
    for (double noise : {0.005, 0.02})
      for (double step : {0.0, 0.02, 0.05, 0.10})
        for (std::size_t i = 0; i < count; ++i, ++k) {
          synthetic::series_spec spec;
          spec.n = n;
          spec.noise = noise;
          spec.step = step;
          const synthetic::labelled_series l = synthetic::generate(spec, seed + k);
          std::vector<double> values;
          for (const run_point& p : l.points) values.push_back(p.value);
          series.push_back({{"name", "n" + std::to_string(n) + "-noise" + std::to_string(noise) +
                                         "-step" + std::to_string(step) + "-" + std::to_string(i)},
                            {"n", n},
                            {"noise", noise},
                            {"step", step},
                            {"changes", l.changes},
                            {"values", values}});
        }
  std::cout << json{{"series", series}}.dump() << "\n";
  return 0;
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

int quality_table(std::size_t count, std::uint64_t seed) {
  std::printf(
      "| n | noise | false alarms / series, no change | of which tentative | without the "
      "minimum segment | instabilities / series | F1 (P / R), 2 %% step | F1 (P / R), 5 %% step "
      "| F1 (P / R), 10 %% step |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  std::uint64_t s = seed;
  for (std::size_t n : {10, 20, 30, 50, 100, 200}) {
    for (double noise : {0.005, 0.02}) {
      synthetic::series_spec spec;
      spec.n = n;
      spec.noise = noise;
      const detector_params params = synthetic::params_for_noise(noise);
      const synthetic::quality none = synthetic::evaluate(spec, params, count, s);
      detector_params otava = params;  // Otava 0.8.0: no minimum segment
      otava.min_segment = otava.min_last_segment = 1;
      const synthetic::quality plain = synthetic::evaluate(spec, otava, count, s);
      s += count;
      const double per = static_cast<double>(count);
      std::printf("| %zu | %.1f %% | %s | %s | %s | %s |", n, noise * 100,
                  percent(none.false_alarms_per_series()).c_str(),
                  percent(static_cast<double>(none.tentative) / per).c_str(),
                  percent(plain.false_alarms_per_series()).c_str(),
                  percent(static_cast<double>(none.instabilities) / per).c_str());
      for (double step : {0.02, 0.05, 0.10}) {
        spec.step = step;
        const synthetic::quality q = synthetic::evaluate(spec, params, count, s);
        s += count;
        std::printf(" %s (%s / %s) |", percent(q.f1()).c_str(), percent(q.precision()).c_str(),
                    percent(q.recall()).c_str());
      }
      std::printf("\n");
    }
  }
  return 0;
}

/// CPU time of this thread (CLOCK_THREAD_CPUTIME_ID): what one core spends, whatever else
/// the machine runs.
double thread_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void report(const char* what, std::vector<double> seconds, std::size_t series_count,
            std::size_t points, std::size_t changes) {
  std::sort(seconds.begin(), seconds.end());
  std::printf(
      "%s: %zu series x %zu points = %zu points, one thread, %zu repetitions: CPU time "
      "best %.3f s, median %.3f s (%.0f us per series); %zu changes found\n",
      what, series_count, points, series_count * points, seconds.size(), seconds.front(),
      seconds[seconds.size() / 2], seconds.front() * 1e6 / static_cast<double>(series_count),
      changes);
}

int speed(std::size_t series_count, std::size_t points, int repeat) {
  std::vector<std::vector<run_point>> all;
  all.reserve(series_count);
  for (std::size_t i = 0; i < series_count; ++i) {
    synthetic::series_spec spec;
    spec.n = points;
    spec.noise = i % 2 ? 0.02 : 0.005;
    spec.step = i % 4 < 2 ? 0.0 : 0.05;
    all.push_back(synthetic::generate(spec, 1000 + i).points);
  }
  std::vector<double> seconds;
  std::size_t changes = 0;
  for (int r = 0; r < repeat; ++r) {
    changes = 0;
    const double start = thread_seconds();
    for (const std::vector<run_point>& pts : all)
      changes += analyse_series(pts, metric_sense::lower_is_better).changes.size();
    seconds.push_back(thread_seconds() - start);
  }
  report("analyse_series (ordering, detection, driver rules)", seconds, series_count, points,
         changes);
  // The detector alone, on the values.
  std::vector<std::vector<double>> values;
  for (const std::vector<run_point>& pts : all) {
    values.emplace_back();
    for (const run_point& p : pts) values.back().push_back(p.value);
  }
  seconds.clear();
  for (int r = 0; r < repeat; ++r) {
    changes = 0;
    const double start = thread_seconds();
    for (const std::vector<double>& v : values)
      changes += detect_change_points(v).change_points.size();
    seconds.push_back(thread_seconds() - start);
  }
  report("detect_change_points (the Otava port alone)", seconds, series_count, points, changes);
  return 0;
}

std::uint64_t option(int argc, char** argv, const std::string& name, std::uint64_t fallback) {
  for (int i = 2; i + 1 < argc; ++i)
    if (argv[i] == name) return std::strtoull(argv[i + 1], nullptr, 10);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "analyse") return analyse();
    if (mode == "generate")
      return generate(option(argc, argv, "--seed", 20261203), option(argc, argv, "--count", 4));
    if (mode == "quality")
      return quality_table(option(argc, argv, "--count", 1000), option(argc, argv, "--seed", 1));
    if (mode == "speed")
      return speed(option(argc, argv, "--series", 5000), option(argc, argv, "--points", 200),
                   static_cast<int>(option(argc, argv, "--repeat", 3)));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wslcuda_change_points_tool %s: %s\n", mode.c_str(), e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: wslcuda_change_points_tool analyse|generate|quality|speed [...]\n");
  return 2;
}
