// Health floors on the real H200 reports: every floor is cleared by every run, copies with one
// defect each get the right verdict and cause, and every floor in the policy has a source.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "baseline/baseline.hpp"
#include "baseline/bundled_baselines.hpp"
#include "baseline/documents.hpp"
#include "baseline/floors.hpp"
#include "model/json_reader.hpp"
#include "model/row_json.hpp"
#include "model/verdict.hpp"
#include "report/comparison_formats.hpp"

namespace wslcuda {
namespace {

std::vector<result_row> rows_of(const std::string& run) {
  const json doc = read_json_file(std::string(WSLCUDA_SOURCE_DIR) +
                                  "/reports/examples/h200-linux-2026-11-30-" + run + ".json");
  std::vector<result_row> rows;
  for (const json& r : doc["results"]) rows.push_back(result_from_json(r));
  return rows;
}

result_row& row(std::vector<result_row>& rows, const std::string& id) {
  for (result_row& r : rows)
    if (r.id == id) return r;
  throw std::runtime_error("no row " + id);
}

/// Scales a row's throughput (and its fraction of peak) to `fraction` of the peak.
void set_fraction(result_row& r, double fraction) {
  ASSERT_TRUE(r.throughput && r.throughput->peak);
  r.throughput->fraction_of_peak = fraction;
  r.throughput->value = fraction * *r.throughput->peak;
}

const std::string kLink = "PCIe Gen5 x16 (sysfs max_link_speed/max_link_width of 0000:00:06.0)";

}  // namespace

TEST(Floors, EveryH200RunClearsEveryFloor) {
  const gate_policy policy = default_policy();
  ASSERT_GE(policy.floors.size(), 10u);
  std::map<std::string, double> margin;  // floor → smallest measured value / warn_below
  for (const char* run : {"full-1", "full-2", "quick-1", "quick-2", "quick-3"}) {
    std::vector<result_row> rows = rows_of(run);
    apply_floors(rows, policy, kLink, true);
    std::size_t judged = 0;
    for (const result_row& r : rows) {
      if (!r.floor) continue;
      if (r.floor->verdict != status::skip) ++judged;
      EXPECT_NE(r.floor->verdict, status::warn) << run << " " << r.id << ": " << r.floor->message;
      EXPECT_NE(r.floor->verdict, status::fail) << run << " " << r.id << ": " << r.floor->message;
      if (r.floor->value) {
        const std::string glob = floor_for(policy, r.id)->glob;
        const double m = *r.floor->value / r.floor->warn_below;
        if (!margin.count(glob) || m < margin[glob]) margin[glob] = m;
      }
    }
    EXPECT_GE(judged, std::string(run).rfind("full", 0) == 0 ? 25u : 12u) << run;
  }
  for (const auto& [glob, m] : margin) std::printf("margin %.2fx  %s\n", m, glob.c_str());
}

TEST(Floors, DefectsGetTheRightVerdictAndCause) {
  const gate_policy policy = default_policy();
  std::vector<result_row> rows = rows_of("full-1");
  set_fraction(row(rows, "transfer.ce.u8.d2d.b1073741824"), 0.40);
  set_fraction(row(rows, "transfer.ce.u8.h2d_pinned.b268435456"), 0.20);
  set_fraction(row(rows, "gemm.cublas.bf16.m4096n4096k4096"), 0.10);
  apply_floors(rows, policy, kLink, true);

  const result_row& d2d = row(rows, "transfer.ce.u8.d2d.b1073741824");
  ASSERT_TRUE(d2d.floor);
  EXPECT_EQ(d2d.floor->verdict, status::warn) << d2d.floor->message;
  EXPECT_EQ(d2d.floor->reason, reason_code::below_floor);
  // Applied (no baseline): the row's verdict is the floor's; the measurement stays a pass.
  EXPECT_EQ(d2d.status, status::pass);
  EXPECT_EQ(row_verdict(d2d), status::warn);
  EXPECT_NE(row_message(d2d).find("; floor: "), std::string::npos);
  EXPECT_NE(d2d.floor->message.find("40 % of the DRAM peak"), std::string::npos)
      << d2d.floor->message;
  EXPECT_NE(d2d.floor->message.find("memory clock"), std::string::npos);
  EXPECT_FALSE(d2d.floor->remedy.empty());

  const result_row& h2d = row(rows, "transfer.ce.u8.h2d_pinned.b268435456");
  EXPECT_EQ(h2d.floor->verdict, status::fail) << h2d.floor->message;
  EXPECT_EQ(h2d.floor->reason, reason_code::far_below_floor);
  EXPECT_EQ(row_verdict(h2d), status::fail);
  EXPECT_NE(h2d.floor->message.find("lower generation or width"), std::string::npos);
  EXPECT_NE(h2d.floor->message.find("the link reads PCIe Gen5 x16"), std::string::npos);
  EXPECT_NE(h2d.floor->remedy.find("x16 slot"), std::string::npos);

  const result_row& bf16 = row(rows, "gemm.cublas.bf16.m4096n4096k4096");
  EXPECT_EQ(bf16.floor->verdict, status::fail) << bf16.floor->message;
  // No NVML readings in these reports: the message says throttling cannot be ruled out.
  EXPECT_NE(bf16.floor->message.find("no clock readings"), std::string::npos);
  // Our WMMA GEMM is judged against the (slow) cuBLAS row all the same.
  EXPECT_EQ(row(rows, "gemm.own.bf16.m4096n4096k4096").floor->verdict, status::pass);

  // With a baseline the floors are information: the statuses stay.
  std::vector<result_row> info = rows_of("full-1");
  set_fraction(row(info, "transfer.ce.u8.d2d.b1073741824"), 0.40);
  apply_floors(info, policy, kLink, false);
  EXPECT_EQ(row_verdict(row(info, "transfer.ce.u8.d2d.b1073741824")), status::pass);
  EXPECT_EQ(row(info, "transfer.ce.u8.d2d.b1073741824").floor->verdict, status::warn);
  EXPECT_FALSE(row(info, "transfer.ce.u8.d2d.b1073741824").floor->applied);
}

TEST(Floors, AThrottledGpuIsSaidToBeThrottled) {
  std::vector<result_row> rows = rows_of("full-1");
  result_row& sgemm = row(rows, "gemm.cublas.f32.m4096n4096k4096");
  set_fraction(sgemm, 0.29);  // what half the SM clock does to a compute-bound row
  clock_block c;
  c.readings = 187;
  c.sm_mhz_max = 1980;
  c.sm_mhz_median = 990;  // half its maximum
  c.mem_mhz_median = 3201;
  c.throttled_fraction = 1.0;
  c.reasons = {"power cap"};
  sgemm.clocks = c;
  apply_floors(rows, default_policy(), kLink, true);
  const std::string& m = row(rows, "gemm.cublas.f32.m4096n4096k4096").floor->message;
  EXPECT_NE(m.find("throttled: SM clock 0.99 of 1.98 GHz"), std::string::npos) << m;
  EXPECT_NE(m.find("reason: power cap"), std::string::npos) << m;
}

TEST(Floors, UnknownLinkOrAnUnknownCardAreHandled) {
  // On WSL 2 the GPU has no PCI sysfs node: no link peak, so link floors are skipped, saying so.
  std::vector<result_row> rows = rows_of("quick-1");
  for (result_row& r : rows)
    if (r.id.find("pinned") != std::string::npos && r.throughput) {
      r.throughput->peak.reset();
      r.throughput->fraction_of_peak.reset();
    }
  const std::string wsl_link = "unknown: no PCI sysfs entry for the GPU (normal on WSL 2)";
  apply_floors(rows, default_policy(), wsl_link, true);
  const result_row& h2d = row(rows, "transfer.ce.u8.h2d_pinned.b268435456");
  ASSERT_TRUE(h2d.floor);
  EXPECT_EQ(h2d.floor->verdict, status::skip);
  EXPECT_EQ(h2d.floor->reason, reason_code::peak_unknown);
  EXPECT_NE(h2d.floor->message.find("normal on WSL 2"), std::string::npos) << h2d.floor->message;
  EXPECT_EQ(row_verdict(h2d), status::pass);
  // Floors use the device's own peaks, carried by each row: a card no baseline knows is judged
  // the same way (nothing here depends on the GPU's name).
  EXPECT_EQ(row(rows, "transfer.ce.u8.d2d.b268435456").floor->verdict, status::pass);
}

TEST(Floors, EveryFloorHasASourceAndSaneBounds) {
  const json doc = read_json_file(std::string(WSLCUDA_SOURCE_DIR) + "/ci/gate-policy.json");
  ASSERT_TRUE(doc.contains("floors"));
  const gate_policy policy = default_policy();
  ASSERT_EQ(policy.floors.size(), doc["floors"].size());
  for (const health_floor& f : policy.floors) {
    EXPECT_GT(f.source.size(), 60u) << f.glob;
    EXPECT_NE(f.source.find("H200"), std::string::npos) << f.glob;
    EXPECT_FALSE(f.causes.empty()) << f.glob;
    EXPECT_FALSE(f.remedy.empty()) << f.glob;
    EXPECT_LT(f.fail_below, f.warn_below) << f.glob;
    EXPECT_LT(f.warn_below, 1.0) << f.glob;
  }
}

TEST(Floors, LatenciesGetInformationNotAGate) {
  std::vector<result_row> rows = rows_of("full-1");
  const comparable_document reference =
      load_comparable(std::string(WSLCUDA_SOURCE_DIR) + "/reports/baselines/nvidia-h200.json");
  // Make the launch look 3x slower than bare metal: information only, the status stays.
  for (result_row& r : rows)
    if (r.id == "latency.runtime.none.launch") r.timing->median_s *= 3.0;
  add_latency_information(rows, {reference});
  const result_row& graph = row(rows, "latency.runtime.none.graph.n100");
  ASSERT_TRUE(graph.floor);
  EXPECT_EQ(graph.floor->verdict, status::skip);
  EXPECT_EQ(graph.floor->reason, reason_code::information);
  EXPECT_FALSE(graph.floor->applied);
  EXPECT_NE(graph.floor->message.find("a graph node costs"), std::string::npos)
      << graph.floor->message;
  EXPECT_NE(graph.floor->message.find("bare metal:"), std::string::npos);
  EXPECT_NE(graph.floor->message.find("NVIDIA H200 (nvidia-h200.json)"), std::string::npos);
  const result_row& launch = row(rows, "latency.runtime.none.launch");
  EXPECT_EQ(launch.status, status::pass);
  ASSERT_TRUE(launch.floor);
  EXPECT_NE(launch.floor->message.find("bare metal: 3.65 us"), std::string::npos)
      << launch.floor->message;
}

}  // namespace wslcuda
