#include "suite/runner.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "model/executions.hpp"
#include "model/library_sources.hpp"
#include "model/report_json.hpp"
#include "model/worker_protocol.hpp"
#include "suite/session.hpp"
#include "synthetic_workloads.hpp"

namespace wslcuda {
namespace {

using testing::scripted_context;
using testing::synthetic_spec;
using testing::synthetic_workload;

target_info usable_target() {
  target_info t;
  t.usable = true;
  t.device = 0;
  t.compute_capability = 90;
  t.peak_flops["f32"] = 1e12;
  t.peak_dram_bytes_per_s = 1e10;
  return t;
}

clock_reading reading(double sm_mhz, double sm_max_mhz, double mem_mhz) {
  clock_reading r;
  r.sm_mhz = sm_mhz;
  r.sm_max_mhz = sm_max_mhz;
  r.mem_mhz = mem_mhz;
  return r;
}

runner_options options_for(scripted_context& ctx) {
  runner_options o;
  o.wall_clock = [&ctx] { return ctx.now(); };
  return o;
}

/// A compute workload whose runs take `seconds` (a power of two keeps the virtual clock exact),
/// far under the 1 TFLOP/s peak.
synthetic_spec short_runs(double seconds) {
  synthetic_spec spec;
  spec.seconds_per_run = seconds;
  spec.bytes = 0.0;
  spec.flops = 1e3;
  return spec;
}

/// Options on `ctx`'s clock that batch runs into samples of 2^-10 s (about 1 ms).
runner_options batching_options(scripted_context& ctx) {
  runner_options o = options_for(ctx);
  o.min_sample_s = std::ldexp(1.0, -10);
  return o;
}

}  // namespace

TEST(Runner, PassingWorkloadIsVerifiedTimedAndRated) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.seconds_per_run = 2e-3;  // above min_sample_s: one run per sample
  spec.bytes = 4e6;
  synthetic_workload w(spec);
  const result_row r = run_workload(w, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r.status, status::pass) << r.message;
  ASSERT_TRUE(r.correctness.has_value());
  EXPECT_EQ(r.correctness->seed, 99u);
  ASSERT_TRUE(r.timing.has_value());
  EXPECT_GE(r.timing->samples, 10u);
  EXPECT_EQ(r.timing->values_s.size(), r.timing->samples);
  EXPECT_EQ(r.timing->batch, 1);
  EXPECT_DOUBLE_EQ(r.timing->median_s, 2e-3);
  EXPECT_EQ(r.timing->stop_reason, "converged");
  ASSERT_TRUE(r.throughput.has_value());
  EXPECT_EQ(r.throughput->unit, "B/s");
  EXPECT_NEAR(r.throughput->value, 2e9, 1e-9 * 2e9);
  ASSERT_TRUE(r.throughput->fraction_of_peak.has_value());
  EXPECT_NEAR(*r.throughput->fraction_of_peak, 0.2, 1e-9);
  EXPECT_EQ(w.prepared, 1);
  EXPECT_EQ(w.released, 1);
}

TEST(Runner, ShortRunsAreBatchedPerSample) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.seconds_per_run = std::ldexp(1.0, -17);  // powers of two keep the virtual clock exact
  spec.flops = 1e6;
  synthetic_workload w(spec);
  runner_options o = options_for(ctx);
  o.min_sample_s = std::ldexp(1.0, -10);
  const result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(r.timing->batch, 128);                             // 2^-10 s / 2^-17 s
  EXPECT_DOUBLE_EQ(r.timing->median_s, std::ldexp(1.0, -17));  // per run, not per batch
  EXPECT_NE(r.timing->mode.find("128 back-to-back runs"), std::string::npos);
  EXPECT_EQ(r.throughput->unit, "FLOP/s");
  EXPECT_DOUBLE_EQ(r.throughput->value, 1e6 * 131072.0);
}

TEST(Runner, BatchesAreReplayedWithoutTheHostWhereTheContextCan) {
  scripted_context ctx;
  ctx.replay = true;
  synthetic_spec spec;
  spec.seconds_per_run = std::ldexp(1.0, -17);  // 7.6 us: shorter than a launch
  spec.flops = 1e6;
  spec.bytes = 0.0;
  synthetic_workload w(spec);
  runner_options o = options_for(ctx);
  o.min_sample_s = std::ldexp(1.0, -10);
  result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(ctx.prepared_batches, 1);  // prepared once, replayed for every sample
  EXPECT_EQ(ctx.released_batches, 1);
  EXPECT_DOUBLE_EQ(r.timing->median_s, std::ldexp(1.0, -17));
  EXPECT_NE(r.timing->mode.find("128 runs per sample, replayed (scripted): no host submission"),
            std::string::npos)
      << r.timing->mode;
  // A kernel under 20 us is device-bound when replayed, host-bound when launched one by one.
  EXPECT_EQ(r.bound, bound_kind::device);
  // The fallback for old reports reads the same from the text of such a row.
  r.timing->mode = "cuda_event, 128 back-to-back runs per sample";
  classify_bound(r);
  EXPECT_EQ(r.bound, bound_kind::host);
  EXPECT_NE(r.bound_reason.find("submission rate"), std::string::npos);

  scripted_context refusing;
  refusing.refusal = "CUDA graph capture failed (cudaErrorStreamCaptureUnsupported)";
  synthetic_workload w2(spec);
  runner_options o2 = options_for(refusing);
  o2.min_sample_s = std::ldexp(1.0, -10);
  const result_row plain = run_workload(w2, &refusing, usable_target(), o2);
  EXPECT_NE(plain.timing->mode.find("128 back-to-back runs per sample (CUDA graph capture failed"),
            std::string::npos)
      << plain.timing->mode;
  EXPECT_EQ(plain.bound, bound_kind::host);
}

TEST(Runner, TheBoundComesFromWhatTheRunnerHoldsNotFromText) {
  scripted_context ctx;
  runner_options o = options_for(ctx);
  // A declared link-bound copy is `link`, whatever its id says (none of "pinned", "h2d"…).
  synthetic_spec copy;
  copy.id = "newfamily.own.u8.copy";
  copy.bound = bound_kind::link;
  synthetic_workload w(copy);
  result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(r.bound, bound_kind::link);
  EXPECT_EQ(r.bound_reason, "a copy over the host link from pinned memory");
  // A device-timed row whose own words name the host clock is still device-bound: the words
  // (timing.mode) decided it before; now the timing kind does.
  synthetic_spec worded;
  worded.id = "transfer.ce.u8.h2d_pinned.b8";  // the old text rule would have said link
  worded.timing_definition = "host steady_clock in words only";
  synthetic_workload w2(worded);
  r = run_workload(w2, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(r.bound, bound_kind::device);
  EXPECT_EQ(r.bound_reason, "timed on the device");
}

TEST(MeasuredBound, HostClockAndUnreplayedShortBatchesAreHostTheRestAsDeclared) {
  EXPECT_EQ(measured_bound(bound_kind::device, true, 1, false, 1.0).first, bound_kind::host);
  EXPECT_EQ(measured_bound(bound_kind::link, true, 1, false, 1.0).first, bound_kind::host);
  const auto batch = measured_bound(bound_kind::device, false, 200, false, 5e-6);
  EXPECT_EQ(batch.first, bound_kind::host);
  EXPECT_EQ(batch.second,
            "a batch of 200 back-to-back launches at under 20 us each: the host's submission "
            "rate, not the GPU");
  EXPECT_EQ(measured_bound(bound_kind::device, false, 200, true, 5e-6).first, bound_kind::device);
  EXPECT_EQ(measured_bound(bound_kind::device, false, 200, false, 25e-6).first, bound_kind::device);
  EXPECT_EQ(measured_bound(bound_kind::device, false, 1, false, 5e-6).first, bound_kind::device);
  EXPECT_EQ(measured_bound(bound_kind::link, false, 1, false, 1e-3).first, bound_kind::link);
  EXPECT_EQ(measured_bound(bound_kind::link, false, 50, false, 5e-6).first, bound_kind::host);
}

TEST(Runner, OneTimeCostsStayOutOfTheFirstSampleWindow) {
  // NVML's start-up (the reader's first call) and a replayed batch's capture and upload cost
  // seconds once per worker; inside the sampling window they would exhaust a --quick time cap
  // and stop the first row at the 10-sample minimum.
  scripted_context ctx;
  ctx.replay = true;
  ctx.prepare_cost_s = 3.0;
  synthetic_workload w(short_runs(std::ldexp(1.0, -17)));
  runner_options o = batching_options(ctx);
  o.sampling = quick_sampling_policy();  // 0.1 s of samples, 0.25 s cap
  bool started = false;
  o.read_clocks = [&]() -> std::optional<clock_reading> {
    if (!started) ctx.add_work(2.0);  // dlopen, nvmlInit, the device handle
    started = true;
    return reading(1980, 1980, 3201);
  };
  const result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(r.timing->stop_reason, "converged");
  EXPECT_GT(r.timing->samples, 50u);  // 0.1 s of 1 ms samples, not the minimum of 10
  // The one-time costs count as warm-up in the row's phases, not as samples.
  ASSERT_TRUE(r.phases.has_value());
  EXPECT_GE(r.phases->warmup, 5.0);
  EXPECT_LT(r.phases->samples, 1.0);
}

TEST(Runner, ClocksAreReadWhileAReplayedBatchRuns) {
  scripted_context ctx;
  ctx.replay = true;
  synthetic_workload w(short_runs(std::ldexp(1.0, -17)));
  runner_options o = batching_options(ctx);
  o.clock_interval_s = 0.0;
  int during = 0, after = 0;
  o.read_clocks = [&]() -> std::optional<clock_reading> {
    (ctx.in_replay ? during : after) += 1;
    return reading(1980, 1980, 3201);
  };
  const result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(static_cast<std::size_t>(during), r.timing->samples);  // every sample's reading
  EXPECT_EQ(after, 1);  // only the start before sampling, never after an idle wait
}

TEST(Runner, AReplayImplausiblyFasterThanTheEagerRunsFallsBack) {
  scripted_context ctx;
  ctx.replay = true;
  ctx.replay_time_factor = 0.25;  // a graph that captured a quarter of the work
  const synthetic_spec spec = short_runs(std::ldexp(1.0, -14));  // 61 us: device-bound
  synthetic_workload w(spec);
  runner_options o = batching_options(ctx);
  const result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  EXPECT_EQ(ctx.replays, 1);                                   // the trial replay, then never again
  EXPECT_DOUBLE_EQ(r.timing->median_s, std::ldexp(1.0, -14));  // timed as a plain batch
  EXPECT_NE(r.timing->mode.find("16 back-to-back runs per sample (the replayed graph took 0.25x "
                                "the fastest eager run per run: implausible, so launched one by "
                                "one)"),
            std::string::npos)
      << r.timing->mode;
  // A believable replay is kept: the same work, or launch-bound runs replayed faster.
  scripted_context fine;
  fine.replay = true;
  synthetic_workload w2(spec);
  EXPECT_NE(run_workload(w2, &fine, usable_target(), batching_options(fine))
                .timing->mode.find("replayed"),
            std::string::npos);
}

TEST(Runner, AReadingWithoutKnownReasonsIsNeverThrottled) {
  const clock_reading low = reading(600, 1980, 3201);  // under 75 % of the maximum
  clock_reading unknown = low;
  unknown.reasons_known = false;  // NVML's reasons query failed (some WSL builds)
  EXPECT_DOUBLE_EQ(summarize_clocks({low})->throttled_fraction, 1.0);
  EXPECT_DOUBLE_EQ(summarize_clocks({unknown})->throttled_fraction, 0.0);
  clock_reading idle = low;
  idle.idle = true;
  EXPECT_DOUBLE_EQ(summarize_clocks({idle, unknown, low, low})->throttled_fraction, 0.5);
}

TEST(Runner, ClocksAreReadBetweenSamplesAndSummarised) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.seconds_per_run = 2e-3;
  synthetic_workload w(spec);
  runner_options o = options_for(ctx);
  o.clock_interval_s = 0.0;  // a reading after every sample
  int calls = 0;
  o.read_clocks = [&]() -> std::optional<clock_reading> {
    ++calls;
    clock_reading r;
    r.sm_max_mhz = 1980;
    r.mem_mhz = 3201;
    // Every fourth reading at half the clock, capped by power.
    r.sm_mhz = calls % 4 == 0 ? 990 : 1980;
    if (calls % 4 == 0) r.reasons = {"power cap"};
    return r;
  };
  const result_row r = run_workload(w, &ctx, usable_target(), o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  ASSERT_TRUE(r.clocks.has_value());
  EXPECT_EQ(r.clocks->readings, r.timing->samples);  // one per sample, none in the warm-up
  // One more call before sampling, dropped: the reader's first call starts NVML.
  EXPECT_EQ(static_cast<std::size_t>(calls), r.clocks->readings + 1);
  EXPECT_DOUBLE_EQ(r.clocks->sm_mhz_max, 1980);
  EXPECT_DOUBLE_EQ(r.clocks->sm_mhz_median, 1980);
  EXPECT_NEAR(r.clocks->throttled_fraction,
              static_cast<double>((r.clocks->readings + 1) / 4) / r.clocks->readings, 1e-12);
  EXPECT_EQ(r.clocks->reasons, std::vector<std::string>{"power cap"});
  // The interval bounds the readings: with 1 s between them, one reading for the whole row.
  scripted_context ctx2;
  synthetic_workload w2(spec);
  runner_options o2 = options_for(ctx2);
  o2.read_clocks = o.read_clocks;
  o2.clock_interval_s = 1.0;
  EXPECT_EQ(run_workload(w2, &ctx2, usable_target(), o2).clocks->readings, 1u);
  // No reader, no block.
  scripted_context ctx3;
  synthetic_workload w3(spec);
  EXPECT_FALSE(run_workload(w3, &ctx3, usable_target(), options_for(ctx3)).clocks.has_value());
  EXPECT_FALSE(summarize_clocks({}).has_value());
}

TEST(Runner, PhasesSayWhereTheTimeWent) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.seconds_per_run = 2e-3;  // one run per sample; the virtual clock moves only by runs
  synthetic_workload w(spec);
  const result_row r = run_workload(w, &ctx, usable_target(), options_for(ctx));
  ASSERT_TRUE(r.phases.has_value());
  EXPECT_DOUBLE_EQ(r.phases->setup, 0.0);    // prepare() does no work here
  EXPECT_DOUBLE_EQ(r.phases->verify, 2e-3);  // one verified run
  double sampled = 0.0;
  for (double v : r.timing->values_s) sampled += v;
  EXPECT_NEAR(r.phases->samples, sampled, 1e-12);
  EXPECT_NEAR(r.phases->warmup, 2e-3 * r.timing->warmup_runs, 1e-12);
  EXPECT_FALSE(r.phases->worker.has_value());  // in process
  // The run's accounting: per family, and the rest.
  result_row other = r;
  other.family = "conv";
  const run_timing t = account_time({r, r, other}, 10.0, 1.0, 0.5);
  ASSERT_EQ(t.families_s.size(), 2u);
  const double row_s = r.phases->verify + r.phases->warmup + r.phases->samples;
  EXPECT_EQ(t.families_s[0].first, "synthetic");
  EXPECT_NEAR(t.families_s[0].second, 2 * row_s, 1e-12);
  EXPECT_NEAR(t.measured_s(), 3 * row_s, 1e-12);
  EXPECT_NEAR(t.other_s, 10.0 - 1.0 - 0.5 - 3 * row_s, 1e-12);
  // Phases survive the JSON round trip.
  const result_row back = result_from_json(json::parse(to_json(r).dump()));
  ASSERT_TRUE(back.phases.has_value());
  EXPECT_DOUBLE_EQ(back.phases->samples, r.phases->samples);
  // Merged executions add their phases up.
  const result_row merged = merge_executions({r, r});
  EXPECT_NEAR(merged.phases->samples, 2 * r.phases->samples, 1e-12);
}

TEST(Runner, FailedVerificationIsNotTimed) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.verify_status = status::fail;
  synthetic_workload w(spec);
  const result_row r = run_workload(w, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.message, "wrong by design");
  EXPECT_TRUE(r.correctness.has_value());
  EXPECT_FALSE(r.timing.has_value());
  EXPECT_EQ(w.runs, 1);
  EXPECT_EQ(w.released, 1);
}

TEST(Runner, ExceptionsBecomeErrorsWithTheirMessage) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.throw_in_prepare = true;
  synthetic_workload w(spec);
  const result_row r = run_workload(w, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r.status, status::error);
  EXPECT_NE(r.message.find("cudaErrorMemoryAllocation"), std::string::npos);
  EXPECT_EQ(w.released, 1);

  synthetic_spec run_spec;
  run_spec.throw_in_run = true;
  synthetic_workload w2(run_spec);
  const result_row r2 = run_workload(w2, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r2.status, status::error);
  EXPECT_NE(r2.message.find("cudaErrorIllegalAddress"), std::string::npos);
  // A plain exception is not a CUDA error, whatever its message names.
  ASSERT_TRUE(r2.error.has_value());
  EXPECT_EQ(r2.error->kind, error_kind::exception);
  EXPECT_FALSE(is_device_lost(r2.error));
}

TEST(Runner, ACudaErrorIsRecordedByKindAndName) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.throw_named = true;
  synthetic_workload w(spec);
  const result_row r = run_workload(w, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r.status, status::error);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->kind, error_kind::cuda);
  EXPECT_EQ(r.error->cuda_name, "cudaErrorLaunchTimeout");
  EXPECT_TRUE(is_device_lost(r.error));
  // The worker protocol carries it: the row's JSON line reads back with the same error.
  std::ostringstream line;
  write_result_line(line, r);
  const auto back = find_result_line(line.str(), r.id);
  ASSERT_TRUE(back.has_value());
  ASSERT_TRUE(back->error.has_value());
  EXPECT_EQ(back->error->kind, error_kind::cuda);
  EXPECT_EQ(back->error->cuda_name, "cudaErrorLaunchTimeout");
}

TEST(Runner, UnmetRequirementsSkipWithTheReasonAndNeverPrepare) {
  scripted_context ctx;
  target_info unusable;
  unusable.unusable_reason = "no CUDA driver: libcuda.so.1 not found";
  synthetic_workload w(synthetic_spec{});
  const result_row r = run_workload(w, nullptr, unusable, options_for(ctx));
  EXPECT_EQ(r.status, status::skip);
  EXPECT_EQ(r.message, unusable.unusable_reason);
  EXPECT_EQ(w.prepared, 0);

  synthetic_spec needs_sm100;
  needs_sm100.min_cc = 100;
  synthetic_workload w2(needs_sm100);
  const result_row r2 = run_workload(w2, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r2.status, status::skip);
  EXPECT_EQ(r2.message, "needs compute capability 10.0, device 0 has 9.0");

  synthetic_spec needs_cublas;
  needs_cublas.libraries = {"cublas"};
  target_info no_cublas = usable_target();
  no_cublas.missing_libraries["cublas"] = "libcublas.so.13 not found";
  synthetic_workload w3(needs_cublas);
  const result_row r3 = run_workload(w3, &ctx, no_cublas, options_for(ctx));
  EXPECT_EQ(r3.status, status::skip);
  EXPECT_EQ(r3.message, missing_library_message("cublas", "libcublas.so.13 not found"));
  EXPECT_NE(r3.message.find("libcublas.so.13 not found"), std::string::npos) << r3.message;
  EXPECT_NE(r3.message.find("nvidia-cublas"), std::string::npos) << r3.message;
}

TEST(Runner, ThroughputAbovePeakIsAnError) {
  scripted_context ctx;
  synthetic_spec spec;
  spec.seconds_per_run = 2e-3;
  spec.bytes = 1e9;  // 500 GB/s against a 10 GB/s peak
  synthetic_workload w(spec);
  const result_row r = run_workload(w, &ctx, usable_target(), options_for(ctx));
  EXPECT_EQ(r.status, status::error);
  EXPECT_NE(r.message.find("above 100 %"), std::string::npos);
}

TEST(Runner, SuiteCreatesTheContextOnceAndReportsEachResult) {
  scripted_context* created = nullptr;
  int factory_calls = 0;
  std::vector<std::unique_ptr<synthetic_workload>> owned;
  std::vector<workload*> list;
  for (const char* id : {"a.own.f32.1", "b.own.f32.2", "c.own.f32.3"}) {
    synthetic_spec s;
    s.id = id;
    owned.push_back(std::make_unique<synthetic_workload>(s));
    list.push_back(owned.back().get());
  }
  runner_options o;
  o.wall_clock = [&] { return created != nullptr ? created->now() : 0.0; };
  std::vector<std::string> seen;
  const auto rows = run_suite(
      list, usable_target(),
      [&]() -> std::unique_ptr<execution_context> {
        ++factory_calls;
        auto ctx = std::make_unique<scripted_context>();
        created = ctx.get();
        return ctx;
      },
      o, [&](const result_row& r) { seen.push_back(r.id); });
  EXPECT_EQ(factory_calls, 1);
  ASSERT_EQ(rows.size(), 3u);
  for (const result_row& r : rows) EXPECT_EQ(r.status, status::pass) << r.id << ": " << r.message;
  EXPECT_EQ(seen, (std::vector<std::string>{"a.own.f32.1", "b.own.f32.2", "c.own.f32.3"}));
}

TEST(Runner, SuiteWhoseContextCannotBeCreatedErrorsEveryRunnableWorkload) {
  synthetic_workload runnable(synthetic_spec{});
  synthetic_spec needs_sm100;
  needs_sm100.id = "x.own.f32.y";
  needs_sm100.min_cc = 100;
  synthetic_workload skipped(needs_sm100);
  int factory_calls = 0;
  const auto rows = run_suite(
      {&runnable, &skipped}, usable_target(),
      [&]() -> std::unique_ptr<execution_context> {
        ++factory_calls;
        throw std::runtime_error("cudaErrorDevicesUnavailable");
      },
      runner_options{});
  EXPECT_EQ(factory_calls, 1);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, status::error);
  EXPECT_NE(rows[0].message.find("cudaErrorDevicesUnavailable"), std::string::npos);
  EXPECT_EQ(rows[1].status, status::skip);
  EXPECT_EQ(runnable.prepared, 0);
}

TEST(Runner, SessionInterleavesExecutionsAndRerunsOnlyTheSuspects) {
  std::vector<std::unique_ptr<synthetic_workload>> owned;
  std::vector<workload*> list;
  for (const char* id : {"a.own.f32.1", "b.own.f32.2"}) {
    synthetic_spec s;
    s.id = id;
    owned.push_back(std::make_unique<synthetic_workload>(s));
    list.push_back(owned.back().get());
  }
  scripted_context ctx;
  runner_options o = options_for(ctx);
  std::vector<std::string> seen;
  schedule_options in_process;
  in_process.isolation = false;
  measurement_session session(
      list, usable_target(), in_process,
      [&](workload& w) { return run_workload(w, &ctx, usable_target(), o); },
      [&](const result_row& r) { seen.push_back(r.id); });
  session_options three;
  three.repeat = 3;
  const session_outcome out = session.measure(three);
  EXPECT_FALSE(out.interrupted);
  ASSERT_EQ(out.executions.size(), 6u);
  // Every workload once, then again: a, b, a, b, a, b.
  for (std::size_t i = 0; i < out.executions.size(); ++i)
    EXPECT_EQ(out.executions[i].id, i % 2 == 0 ? "a.own.f32.1" : "b.own.f32.2") << i;
  const std::vector<result_row> again = session.rerun({"b.own.f32.2", "not.a.selected_id"});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, "b.own.f32.2");
  EXPECT_EQ(seen.size(), 7u);  // the journal saw every row, the rerun's too
}

}  // namespace wslcuda
