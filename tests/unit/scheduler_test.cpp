#include "suite/scheduler.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "model/worker_protocol.hpp"
#include "report/journal.hpp"
#include "synthetic_workloads.hpp"

namespace wslcuda {
namespace {

using testing::synthetic_spec;
using testing::synthetic_workload;

target_info usable() {
  target_info t;
  t.usable = true;
  t.compute_capability = 90;
  t.name = "H100";
  t.peak_flops["f32"] = 6.7e13;
  t.missing_libraries["cudnn"] = "not found";
  t.kernel_exec_timeout = true;
  t.l2_cache_bytes = 50 << 20;
  t.host_link_bytes_per_s = 63e9;
  t.host_link = "PCIe Gen5 x16";
  t.device_count = 2;
  return t;
}

/// `n` synthetic device workloads (gemm.own.f32.w0, …) and the list the scheduler takes.
struct device_workloads {
  explicit device_workloads(int n) {
    for (int i = 0; i < n; ++i) {
      synthetic_spec s;
      s.id = "gemm.own.f32.w" + std::to_string(i);
      owned.push_back(std::make_unique<synthetic_workload>(s));
      list.push_back(owned.back().get());
    }
  }
  std::vector<std::unique_ptr<synthetic_workload>> owned;
  std::vector<workload*> list;
};

/// An error row for `w` whose message names a lost device (the TDR watchdog's 702), with
/// `error` as its field.
result_row launch_timeout_row(workload& w, error_block error) {
  result_row row = skipped_row(w, 0, "");
  row.status = status::error;
  row.message = "k.cu:1: cudaErrorLaunchTimeout (the launch timed out and was terminated)";
  row.error = std::move(error);
  return row;
}

}  // namespace

TEST(Scheduler, TwoDeviceLostErrorsInARowSkipTheRest) {
  const device_workloads w(5);
  int ran = 0;
  auto in_process = [&](workload& one) {
    ++ran;
    return launch_timeout_row(one, error_block{error_kind::cuda, "cudaErrorLaunchTimeout"});
  };
  schedule_options o;
  o.isolation = false;
  const schedule_outcome out = run_scheduled(w.list, usable(), o, in_process);
  ASSERT_EQ(out.rows.size(), 5u);
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(out.rows[1].status, status::error);
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(out.rows[i].status, status::skip);
    EXPECT_NE(out.rows[i].message.find("device lost"), std::string::npos);
  }
}

TEST(Scheduler, AMessageThatNamesACudaErrorIsNotADeviceLoss) {
  // Only the row's error field counts: the same words in a message (or in an exception that is
  // not a CUDA error) change nothing, so rewording a message cannot change behaviour.
  const device_workloads w(4);
  int ran = 0;
  auto in_process = [&](workload& one) {
    ++ran;
    return launch_timeout_row(one, error_block{error_kind::exception, ""});
  };
  schedule_options o;
  o.isolation = false;
  const schedule_outcome out = run_scheduled(w.list, usable(), o, in_process);
  EXPECT_EQ(ran, 4);
  for (const result_row& r : out.rows) EXPECT_EQ(r.status, status::error);
}

TEST(Scheduler, APassInBetweenResetsTheDeviceLostCount) {
  const device_workloads w(4);
  int call = 0;
  auto in_process = [&](workload& one) {
    if (call++ != 1)
      return launch_timeout_row(one, error_block{error_kind::cuda, "cudaErrorIllegalAddress"});
    result_row row = skipped_row(one, 0, "");
    row.status = status::pass;
    row.message = "ok";
    return row;
  };
  schedule_options o;
  o.isolation = false;
  const schedule_outcome out = run_scheduled(w.list, usable(), o, in_process);
  EXPECT_EQ(call, 4);  // error, pass, error, error: never two in a row before the last
  EXPECT_FALSE(out.interrupted);
}

TEST(Scheduler, InterruptStopsBeforeTheNextWorkload) {
  synthetic_workload a(synthetic_spec{});
  std::atomic<int> interrupt{0};
  schedule_options o;
  o.isolation = false;
  o.interrupt = &interrupt;
  auto in_process = [&](workload& w) {
    interrupt = 2;  // SIGINT arrives while the first workload runs
    result_row row = skipped_row(w, 0, "");
    row.status = status::pass;
    row.message = "ok";
    return row;
  };
  const schedule_outcome out = run_scheduled({&a, &a}, usable(), o, in_process);
  EXPECT_TRUE(out.interrupted);
  EXPECT_EQ(out.rows.size(), 1u);
}

TEST(Job, RoundTrip) {
  worker_job j;
  j.ids = {"gemm.own.f32.m1024n1024k1024", "gemm.own.f32.m16n4096k4096"};
  j.device = 1;
  j.seed = 0x77736c63756461;
  j.quick = true;
  j.synthetic = true;
  j.target = usable();
  j.sampling = quick_sampling_policy();
  const worker_job back = worker_job_from_json(json::parse(to_json(j).dump()));
  EXPECT_EQ(back.ids, j.ids);
  EXPECT_EQ(back.target.l2_cache_bytes, j.target.l2_cache_bytes);
  EXPECT_DOUBLE_EQ(back.target.host_link_bytes_per_s, 63e9);
  EXPECT_EQ(back.target.host_link, "PCIe Gen5 x16");
  EXPECT_EQ(back.target.device_count, 2);
  EXPECT_EQ(back.device, 1);
  EXPECT_EQ(back.seed, j.seed);
  EXPECT_TRUE(back.quick);
  EXPECT_TRUE(back.synthetic);
  EXPECT_TRUE(back.target.usable);
  EXPECT_TRUE(back.target.kernel_exec_timeout);
  EXPECT_DOUBLE_EQ(back.target.peak_flops.at("f32"), 6.7e13);
  EXPECT_EQ(back.target.missing_libraries.at("cudnn"), "not found");
  EXPECT_DOUBLE_EQ(back.sampling.max_time_s, j.sampling.max_time_s);
  json broken = to_json(j);
  broken["target"].erase("usable");
  EXPECT_THROW(worker_job_from_json(broken), input_error);
  json no_ids = to_json(j);
  no_ids["ids"] = json::array();
  EXPECT_THROW(worker_job_from_json(no_ids), input_error);
  EXPECT_THROW(worker_job_from_json(json::array()), input_error);
}

TEST(Journal, AppendsLinesAndRemovesItself) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "journal-test";
  std::filesystem::create_directories(dir);
  const auto path = journal_path_for(dir / "r.json");
  EXPECT_EQ(path.filename(), "r.json.journal");
  {
    journal j(path);
    j.append(json{{"id", "a"}});
    j.append(json{{"id", "b"}});
    std::ifstream in(path);
    std::string l1, l2;
    std::getline(in, l1);
    std::getline(in, l2);
    EXPECT_EQ(json::parse(l1)["id"], "a");
    EXPECT_EQ(json::parse(l2)["id"], "b");
    j.remove();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_THROW(journal(dir / "no/such/dir/x.journal"), std::runtime_error);
}

}  // namespace wslcuda
