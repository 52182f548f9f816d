#include "measure/sampler.hpp"

#include <gtest/gtest.h>

namespace wslcuda {
namespace {

/// A virtual clock advanced only by the scripted work: no real time is involved.
struct scripted {
  double now = 0.0;
  std::vector<double> script;  // sample durations, repeated cyclically
  std::size_t next = 0;
  int warmups = 0;
  double sample() {
    const double t = script[next++ % script.size()];
    now += t;
    return t;
  }
  void warm() {
    ++warmups;
    now += 0.001;
  }
};

sampling_outcome run(const sampling_policy& p, scripted& s) {
  return sample_adaptively(
      p, [&] { s.warm(); }, [&] { return s.sample(); }, [&] { return s.now; });
}

}  // namespace

TEST(Sampler, ConvergesOnQuietSamplesAfterMinimums) {
  scripted s;
  s.script = {0.1};
  const sampling_outcome out = run(default_sampling_policy(), s);
  EXPECT_EQ(out.stop_reason, "converged");
  EXPECT_EQ(out.samples.size(), 10u);  // 10 × 0.1 s reaches both the count and the 0.5 s minimum
  EXPECT_GE(out.warmup_runs, 2);
}

TEST(Sampler, MinTimeExtendsShortSamples) {
  scripted s;
  s.script = {1.0 / 64};  // exact in binary, so the sum reaches 0.5 s at exactly 32 samples
  const sampling_outcome out = run(default_sampling_policy(), s);
  EXPECT_EQ(out.stop_reason, "converged");
  EXPECT_EQ(out.samples.size(), 32u);
}

TEST(Sampler, NoisySamplesStopAtTheTimeCap) {
  scripted s;
  s.script = {0.1, 0.2};  // ~33 % noise never converges
  sampling_policy p = default_sampling_policy();
  p.max_time_s = 3.0;  // well past the 10 minimum samples (1.5 s)
  const sampling_outcome out = run(p, s);
  EXPECT_EQ(out.stop_reason, "time cap");
  double total = 0;
  for (double t : out.samples) total += t;
  EXPECT_GE(total, p.max_time_s);
  EXPECT_LT(total, p.max_time_s + 0.2 + 1e-9);  // stops right after crossing the cap
}

TEST(Sampler, SampleCapBoundsTheCount) {
  scripted s;
  s.script = {1e-6, 2e-6};
  sampling_policy p = default_sampling_policy();
  p.max_samples = 37;
  const sampling_outcome out = run(p, s);
  EXPECT_EQ(out.stop_reason, "sample cap");
  EXPECT_EQ(out.samples.size(), 37u);
}

TEST(Sampler, MinSamplesHoldEvenPastTheTimeCap) {
  scripted s;
  s.script = {5.0, 6.0};  // each sample alone exceeds the 3 s cap
  const sampling_outcome out = run(default_sampling_policy(), s);
  EXPECT_EQ(out.samples.size(), 10u);
  EXPECT_EQ(out.stop_reason, "time cap");
}

TEST(Sampler, WarmupRunsUntilItsTimeHasPassed) {
  scripted s;
  s.script = {0.1};
  sampling_policy p = default_sampling_policy();
  p.warmup_time_s = 0.0105;  // 11 warm-ups of 1 ms each
  const sampling_outcome out = run(p, s);
  EXPECT_EQ(out.warmup_runs, 11);
  EXPECT_EQ(s.warmups, 11);
}

TEST(Sampler, OneTimeCostsBeforeSamplingStayOutOfTheTimeCap) {
  // NVML's start-up and a CUDA graph's capture happen once, after the warm-up: with them in the
  // window, a short cap (--quick: 62 ms for a transfer) would stop at the 10-sample minimum.
  scripted s;
  s.script = {0.010, 0.012};  // noisy: never converges, so only the cap stops it
  sampling_policy p = default_sampling_policy();
  p.max_time_s = 0.25;
  int calls = 0;
  const sampling_outcome out = sample_adaptively(
      p, [&] { s.warm(); }, [&] { return s.sample(); }, [&] { return s.now; },
      [&] {
        ++calls;
        s.now += 5.0;  // a slow one-time cost, far beyond the cap
      });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(out.stop_reason, "time cap");
  EXPECT_GE(out.samples.size(), 22u);  // 0.25 s of 11 ms samples, not the minimum of 10
}

}  // namespace wslcuda
