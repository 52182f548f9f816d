// The gate rule on hand-made executions (deterministic, not timing tests): what fails, what
// warns, what is too noisy or host-bound to gate, and the evidence a verdict needs. The rule on
// the real H200 reports and the noise simulation are in gate_h200_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>

#include "baseline/compare.hpp"
#include "measure/statistics.hpp"

namespace wslcuda {
namespace {

/// Executions with the given per-execution medians (each 11 samples at ±0.1 % around it), on
/// `machine`.
comparable_entry entry(const std::vector<double>& medians, const std::string& machine = "GPU-a",
                       const std::string& id = "gemm.own.f32.m1024n1024k1024",
                       const std::string& family = "gemm") {
  comparable_entry e;
  e.id = id;
  e.family = family;
  for (double m : medians) {
    comparable_execution x;
    for (int i = -5; i <= 5; ++i) x.samples_s.push_back(m * (1.0 + 1e-3 * i));
    x.value_s = median_of(x.samples_s);
    x.machine = machine;
    e.executions.push_back(x);
  }
  std::vector<double> v(medians);
  e.central_s = median_of(v);
  return e;
}

/// A policy without noise floors: only measured spreads count.
gate_policy plain_policy() {
  gate_policy p = default_policy();
  p.noise_floors.clear();
  return p;
}

}  // namespace

TEST(Gate, EveryExecutionSlowerBeyondTheThresholdFails) {
  const entry_comparison r = compare_entry(
      entry({1.00e-3, 1.01e-3}), entry({1.10e-3, 1.12e-3, 1.11e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_TRUE(r.gated);
  EXPECT_EQ(r.verdict, status::fail) << r.message;
  EXPECT_EQ(r.baseline_executions, 2);
  EXPECT_EQ(r.candidate_executions, 3);
  EXPECT_NEAR(r.ratio, 1.005e-3 / 1.11e-3, 1e-12);  // central: median of execution medians
  EXPECT_NEAR(r.noise, 0.01 / 1.005, 1e-9);         // the baseline's spread
  EXPECT_NEAR(r.threshold, 0.97, 1e-12);  // the minimum effect: 1 / (1 + 2 × 1 %) is above it
  ASSERT_TRUE(r.ci.has_value());
  EXPECT_LT(r.ci->high, 1.0);
}

TEST(Gate, ASlowdownInOneExecutionOnlyWarnsAndWithinTheNoisePasses) {
  // Central 10 % slower, but one candidate execution is as fast as the baseline: warn.
  const entry_comparison overlap = compare_entry(
      entry({1.00e-3, 1.01e-3}), entry({1.10e-3, 1.00e-3, 1.12e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_TRUE(overlap.gated);
  EXPECT_EQ(overlap.verdict, status::warn) << overlap.message;
  // 2 % slower with a 1 % spread: inside the 3 % minimum effect, pass.
  const entry_comparison small = compare_entry(
      entry({1.00e-3, 1.01e-3}), entry({1.025e-3, 1.03e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_EQ(small.verdict, status::pass) << small.message;
  // Faster: pass, ratio above 1.
  const entry_comparison faster = compare_entry(
      entry({1.00e-3, 1.01e-3}), entry({0.90e-3, 0.91e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_EQ(faster.verdict, status::pass);
  EXPECT_GT(faster.ratio, 1.0);
}

TEST(Gate, NoiseWidensTheThresholdAndTooMuchNoiseIsNotGated) {
  // 4 % baseline spread, k = 2: threshold 1 / 1.08; a 6 % slowdown stays within it.
  const entry_comparison widened = compare_entry(
      entry({1.00e-3, 1.04e-3}), entry({1.08e-3, 1.085e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_TRUE(widened.gated);
  EXPECT_NEAR(widened.threshold, 1.0 / (1.0 + 2.0 * 0.04 / 1.02), 1e-9);
  EXPECT_EQ(widened.verdict, status::pass) << widened.message;
  // 44 % spread: the threshold falls under the device floor 0.90; the reason has the numbers.
  const entry_comparison noisy =
      compare_entry(entry({1.00e-3, 1.60e-3}), entry({3.0e-3, 3.1e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_FALSE(noisy.gated);
  EXPECT_EQ(noisy.verdict, status::skip);
  EXPECT_NE(noisy.why_not_gated.find("too noisy to gate: baseline spread 46.2 % over 2"),
            std::string::npos)
      << noisy.why_not_gated;
  EXPECT_LT(noisy.ratio, 0.5);  // still shown
}

TEST(Gate, OneExecutionOnEachSideNeedsANoiseFloor) {
  const entry_comparison none =
      compare_entry(entry({1.0e-3}), entry({1.2e-3}), "GPU-a", plain_policy(), 1);
  EXPECT_FALSE(none.gated);
  EXPECT_NE(none.why_not_gated.find("no noise estimate"), std::string::npos);
  gate_policy p = plain_policy();
  p.noise_floors = {{"gemm.own.*", 0.01, "test"}};
  const entry_comparison floored = compare_entry(entry({1.0e-3}), entry({1.2e-3}), "GPU-a", p, 1);
  EXPECT_TRUE(floored.gated);
  EXPECT_EQ(floored.verdict, status::fail);
  EXPECT_NE(floored.noise_from.find("noise floor 1.0 % of gemm.own.*"), std::string::npos);
  // A floor also holds when two executions happen to agree.
  p.noise_floors = {{"gemm.own.*", 0.30, "test"}};
  const entry_comparison agree =
      compare_entry(entry({1.0e-3, 1.0e-3}), entry({1.2e-3, 1.2e-3}), "GPU-a", p, 1);
  EXPECT_FALSE(agree.gated);
  EXPECT_DOUBLE_EQ(agree.noise, 0.30);
}

TEST(Gate, HostBoundRowsAreGatedOnlyOnTheSameMachine) {
  comparable_entry base =
      entry({2.0e-6, 2.02e-6}, "GPU-a", "latency.runtime.none.launch", "latency");
  comparable_entry cand =
      entry({5.0e-6, 5.1e-6}, "GPU-a", "latency.runtime.none.launch", "latency");
  base.bound = cand.bound = bound_kind::host;
  base.bound_reason = cand.bound_reason = "timed on the host clock";
  const entry_comparison same = compare_entry(base, cand, "GPU-a", plain_policy(), 1);
  EXPECT_TRUE(same.gated);
  EXPECT_EQ(same.verdict, status::fail) << same.message;  // 2.5x slower
  for (comparable_execution& x : cand.executions) x.machine = "GPU-b";
  const entry_comparison other = compare_entry(base, cand, "GPU-b", plain_policy(), 1);
  EXPECT_FALSE(other.gated);
  EXPECT_EQ(other.verdict, status::skip);
  EXPECT_NE(other.why_not_gated.find("host-bound"), std::string::npos);
  EXPECT_NE(other.why_not_gated.find("another machine"), std::string::npos);
  // A device-timed candidate (a replayed batch) against a baseline timed through the host's
  // submission rate: the comparison is as host-bound as its more host-bound side.
  cand.bound = bound_kind::device;
  const entry_comparison mixed = compare_entry(base, cand, "GPU-b", plain_policy(), 1);
  EXPECT_EQ(mixed.bound, bound_kind::host);
  EXPECT_FALSE(mixed.gated);
}

TEST(Gate, DifferentAlgorithmsAreNamedAndStillJudgedOnTime) {
  comparable_entry base = entry({1.00e-3, 1.01e-3});
  comparable_entry cand = entry({1.00e-3, 1.005e-3});
  base.algorithm = "CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM, CUDNN_FMA_MATH";
  cand.algorithm = "CUDNN_CONVOLUTION_FWD_ALGO_GEMM, CUDNN_FMA_MATH";
  const entry_comparison r = compare_entry(base, cand, "GPU-a", plain_policy(), 1);
  EXPECT_EQ(r.verdict, status::pass);
  EXPECT_EQ(r.baseline_algorithm, base.algorithm);
  EXPECT_EQ(r.candidate_algorithm, cand.algorithm);
  EXPECT_NE(r.message.find("algorithms differ: baseline ran CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT"),
            std::string::npos)
      << r.message;
  cand.algorithm = base.algorithm;
  EXPECT_TRUE(compare_entry(base, cand, "GPU-a", plain_policy(), 1).baseline_algorithm.empty());
}

TEST(Gate, AVerdictNeedsEvidence) {
  comparable_document base, cand;
  base.source = "base.json";
  cand.source = "cand.json";
  base.context.gpu_name = cand.context.gpu_name = "NVIDIA H200";
  base.context.compute_capability = cand.context.compute_capability = "9.0";
  cand.context.machines = {"GPU-a"};
  base.entries = {entry({1.0e-3, 1.01e-3}),
                  entry({2.0e-3, 2.01e-3}, "GPU-a", "gemm.own.f16.m1024n1024k1024")};
  // No comparable rows at all: not pass.
  EXPECT_EQ(compare_documents(base, cand, plain_policy()).verdict, status::warn);
  // One of two rows gated and passing: 50 %, enough under the default policy.
  cand.entries = {entry({1.0e-3, 1.01e-3})};
  const document_comparison half = compare_documents(base, cand, plain_policy());
  EXPECT_EQ(half.verdict, status::pass) << half.evidence;
  EXPECT_EQ(half.gated, 1u);
  EXPECT_EQ(half.only_in_baseline.size(), 1u);
  gate_policy strict = plain_policy();
  strict.min_evidence_fraction = 0.9;
  const document_comparison thin = compare_documents(base, cand, strict);
  EXPECT_EQ(thin.verdict, status::warn);
  EXPECT_NE(thin.evidence.find("too little evidence"), std::string::npos) << thin.evidence;
}

TEST(Statistics, HierarchicalBootstrapIsDeterministicAndSeesExecutionSpread) {
  const auto dist = [](std::vector<double> v, std::size_t n = 0) {
    std::sort(v.begin(), v.end());
    return execution_distribution{v, n == 0 ? v.size() : n};
  };
  const std::vector<execution_distribution> tight = {dist({1.0, 1.01, 0.99}),
                                                     dist({1.0, 1.01, 0.99})};
  const std::vector<execution_distribution> spread = {dist({1.0, 1.01, 0.99}),
                                                      dist({1.3, 1.31, 1.29})};
  const std::vector<execution_distribution> cand = {dist({2.0, 2.02, 1.98}, 10000)};
  const ratio_interval a = hierarchical_bootstrap_ratio(tight, cand, 42);
  const ratio_interval b = hierarchical_bootstrap_ratio(tight, cand, 42);
  EXPECT_DOUBLE_EQ(a.low, b.low);
  EXPECT_DOUBLE_EQ(a.high, b.high);
  EXPECT_DOUBLE_EQ(a.estimate, 0.5);
  EXPECT_LE(a.low, 0.5);
  EXPECT_GE(a.high, 0.5);
  // Executions that disagree widen the interval to span them: a pooled bootstrap would not.
  const ratio_interval w = hierarchical_bootstrap_ratio(spread, cand, 42);
  EXPECT_GT(w.high - w.low, 0.1);
  EXPECT_LT(a.high - a.low, 0.03);
  // The same quantiles standing for 10 000 samples give a far narrower within-run interval
  // than for 3: the sample count, not the number of quantiles kept, sets the median's spread.
  const ratio_interval few = hierarchical_bootstrap_ratio({dist({1.0, 1.01, 0.99})}, cand, 7);
  const ratio_interval many =
      hierarchical_bootstrap_ratio({dist({1.0, 1.01, 0.99}, 10000)}, cand, 7);
  EXPECT_LT(many.high - many.low, 0.5 * (few.high - few.low));
  EXPECT_THROW(hierarchical_bootstrap_ratio({}, cand, 1), std::invalid_argument);
  EXPECT_THROW(hierarchical_bootstrap_ratio({execution_distribution{}}, cand, 1),
               std::invalid_argument);
  EXPECT_THROW(hierarchical_bootstrap_ratio(tight, {dist({0.0, 0.0})}, 1), std::invalid_argument);
}

}  // namespace wslcuda
