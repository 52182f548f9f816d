// The platform workloads' CPU-side parts: size sweeps, nccl-tests' bandwidth definitions, the
// collective patterns, exact comparisons, the byte pattern of copies, peaks and skip logic, the
// latency sampling rule (NVRTC, which compiles without a GPU: nvrtc_test.cpp).

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "suite/platform_plan.hpp"
#include "suite/runner.hpp"
#include "synthetic_workloads.hpp"
#include "verify/check.hpp"
#include "verify/random_fill.hpp"

namespace wslcuda {

TEST(PlatformPlan, TransferSizes) {
  EXPECT_EQ(transfer_sizes(true), (std::vector<std::size_t>{kMiB, 256 * kMiB}));
  EXPECT_EQ(transfer_sizes(false),
            (std::vector<std::size_t>{4096, 65536, 1048576, 16777216, 268435456, 1073741824}));
}

TEST(PlatformPlan, CollectiveSizesAre8BytesTo1GiBByEight) {
  const std::vector<std::size_t> full = collective_sizes(false);
  ASSERT_EQ(full.size(), 10u);
  EXPECT_EQ(full.front(), 8u);
  EXPECT_EQ(full.back(), kGiB);
  for (std::size_t i = 1; i < full.size(); ++i) EXPECT_EQ(full[i], 8 * full[i - 1]);
  EXPECT_EQ(collective_sizes(true), (std::vector<std::size_t>{kMiB, 256 * kMiB}));
}

// nccl-tests doc/PERFORMANCE.md: all-reduce busbw = algbw × 2(n−1)/n; reduce-scatter and
// all-gather × (n−1)/n; broadcast × 1.
TEST(PlatformPlan, BusBandwidthFactorsAreNcclTests) {
  EXPECT_DOUBLE_EQ(bus_bandwidth_factor(collective::all_reduce, 8), 2.0 * 7.0 / 8.0);
  EXPECT_DOUBLE_EQ(bus_bandwidth_factor(collective::all_reduce, 2), 1.0);
  EXPECT_DOUBLE_EQ(bus_bandwidth_factor(collective::all_reduce, 1), 0.0);  // nothing crosses a bus
  EXPECT_DOUBLE_EQ(bus_bandwidth_factor(collective::all_gather, 8), 7.0 / 8.0);
  EXPECT_DOUBLE_EQ(bus_bandwidth_factor(collective::reduce_scatter, 4), 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(bus_bandwidth_factor(collective::broadcast, 8), 1.0);
  EXPECT_THROW(bus_bandwidth_factor(collective::broadcast, 0), std::invalid_argument);
}

TEST(PlatformPlan, CollectiveCountsFollowNcclTestsSize) {
  // 1 MiB of f32 on 4 ranks: all-reduce passes every element; all-gather's sendcount and
  // reduce-scatter's recvcount are a quarter.
  EXPECT_EQ(collective_count(collective::all_reduce, kMiB, 4, 4), 262144u);
  EXPECT_EQ(collective_count(collective::broadcast, kMiB, 4, 4), 262144u);
  EXPECT_EQ(collective_count(collective::all_gather, kMiB, 4, 4), 65536u);
  EXPECT_EQ(collective_count(collective::reduce_scatter, kMiB, 4, 4), 65536u);
  EXPECT_EQ(collective_count(collective::all_gather, 8, 4, 4), 0u);  // under one element per rank
  EXPECT_EQ(collective_receive_elements(collective::all_gather, 10, 4), 40u);
  EXPECT_EQ(collective_send_elements(collective::reduce_scatter, 10, 4), 40u);
  EXPECT_EQ(collective_send_elements(collective::all_reduce, 10, 4), 10u);
}

TEST(PlatformPlan, CollectiveExpectedValuesAreExactSmallIntegers) {
  // inputs: rank 0 element 0 = 1, rank 1 element 0 = 4, rank 0 element 3 = 9, rank 1 element 3
  // = 12, rank 1 element 1 = 11.
  EXPECT_EQ(collective_input(0, 0), 1.0f);
  EXPECT_EQ(collective_input(1, 0), 4.0f);
  EXPECT_EQ(collective_expected(collective::all_reduce, 2, 0, 8, 0), 5.0f);
  EXPECT_EQ(collective_expected(collective::all_reduce, 1, 0, 8, 5), collective_input(0, 5));
  EXPECT_EQ(collective_expected(collective::all_gather, 2, 0, 3, 4), 11.0f);  // rank 1, element 1
  EXPECT_EQ(collective_expected(collective::reduce_scatter, 2, 1, 3, 0), 9.0f + 12.0f);
  EXPECT_EQ(collective_expected(collective::broadcast, 4, 3, 8, 3), 9.0f);
  for (std::size_t i = 0; i < 100; ++i) {
    EXPECT_GE(collective_input(7, i), 1.0f);
    EXPECT_LE(collective_input(7, i), 13.0f);
  }
}

TEST(ExactChecks, EqualFloatsAndWrongCounts) {
  const float want[] = {1, 2, 3, 4};
  const float good[] = {1, 2, 3, 4};
  const float bad[] = {1, 2, 3.5f, NAN};
  EXPECT_EQ(check_equal(good, want, 4, "m").status, status::pass);
  const check_result r = check_equal(bad, want, 4, "m");
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.out_of_bound, 2);
  EXPECT_EQ(r.non_finite, 1);
  EXPECT_EQ(check_from_wrong_count(0, 10, "x", "y").status, status::pass);
  EXPECT_EQ(check_from_wrong_count(3, 10, "x", "y").status, status::fail);
  EXPECT_EQ(check_from_wrong_count(3, 10, "x", "y").out_of_bound, 3);
  EXPECT_EQ(check_from_wrong_count(0, 0, "x", "y").status, status::error);  // nothing compared
}

TEST(ExactChecks, BytesCatchOneFlippedByte) {
  std::vector<unsigned char> a(1 << 16), b;
  fill_byte_pattern(a.data(), 0, a.size(), 7);
  b = a;
  EXPECT_EQ(check_equal_bytes(b.data(), a.data(), 1 << 16, "m").status, status::pass);
  EXPECT_EQ(check_equal_bytes(b.data(), a.data(), 1 << 16, "m").compared, 1 << 16);
  b[12345] ^= 0x10;
  const check_result r = check_equal_bytes(b.data(), a.data(), 1 << 16, "m");
  EXPECT_EQ(r.status, status::fail);
  EXPECT_EQ(r.out_of_bound, 1);
  ASSERT_FALSE(r.first_mismatches.empty());
  EXPECT_EQ(r.first_mismatches[0].index, 12345);
}

TEST(BytePattern, AnyPieceEqualsTheSameBytesOfTheWhole) {
  std::vector<unsigned char> whole(1000), piece(333);
  fill_byte_pattern(whole.data(), 0, whole.size(), 42);
  for (std::size_t offset : {0u, 1u, 7u, 8u, 13u, 600u}) {
    const std::size_t n = std::min(piece.size(), whole.size() - offset);
    fill_byte_pattern(piece.data(), offset, n, 42);
    EXPECT_EQ(std::memcmp(piece.data(), whole.data() + offset, n), 0) << "offset " << offset;
  }
  std::vector<unsigned char> other(1000);
  fill_byte_pattern(other.data(), 0, other.size(), 43);
  EXPECT_NE(std::memcmp(other.data(), whole.data(), whole.size()), 0);
  // Not degenerate: every byte value shows up in 1000 bytes of a good generator… nearly.
  std::vector<int> seen(256);
  for (unsigned char c : whole) seen[c] = 1;
  EXPECT_GT(std::accumulate(seen.begin(), seen.end(), 0), 200);
}

TEST(BandwidthPeak, LinkDramAndCacheResidentWorkingSets) {
  target_info t;
  t.peak_dram_bytes_per_s = 3.35e12;
  t.l2_cache_bytes = 50 << 20;
  t.host_link_bytes_per_s = 63e9;
  EXPECT_EQ(bandwidth_peak(peak_reference::dram, 512.0 * kMiB, t), 3.35e12);
  // 64 MiB < 2 × 50 MiB of L2: may be served from cache, so no DRAM ceiling.
  EXPECT_FALSE(bandwidth_peak(peak_reference::dram, 64.0 * kMiB, t).has_value());
  EXPECT_EQ(bandwidth_peak(peak_reference::host_link, 4096, t), 63e9);
  EXPECT_EQ(bandwidth_peak(peak_reference::host_link_duplex, 4096, t), 126e9);
  EXPECT_FALSE(bandwidth_peak(peak_reference::none, 1e9, t).has_value());
  t.host_link_bytes_per_s = 0.0;  // WSL 2: unknown
  EXPECT_FALSE(bandwidth_peak(peak_reference::host_link, 4096, t).has_value());
}

TEST(Requirements, OneGpuSkipsPeerToPeerAndWslSkipsPrefetch) {
  target_info t;
  t.usable = true;
  t.compute_capability = 90;
  t.device_count = 1;
  workload_info p2p;
  p2p.requirements.min_devices = 2;
  const auto why = unmet_requirement(p2p, t);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("needs 2 GPUs, 1 visible"), std::string::npos) << *why;
  t.device_count = 2;
  EXPECT_FALSE(unmet_requirement(p2p, t).has_value());

  workload_info prefetch;
  prefetch.requirements.concurrent_managed_access = true;
  t.concurrent_managed_access = false;
  const auto managed = unmet_requirement(prefetch, t);
  ASSERT_TRUE(managed.has_value());
  EXPECT_NE(managed->find("concurrentManagedAccess = 0"), std::string::npos) << *managed;
  t.concurrent_managed_access = true;
  EXPECT_FALSE(unmet_requirement(prefetch, t).has_value());
}

TEST(LatencySampling, StopsWhenTheMedianIsStableAfterEnoughForAP99) {
  sampling_policy p = latency_sampling_policy(default_sampling_policy());
  EXPECT_EQ(p.rule, stop_rule::median_ci);
  EXPECT_EQ(p.min_samples_to_converge, 1000);
  double now = 0.0;
  // Two values alternating: the median's CI is [1, 1] or [1, 2]… with equal halves the CI spans
  // both, so stability needs a clear majority: 3 of 4 samples are 1 µs.
  int i = 0;
  const sampling_outcome o = sample_adaptively(
      p, [&] { now += 1e-3; },  // warm-up takes wall time too
      [&] {
        now += 1e-6;
        return (i++ % 4 == 3) ? 2e-6 : 1e-6;
      },
      [&] { return now; });
  EXPECT_EQ(o.stop_reason, "median stable");
  EXPECT_GE(o.samples.size(), 1000u);
  EXPECT_EQ(o.samples.size() % 32, 0u);
}

TEST(LatencySampling, AWideDistributionStopsAtTheTimeCap) {
  sampling_policy p = latency_sampling_policy(default_sampling_policy());
  double now = 0.0;
  int i = 0;
  // Uniform over 1..100 µs forever: the median's CI never gets within 1 %… until n is huge;
  // each sample costs 1 ms of wall time, so the 1 s cap comes first.
  const sampling_outcome o = sample_adaptively(
      p, [&] { now += 1e-3; },  // warm-up takes wall time too
      [&] {
        now += 1e-3;
        return 1e-6 * (1 + (i++ * 37) % 100);
      },
      [&] { return now; });
  EXPECT_EQ(o.stop_reason, "time cap");
  EXPECT_GE(o.samples.size(), 100u);  // min_samples of the latency policy
}

namespace {

/// A host-timed workload whose "measurements" are scripted: 1, 2, …, 10 µs in turn.
class scripted_latency final : public workload {
 public:
  scripted_latency() {
    info_.id = "latency.scripted";
    info_.family = "latency";
    info_.implementation = "runtime";
    info_.precision = "none";
    info_.timing = timing_kind::host_clock;
    info_.sampling = sampling_kind::latency;
    info_.peak = peak_reference::none;
    info_.timing_definition = "scripted interval";
  }
  const workload_info& info() const noexcept override { return info_; }
  double flops() const noexcept override { return 0.0; }
  double bytes() const noexcept override { return 0.0; }
  void prepare(execution_context&) override {}
  void run(execution_context&) override { ADD_FAILURE() << "host-timed: run() is not used"; }
  double run_host_timed(execution_context& ctx) override {
    const double s = 1e-6 * (1 + calls_++ % 10);
    static_cast<testing::scripted_context&>(ctx).add_work(1e-4);
    return s;
  }
  check_result verify(execution_context&) override {
    return check_from_wrong_count(0, 1, "completed", "scripted");
  }
  std::vector<std::pair<std::string, double>> derived_metrics(double median_s) const override {
    return {{"per_node_s", median_s / 100}};
  }

 private:
  workload_info info_;
  int calls_ = 0;
};

}  // namespace

TEST(Runner, HostTimedWorkloadGetsADistribution) {
  testing::scripted_context ctx;
  scripted_latency w;
  target_info t;
  t.usable = true;
  t.compute_capability = 90;
  runner_options o;
  o.wall_clock = [&ctx] { return ctx.now(); };
  const result_row r = run_workload(w, &ctx, t, o);
  ASSERT_EQ(r.status, status::pass) << r.message;
  ASSERT_TRUE(r.timing.has_value());
  EXPECT_EQ(r.timing->mode, "scripted interval");
  EXPECT_EQ(r.timing->batch, 1);
  // 10 equally likely values 1..10 µs: p50 5.5, p90 ≈ 9.1, p99 ≈ 10 µs.
  EXPECT_NEAR(r.timing->median_s, 5.5e-6, 1e-9);
  EXPECT_NEAR(r.timing->p90_s, 9.1e-6, 0.2e-6);
  EXPECT_NEAR(r.timing->p99_s, 10e-6, 1e-9);
  EXPECT_DOUBLE_EQ(r.timing->max_s, 10e-6);
  EXPECT_FALSE(r.throughput.has_value());  // a latency has no throughput
  ASSERT_EQ(r.metrics.size(), 1u);
  EXPECT_EQ(r.metrics[0].first, "per_node_s");
  EXPECT_NEAR(r.metrics[0].second, 5.5e-8, 1e-11);
}

}  // namespace wslcuda
