#include "suite/runner.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "common/named_error.hpp"
#include "measure/statistics.hpp"
#include "measure/units.hpp"
#include "model/executions.hpp"
#include "suite/graph_batch.hpp"

namespace wslcuda {
namespace {

result_row row_for(const workload& w, const target_info& target) {
  result_row row = identity_row(w.info(), target.device);
  row.flops = w.flops();
  row.bytes = w.bytes();
  return row;
}

correctness_block correctness_from(const check_result& c, std::uint64_t seed) {
  correctness_block b;
  b.metric = c.metric;
  b.value = c.value;
  b.bound = c.bound;
  b.method = c.method;
  b.seed = seed;
  b.compared = c.compared;
  b.out_of_bound = c.out_of_bound;
  b.non_finite = c.non_finite;
  return b;
}

/// The sampling policy for `info`: latency workloads take a distribution, and time_scale
/// shortens the points of a sweep.
sampling_policy policy_for(const workload_info& info, const sampling_policy& base) {
  sampling_policy p =
      info.sampling == sampling_kind::latency ? latency_sampling_policy(base) : base;
  const double scale = std::clamp(info.time_scale, 0.01, 1.0);
  p.min_time_s *= scale;
  p.max_time_s *= scale;
  return p;
}

/// The timing block of `row` from the samples (seconds per run) and how they were taken.
void fill_timing(const sampling_outcome& outcome, int batch, const std::string& mode,
                 result_row& row) {
  const sample_summary s = summarize(outcome.samples);
  timing_block t;
  t.mode = mode;
  t.batch = batch;
  t.warmup_runs = outcome.warmup_runs;
  set_summary(t, s);
  t.stop_reason = outcome.stop_reason;
  t.values_s = outcome.samples;
  row.timing = t;
  row.executions = {execution_stats{0, s.n, s.median, s.min, s.max, s.stdev_rel}};
}

/// Collects clock readings while samples are taken, at most one per interval of wall time.
class clock_sampler {
 public:
  explicit clock_sampler(const runner_options& options) : options_(options) {}
  /// Called once before sampling: the first call of the reader starts NVML (dlopen, init, the
  /// device's handle), a one-time cost that must not fall into the first sample's window.
  void start() {
    if (options_.read_clocks) (void)options_.read_clocks();
  }
  /// Called during a sample (while a replayed batch runs) or right after one.
  void read() {
    if (!options_.read_clocks) return;
    const double now = options_.wall_clock();
    if (!readings_.empty() && now - last_ < options_.clock_interval_s) return;
    last_ = now;
    if (std::optional<clock_reading> r = options_.read_clocks()) readings_.push_back(std::move(*r));
  }
  std::optional<clock_block> summary() const { return summarize_clocks(readings_); }

 private:
  const runner_options& options_;
  std::vector<clock_reading> readings_;
  double last_ = 0.0;
};

/// Samples `w` into row.timing; `samples_from` receives the wall-clock time at which sampling
/// starts (after the warm-up and the one-time costs before it), for the row's phases.
void measure(workload& w, execution_context& ctx, const runner_options& options, result_row& row,
             double& samples_from) {
  const workload_info& info = w.info();
  samples_from = -1.0;
  const sampling_policy policy = policy_for(info, options.sampling);
  clock_sampler clocks(options);
  if (info.timing == timing_kind::host_clock) {
    // One operation per sample, timed by the workload itself on the host clock.
    const sampling_outcome outcome = sample_adaptively(
        policy, [&] { (void)w.run_host_timed(ctx); },
        [&] {
          const double t = w.run_host_timed(ctx);
          clocks.read();
          return t;
        },
        options.wall_clock,
        [&] {
          clocks.start();
          samples_from = options.wall_clock();
        });
    fill_timing(outcome, 1,
                info.timing_definition.empty() ? "host steady_clock, one operation per sample"
                                               : info.timing_definition,
                row);
    row.timing->method = timing_method::host_clock;
    row.clocks = clocks.summary();
    std::tie(row.bound, row.bound_reason) =
        measured_bound(info.bound, true, 1, false, row.timing->median_s);
    return;
  }
  double fastest_warmup = INFINITY;
  auto warmup = [&] {
    ctx.start_timer();
    w.run(ctx);
    fastest_warmup = std::min(fastest_warmup, ctx.stop_timer());
  };
  // Drops a replayable batch however sampling ends.
  struct batch_guard {
    execution_context& ctx;
    ~batch_guard() { ctx.release_batch(); }
  } guard{ctx};
  int batch = 1;
  bool replay = false;
  std::string replay_note;
  // Once, after the warm-up and outside the sampling window: start the clock reader, size the
  // batch, and capture, upload and try a replayable one (counted as warm-up in the phases).
  auto before_samples = [&] {
    clocks.start();
    const double runs =
        fastest_warmup > 0.0 ? std::ceil(options.min_sample_s / fastest_warmup) : 1.0;
    batch = static_cast<int>(std::clamp(runs, 1.0, static_cast<double>(options.max_batch)));
    // Runs shorter than a launch: replay them without the host inside the interval.
    if (batch > 1) replay = ctx.prepare_batch([&] { w.run(ctx); }, batch, replay_note);
    if (replay) {
      // One trial replay: a graph that times far less than the eager runs did is not believed.
      const double per_run = ctx.time_prepared_batch({}) / batch;
      if (!replay_is_plausible(per_run, fastest_warmup)) {
        ctx.release_batch();
        replay = false;
        std::ostringstream why;
        why.precision(2);
        why << "the replayed graph took " << per_run / fastest_warmup
            << "x the fastest eager run per run: implausible, so launched one by one";
        replay_note = why.str();
      }
    }
    samples_from = options.wall_clock();
  };
  auto measure_once = [&] {
    if (replay) return ctx.time_prepared_batch([&] { clocks.read(); });
    ctx.start_timer();
    for (int i = 0; i < batch; ++i) w.run(ctx);
    const double t = ctx.stop_timer();  // the whole batch: min_time and noise apply to it
    clocks.read();
    return t;
  };
  sampling_outcome outcome =
      sample_adaptively(policy, warmup, measure_once, options.wall_clock, before_samples);
  for (double& v : outcome.samples) v /= batch;  // per run from here on
  std::string mode = ctx.clock_name();
  if (!info.timing_definition.empty()) mode += ": " + info.timing_definition;
  if (batch <= 1) {
    mode += ", one run per sample";
  } else if (replay) {
    mode += ", " + std::to_string(batch) + " runs per sample, " + replay_note;
  } else {
    mode += ", " + std::to_string(batch) + " back-to-back runs per sample";
    if (!replay_note.empty()) mode += " (" + replay_note + ")";
  }
  fill_timing(outcome, batch, mode, row);
  row.timing->method = replay ? timing_method::cuda_graph : timing_method::cuda_events;
  row.clocks = clocks.summary();
  std::tie(row.bound, row.bound_reason) =
      measured_bound(info.bound, false, batch, replay, row.timing->median_s);
}

}  // namespace

std::optional<clock_block> summarize_clocks(const std::vector<clock_reading>& readings) {
  if (readings.empty()) return std::nullopt;
  clock_block c;
  c.readings = readings.size();
  std::vector<double> sm, mem;
  for (const clock_reading& r : readings) {
    sm.push_back(r.sm_mhz);
    mem.push_back(r.mem_mhz);
    c.sm_mhz_max = std::max(c.sm_mhz_max, r.sm_max_mhz);
    for (const std::string& reason : r.reasons)
      if (std::find(c.reasons.begin(), c.reasons.end(), reason) == c.reasons.end())
        c.reasons.push_back(reason);
  }
  c.sm_mhz_median = median_of(sm);
  c.mem_mhz_median = median_of(mem);
  std::size_t throttled = 0;
  for (const clock_reading& r : readings)
    throttled += r.reasons_known && !r.idle && c.sm_mhz_max > 0.0 &&
                         r.sm_mhz < kThrottledBelowFractionOfMaxClock * c.sm_mhz_max
                     ? 1
                     : 0;
  c.throttled_fraction = static_cast<double>(throttled) / static_cast<double>(readings.size());
  return c;
}

std::optional<double> bandwidth_peak(peak_reference reference, double bytes,
                                     const target_info& target) {
  auto known = [](double v) { return v > 0.0 ? std::optional<double>(v) : std::nullopt; };
  switch (reference) {
    case peak_reference::automatic:
    case peak_reference::dram:
      // A working set that fits twice into L2 may be served from cache across back-to-back
      // runs: the DRAM peak is then no ceiling.
      if (target.l2_cache_bytes > 0 && bytes < 2.0 * target.l2_cache_bytes) return std::nullopt;
      return known(target.peak_dram_bytes_per_s);
    case peak_reference::host_link:
      return known(target.host_link_bytes_per_s);
    case peak_reference::host_link_duplex:
      return known(2.0 * target.host_link_bytes_per_s);
    case peak_reference::none:
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

void add_throughput(const workload_info& info, const target_info& target, result_row& row) {
  if (!row.timing || row.timing->median_s <= 0.0) return;
  throughput_block tp;
  if (row.flops > 0.0) {
    tp.value = row.flops / row.timing->median_s;
    tp.unit = "FLOP/s";
    const auto it = target.peak_flops.find(row.precision);
    if (info.peak != peak_reference::none && it != target.peak_flops.end() && it->second > 0.0)
      tp.peak = it->second;
  } else if (row.bytes > 0.0) {
    tp.value = row.bytes / row.timing->median_s;
    tp.unit = "B/s";
    tp.peak = bandwidth_peak(info.peak, row.bytes, target);
  } else {
    return;
  }
  if (tp.peak) tp.fraction_of_peak = tp.value / *tp.peak;
  row.throughput = tp;
}

}  // namespace

error_block error_of(const std::exception& e) {
  if (const auto* named = dynamic_cast<const named_error*>(&e); named && named->library() == "cuda")
    return error_block{error_kind::cuda, named->code_name()};
  return error_block{error_kind::exception, ""};
}

result_row identity_row(const workload_info& info, int device) {
  result_row row;
  row.id = info.id;
  row.family = info.family;
  row.implementation = info.implementation;
  row.precision = info.precision;
  row.shape = info.shape;
  row.algorithm = info.algorithm;
  row.device = device;
  return row;
}

result_row skipped_row(const workload& w, int device, const std::string& why) {
  result_row row = identity_row(w.info(), device);
  row.flops = w.flops();
  row.bytes = w.bytes();
  row.status = status::skip;
  row.message = why;
  return row;
}

result_row run_workload(workload& w, execution_context* ctx, const target_info& target,
                        const runner_options& options) {
  if (auto why = unmet_requirement(w.info(), target)) return skipped_row(w, target.device, *why);
  result_row row = row_for(w, target);
  if (ctx == nullptr) {
    row.status = status::error;
    row.message = "no execution context for a usable target (wslcuda bug)";
    row.error = error_block{error_kind::exception, ""};
    return row;
  }
  phase_times phases;
  double mark = options.wall_clock();
  const auto lap = [&](double& into) {
    const double now = options.wall_clock();
    into += now - mark;
    mark = now;
  };
  try {
    w.prepare(*ctx);
    lap(phases.setup);
    const check_result check = w.verify(*ctx);
    lap(phases.verify);
    row.phases = phases;
    row.correctness = correctness_from(check, w.info().seed);
    if (check.status != status::pass) {
      row.status = check.status;
      row.message = check.message;
      if (check.status == status::error) row.error = error_block{error_kind::invalid_result, ""};
      w.release();
      return row;
    }
    double samples_from = 0.0;
    measure(w, *ctx, options, row, samples_from);
    if (samples_from >= mark) {
      phases.warmup = samples_from - mark;
      mark = samples_from;
    }
    lap(phases.samples);
    row.phases = phases;
    add_throughput(w.info(), target, row);
    if (row.timing) row.metrics = w.derived_metrics(row.timing->median_s);
    row.status = status::pass;
    std::ostringstream msg;
    msg << check.message;
    if (row.throughput) {
      msg << "; " << format_si(row.throughput->value, row.throughput->unit);
      if (row.throughput->fraction_of_peak) {
        msg.precision(3);
        msg << " (" << 100.0 * *row.throughput->fraction_of_peak << " % of peak)";
      }
      if (row.throughput->fraction_of_peak && *row.throughput->fraction_of_peak > 1.0) {
        row.status = status::error;
        row.error = error_block{error_kind::invalid_result, ""};
        msg << ": above 100 % of the computed peak "
            << format_si(*row.throughput->peak, row.throughput->unit)
            << ", so the FLOP/byte accounting or the timing is wrong";
      }
    }
    row.message = msg.str();
  } catch (const workload_skip& e) {
    row.status = status::skip;
    row.message = e.what();
  } catch (const std::exception& e) {
    row.status = status::error;
    row.message = e.what();
    row.error = error_of(e);
  } catch (...) {
    row.status = status::error;
    row.message = "unknown exception";
    row.error = error_block{error_kind::exception, ""};
  }
  w.release();
  return row;
}

}  // namespace wslcuda
