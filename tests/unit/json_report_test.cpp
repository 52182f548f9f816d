#include "model/report_json.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace wslcuda {
namespace {

result_row full_row() {
  result_row r;
  r.id = "gemm.own.f32.m2n2k2";
  r.family = "gemm";
  r.implementation = "own";
  r.precision = "f32";
  r.shape = {{"M", 2}, {"N", 2}, {"K", 2}};
  r.device = 1;
  r.status = status::pass;
  r.message = "ok";
  r.flops = 16;
  r.bytes = 48;
  r.correctness = correctness_block{"metric", 1e-7, 2e-7, "method", 12345678901234567ULL, 4, 0, 0};
  timing_block t;
  t.mode = "cuda_event, one run per sample";
  t.samples = 3;
  t.batch = 1;
  t.warmup_runs = 2;
  t.median_s = 2e-6;
  t.mean_s = 2.1e-6;
  t.min_s = 1e-6;
  t.max_s = 3.3e-6;
  t.stdev_rel = 0.4;
  t.ci95_lo_s = 1e-6;
  t.ci95_hi_s = 3.3e-6;
  t.stop_reason = "converged";
  t.values_s = {1e-6, 2e-6, 3.3e-6};
  t.p90_s = 3.1e-6;
  t.p99_s = 3.28e-6;
  r.timing = t;
  r.metrics = {{"busbw_bytes_per_s", 2.5e9}, {"algbw_bytes_per_s", 2.5e9}};
  r.throughput = throughput_block{8e6, "FLOP/s", 1e12, 8e-6};
  return r;
}

}  // namespace

TEST(JsonReport, ResultRoundTrip) {
  const result_row r = full_row();
  const result_row back = result_from_json(json::parse(to_json(r).dump()));
  EXPECT_EQ(back.id, r.id);
  EXPECT_EQ(back.shape, r.shape);
  EXPECT_EQ(back.device, 1);
  EXPECT_EQ(back.status, status::pass);
  ASSERT_TRUE(back.correctness && back.timing && back.throughput);
  EXPECT_EQ(back.correctness->seed, 12345678901234567ULL);  // 64-bit seeds survive
  EXPECT_DOUBLE_EQ(back.correctness->bound, 2e-7);
  EXPECT_EQ(back.timing->values_s, r.timing->values_s);
  EXPECT_DOUBLE_EQ(back.timing->ci95_hi_s, 3.3e-6);
  EXPECT_EQ(back.timing->stop_reason, "converged");
  EXPECT_DOUBLE_EQ(back.timing->p90_s, 3.1e-6);
  EXPECT_DOUBLE_EQ(back.timing->p99_s, 3.28e-6);
  EXPECT_DOUBLE_EQ(*back.throughput->fraction_of_peak, 8e-6);
  ASSERT_EQ(back.metrics.size(), 2u);
  EXPECT_EQ(back.metrics[0].first, "busbw_bytes_per_s");  // the workload's order survives
  EXPECT_EQ(back.metrics[1].first, "algbw_bytes_per_s");
  EXPECT_DOUBLE_EQ(back.metrics[1].second, 2.5e9);
}

TEST(JsonReport, AnErrorRowCarriesItsKindAndCudaName) {
  result_row r = full_row();
  r.status = status::error;
  r.error = error_block{error_kind::cuda, "cudaErrorIllegalAddress"};
  const json j = to_json(r);
  EXPECT_EQ(j["error"]["kind"], "cuda");
  EXPECT_EQ(j["error"]["cuda_name"], "cudaErrorIllegalAddress");
  const result_row back = result_from_json(json::parse(j.dump()), "x");
  ASSERT_TRUE(back.error.has_value());
  EXPECT_EQ(back.error->kind, error_kind::cuda);
  EXPECT_EQ(back.error->cuda_name, "cudaErrorIllegalAddress");
  // Absent before 1.3.0 and on rows without an error: no object written, none read.
  EXPECT_FALSE(to_json(full_row()).contains("error"));
  EXPECT_FALSE(result_from_json(to_json(full_row())).error.has_value());
  // A timeout has no CUDA name: the key is left out.
  r.error = error_block{error_kind::timeout, ""};
  EXPECT_FALSE(to_json(r)["error"].contains("cuda_name"));
  json bad = j;
  bad["error"]["kind"] = "device_lost";
  try {
    (void)result_from_json(bad, "r.json: /results/0");
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("r.json: /results/0/error/kind"), std::string::npos)
        << e.what();
  }
}

TEST(JsonReport, Version1_0ReportsWithoutPercentilesOrMetricsStillRead) {
  json j = to_json(full_row());
  j["timing"].erase("p90_s");
  j["timing"].erase("p99_s");
  j.erase("metrics");
  const result_row back = result_from_json(j);
  EXPECT_EQ(back.timing->p90_s, 0.0);
  EXPECT_TRUE(back.metrics.empty());
  j["metrics"] = json{{"busbw_bytes_per_s", "fast"}};
  EXPECT_THROW(result_from_json(j), input_error);
}

TEST(JsonReport, HostLinkIsWrittenOrNullWhenUnknown) {
  run_report rep;
  device_record known;
  known.host_link = {63e9, 5, 16, "PCIe Gen5 x16 (sysfs)"};
  device_record wsl;
  wsl.index = 1;
  wsl.host_link.description = "unknown: no PCI sysfs entry for 0000:01:00.0";
  rep.env.devices = {known, wsl};
  const json j = report_to_json(rep);
  EXPECT_DOUBLE_EQ(j["devices"][0]["host_link"]["bytes_per_s"].get<double>(), 63e9);
  EXPECT_EQ(j["devices"][0]["host_link"]["generation"], 5);
  EXPECT_TRUE(j["devices"][1]["host_link"]["bytes_per_s"].is_null());
  EXPECT_TRUE(j["devices"][1]["host_link"]["width"].is_null());
}

TEST(JsonReport, SkippedRowHasNullBlocks) {
  result_row r = full_row();
  r.status = status::skip;
  r.correctness.reset();
  r.timing.reset();
  r.throughput.reset();
  const json j = to_json(r);
  EXPECT_TRUE(j.at("correctness").is_null());
  EXPECT_TRUE(j.at("timing").is_null());
  EXPECT_TRUE(j.at("baseline").is_null());
  const result_row back = result_from_json(j);
  EXPECT_FALSE(back.timing.has_value());
}

TEST(JsonReport, NonFiniteErrorIsWrittenAsNull) {
  result_row r = full_row();
  r.correctness->value = INFINITY;  // NaN survived in the output
  const json j = to_json(r);
  EXPECT_TRUE(j["correctness"]["value"].is_null());
  EXPECT_FALSE(json::parse(j.dump())["correctness"]["value"].is_number());
  EXPECT_TRUE(std::isinf(result_from_json(j).correctness->value));
}

TEST(JsonReport, ReaderErrorsNameTheJsonPointer) {
  json j = to_json(full_row());
  j["status"] = "passed";
  try {
    (void)result_from_json(j, "r.json: /results/3");
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("r.json: /results/3/status"), std::string::npos)
        << e.what();
  }
  json k = to_json(full_row());
  k["timing"].erase("median_s");
  EXPECT_THROW((void)result_from_json(k, "x"), input_error);
  json m = to_json(full_row());
  m["shape"]["M"] = "2";
  try {
    (void)result_from_json(m, "x");
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("/shape/M"), std::string::npos) << e.what();
  }
}

TEST(JsonReport, DocumentHasTheDesignKeysAndSummary) {
  run_report rep;
  rep.command = "run";
  rep.argv = {"wslcuda", "run"};
  rep.env.no_device_reason = "no CUDA driver: libcuda.so.1 not found (cudaErrorInsufficientDriver)";
  rep.env.checks.push_back({"cuda.driver", status::fail, "no CUDA driver", "install it"});
  result_row skipped = full_row();
  skipped.status = status::skip;
  rep.results.push_back(skipped);
  rep.exit_code = 3;
  const json j = report_to_json(rep);
  for (const char* key :
       {"schema_version", "tool", "started_at", "finished_at", "host", "driver", "libraries",
        "dxcore_adapters", "devices", "checks", "results", "summary"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["schema_version"], kReportSchemaVersion);
  EXPECT_EQ(j["tool"]["name"], "wslcuda");
  EXPECT_EQ(j["summary"]["verdict"], "fail");
  EXPECT_EQ(j["summary"]["exit_code"], 3);
  EXPECT_EQ(j["summary"]["counts"]["skip"], 1);
  EXPECT_EQ(j["summary"]["check_counts"]["fail"], 1);
  EXPECT_NE(j["summary"]["message"].get<std::string>().find("libcuda.so.1 not found"),
            std::string::npos);
  EXPECT_EQ(j["checks"][0]["remedy"], "install it");
}

TEST(JsonReport, UtcTimestampFormat) {
  const std::string t = utc_now_iso8601();
  ASSERT_EQ(t.size(), 20u);
  EXPECT_EQ(t[4], '-');
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t.back(), 'Z');
}

}  // namespace wslcuda
