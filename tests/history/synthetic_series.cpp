#include "synthetic_series.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace wslcuda::history::synthetic {
namespace {

/// Sorted step positions in [min_segment, n − min_segment], min_segment apart; empty when
/// none fit.
std::vector<std::size_t> step_positions(std::size_t n, std::size_t steps, std::size_t min_segment,
                                        std::mt19937_64& rng) {
  if (steps == 0 || n < 2 * min_segment) return {};
  steps = std::min(steps, n / min_segment - 1);
  // Stars and bars: choose the positions among the slack left once every segment has its
  // minimum, so every valid layout is equally likely.
  const std::size_t slack = n - (steps + 1) * min_segment;
  std::vector<std::size_t> cuts;
  std::uniform_int_distribution<std::size_t> pick(0, slack + steps - 1);
  while (cuts.size() < steps) {
    const std::size_t c = pick(rng);
    if (std::find(cuts.begin(), cuts.end(), c) == cuts.end()) cuts.push_back(c);
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < steps; ++i) out.push_back(cuts[i] - i + (i + 1) * min_segment);
  return out;
}

}  // namespace

labelled_series generate(const series_spec& spec, std::uint64_t seed) {
  if (spec.n < 1 || spec.n > 40000)
    throw std::invalid_argument("synthetic series: n must be in [1, 40000]");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  const bool time = spec.sense == metric_sense::lower_is_better;

  labelled_series out;
  const std::size_t steps = spec.step > 0 ? std::clamp<std::size_t>(spec.n / 50, 1, 3) : 0;
  out.changes = step_positions(spec.n, steps, spec.min_segment, rng);
  double level = time ? std::pow(10.0, -5 + 4 * unit(rng)) : std::pow(10.0, 1 + 3 * unit(rng));
  std::uniform_int_distribution<std::size_t> runs(
      1, std::max<std::size_t>(1, spec.max_runs_per_driver));

  std::size_t driver = 1, left_in_driver = runs(rng), next_step = 0;
  for (std::size_t i = 0; i < spec.n; ++i) {
    if (next_step < out.changes.size() && out.changes[next_step] == i) {
      const bool regression = unit(rng) < 0.5;
      out.directions.push_back(regression ? change_direction::regression
                                          : change_direction::improvement);
      const bool up = regression == time;  // a slower time or a faster throughput
      level *= up ? 1 + spec.step : 1 - spec.step;
      ++next_step;
      left_in_driver = 0;  // a step starts a new driver
    }
    if (left_in_driver == 0) {
      if (i > 0) ++driver;
      left_in_driver = runs(rng);
    }
    --left_in_driver;
    double value = level * (1 + spec.noise * normal(rng));
    if (unit(rng) < spec.spike_rate) {
      const double slow = 1 + spec.spike_min + (spec.spike_max - spec.spike_min) * unit(rng);
      value = time ? value * slow : value / slow;
    }
    run_point p;
    p.driver = "600." + std::to_string(driver);
    char when[64];
    std::snprintf(when, sizeof when, "2026-01-%02zuT%02zu:%02zu:00Z", 1 + i / 1440, i / 60 % 24,
                  i % 60);
    p.time = when;
    p.value = value;
    p.run = std::to_string(i);
    out.points.push_back(std::move(p));
  }
  return out;
}

double quality::false_alarms_per_series() const noexcept {
  return series == 0 ? 0.0 : static_cast<double>(false_positives()) / static_cast<double>(series);
}

double quality::precision() const noexcept {
  return detected == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(detected);
}

double quality::recall() const noexcept {
  return true_changes == 0
             ? 1.0
             : static_cast<double>(true_positives) / static_cast<double>(true_changes);
}

double quality::f1() const noexcept {
  const double fn = static_cast<double>(true_changes - true_positives);
  const double denom =
      2.0 * static_cast<double>(true_positives) + static_cast<double>(false_positives()) + fn;
  return denom == 0 ? 1.0 : 2.0 * static_cast<double>(true_positives) / denom;
}

quality evaluate(const series_spec& spec, const detector_params& params, std::size_t count,
                 std::uint64_t seed) {
  quality q;
  for (std::size_t s = 0; s < count; ++s) {
    const labelled_series l = generate(spec, seed + s);
    const series_analysis a = analyse_series(l.points, spec.sense, params);
    ++q.series;
    q.true_changes += l.changes.size();
    q.instabilities += a.instabilities.size();
    for (const driver_change& c : a.changes) {
      ++q.detected;
      if (c.tentative) ++q.tentative;
      for (std::size_t k = 0; k < l.changes.size(); ++k)
        if (l.changes[k] == c.index && l.directions[k] == c.direction) ++q.true_positives;
    }
  }
  return q;
}

detector_params params_for_noise(double noise) {
  detector_params p;
  p.min_magnitude = min_magnitude_for(noise);
  return p;
}

}  // namespace wslcuda::history::synthetic
