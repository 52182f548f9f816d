// Child processes that succeed, crash, hang, ignore SIGTERM, flood stdout or leave grandchildren:
// run_child must come back with the right description every time. The children are /bin/sh
// one-liners; no assertion is made on durations.

#include "suite/isolation.hpp"

#include <gtest/gtest.h>

#include <csignal>

#include "model/report_json.hpp"

namespace wslcuda {
namespace {

child_result sh(const std::string& script, double timeout_s = 30.0, double grace_s = 3.0,
                const std::string& stdin_data = "", const std::atomic<int>* interrupt = nullptr) {
  child_request r;
  r.argv = {"/bin/sh", "-c", script};
  r.timeout_s = timeout_s;
  r.grace_s = grace_s;
  r.stdin_data = stdin_data;
  return run_child(r, interrupt);
}

workload_info info_for(const std::string& id) {
  workload_info i;
  i.id = id;
  i.family = "gemm";
  i.implementation = "own";
  i.precision = "f32";
  i.shape = {{"M", 8}};
  return i;
}

}  // namespace

TEST(RunChild, CapturesStdoutStderrAndExitCode) {
  const child_result r = sh("echo out; echo err >&2; exit 7");
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.stdout_data, "out\n");
  EXPECT_EQ(r.stderr_tail, "err\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(RunChild, PassesStdin) {
  const std::string job(200000, 'j');  // larger than a pipe buffer
  const child_result r = sh("wc -c", 30.0, 3.0, job);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(std::stoul(r.stdout_data), job.size());
}

TEST(RunChild, ReportsTheKillingSignal) {
  const child_result r = sh("kill -SEGV $$");
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_EQ(signal_description(SIGSEGV), "SIGSEGV (Segmentation fault)");
}

TEST(RunChild, TimesOutWithSigterm) {
  const child_result r = sh("sleep 100", 0.3);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.killed);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.signal, SIGTERM);
}

TEST(RunChild, EscalatesToSigkillWhenSigtermIsIgnored) {
  const child_result r = sh("trap '' TERM; while :; do sleep 1; done", 0.3, 0.3);
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.killed);
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST(RunChild, GrandchildrenHoldingThePipesDoNotKeepItWaiting) {
  const child_result r = sh("sleep 100 & echo done", 30.0);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_data, "done\n");
}

TEST(RunChild, CapsAFloodOfOutput) {
  child_request req;
  req.argv = {"/bin/sh", "-c", "head -c 50000000 /dev/zero"};
  req.max_output_bytes = 1 << 20;
  const child_result r = run_child(req);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_data.size(), std::size_t{1} << 20);
}

TEST(RunChild, StopsWhenTheParentIsInterrupted) {
  std::atomic<int> interrupt{SIGINT};
  const child_result r = sh("sleep 100", 30.0, 3.0, "", &interrupt);
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.timed_out);
}

TEST(RunChild, MissingExecutable) {
  child_request req;
  req.argv = {"/nonexistent/wslcuda-worker"};
  const child_result r = run_child(req);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.stderr_tail.find("exec of the worker failed"), std::string::npos);
  EXPECT_FALSE(run_child(child_request{}).started);
}

TEST(ResultFromChild, UsesTheWorkersResultLine) {
  result_row row;
  row.id = "gemm.own.f32.m8";
  row.family = "gemm";
  row.implementation = "own";
  row.precision = "f32";
  row.status = status::pass;
  row.message = "ok";
  child_result c;
  c.started = c.exited = true;
  c.stdout_data =
      "noise from a library\n" + std::string(kResultLinePrefix) + to_json(row).dump() + "\n";
  const result_row r = result_from_child(info_for("gemm.own.f32.m8"), 0, c, 10);
  EXPECT_EQ(r.status, status::pass);
  EXPECT_EQ(r.message, "ok");
}

TEST(ResultFromChild, DescribesEachWayAWorkerCanEnd) {
  const workload_info info = info_for("gemm.own.f32.m8");
  child_result c;
  c.started = true;
  c.stderr_tail = "first\nCUDA error: cudaErrorIllegalAddress\n";

  c.signaled = true;
  c.signal = SIGSEGV;
  result_row r = result_from_child(info, 0, c, 10);
  EXPECT_EQ(r.status, status::error);
  EXPECT_EQ(r.id, info.id);
  EXPECT_EQ(r.message,
            "worker killed by SIGSEGV (Segmentation fault); last stderr line: CUDA error: "
            "cudaErrorIllegalAddress");
  // The kind is a field; a CUDA error named on stderr does not make the row a CUDA error.
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->kind, error_kind::crash);
  EXPECT_EQ(r.error->cuda_name, "");
  EXPECT_FALSE(is_device_lost(r.error));

  c = child_result{};
  c.started = c.timed_out = c.killed = c.signaled = true;
  c.signal = SIGKILL;
  EXPECT_EQ(result_from_child(info, 0, c, 12).message,
            "timed out after 12 s (SIGTERM ignored, then SIGKILL)");
  EXPECT_EQ(result_from_child(info, 0, c, 12).error->kind, error_kind::timeout);

  c = child_result{};
  c.started = c.exited = true;
  c.exit_code = 3;
  EXPECT_EQ(result_from_child(info, 0, c, 10).message, "worker exited with code 3");
  EXPECT_EQ(result_from_child(info, 0, c, 10).error->kind, error_kind::crash);

  c.exit_code = 0;
  c.stdout_data = "\x01garbage";
  EXPECT_EQ(result_from_child(info, 0, c, 10).message, "garbage on the worker pipe: '?garbage'");
  EXPECT_EQ(result_from_child(info, 0, c, 10).error->kind, error_kind::worker);

  c.stdout_data = std::string(kResultLinePrefix) + "{\"id\": \"gemm.own.f32.m8\", truncated";
  EXPECT_NE(result_from_child(info, 0, c, 10).message.find("malformed result from the worker"),
            std::string::npos);

  c.stdout_data = "";
  EXPECT_EQ(result_from_child(info, 0, c, 10).message, "worker ended without a result");

  c = child_result{};
  c.started = c.exited = true;
  c.exit_code = 1;
  c.stderr_tail =
      "==1==ERROR: AddressSanitizer: SEGV\nSUMMARY: AddressSanitizer: SEGV on unknown address "
      "(x)\n==1==ABORTING\n";
  EXPECT_EQ(result_from_child(info, 0, c, 10).message,
            "worker exited with code 1; last stderr line: SUMMARY: AddressSanitizer: SEGV on "
            "unknown address (x)");

  c = child_result{};
  c.start_error = "fork: Resource temporarily unavailable";
  EXPECT_EQ(result_from_child(info, 0, c, 10).message,
            "worker could not be started: fork: Resource temporarily unavailable");
  EXPECT_EQ(result_from_child(info, 0, c, 10).error->kind, error_kind::worker);

  c = child_result{};
  c.started = c.interrupted = true;
  EXPECT_EQ(result_from_child(info, 0, c, 10).error->kind, error_kind::interrupted);
}

TEST(ResultFromChild, RejectsAResultForAnotherWorkload) {
  result_row other;
  other.id = "conv.own.f32.direct.x";
  other.family = "conv";
  other.implementation = "own";
  other.precision = "f32";
  other.message = "ok";
  child_result c;
  c.started = c.exited = true;
  c.stdout_data = std::string(kResultLinePrefix) + to_json(other).dump() + "\n";
  const result_row r = result_from_child(info_for("gemm.own.f32.m8"), 0, c, 10);
  EXPECT_EQ(r.status, status::error);
  EXPECT_NE(r.message.find("instead of gemm.own.f32.m8"), std::string::npos);
}

TEST(DeviceLost, DecidedFromTheCudaErrorNameAlone) {
  EXPECT_TRUE(is_device_lost_cuda_error("cudaErrorLaunchTimeout"));
  EXPECT_TRUE(is_device_lost_cuda_error("cudaErrorIllegalAddress"));
  EXPECT_TRUE(is_device_lost_cuda_error("cudaErrorUnknown"));
  EXPECT_FALSE(is_device_lost_cuda_error("cudaErrorMemoryAllocation"));
  EXPECT_FALSE(is_device_lost_cuda_error("cudaErrorInvalidValue"));
  EXPECT_FALSE(is_device_lost_cuda_error("cudaErrorNoDeviceXyz"));
  EXPECT_FALSE(is_device_lost_cuda_error("x: cudaErrorIllegalAddress"));  // a name, not a text
  EXPECT_FALSE(is_device_lost_cuda_error(""));
  EXPECT_TRUE(is_device_lost(error_block{error_kind::cuda, "cudaErrorLaunchFailure"}));
  // Only a CUDA error: the same name under another kind (say, quoted by a crash) is not one.
  EXPECT_FALSE(is_device_lost(error_block{error_kind::exception, "cudaErrorLaunchFailure"}));
  EXPECT_FALSE(is_device_lost(std::nullopt));
}

TEST(DeviceLost, ErrorKindsRoundTripThroughTheirNames) {
  for (const error_kind k :
       {error_kind::exception, error_kind::cuda, error_kind::invalid_result, error_kind::timeout,
        error_kind::crash, error_kind::worker, error_kind::interrupted})
    EXPECT_EQ(error_kind_from_string(to_string(k)), k) << to_string(k);
  EXPECT_FALSE(error_kind_from_string("Cuda").has_value());
}

TEST(Timeouts, WorkloadBudgetIsClampedAndScaled) {
  EXPECT_DOUBLE_EQ(workload_timeout_s(3.0, 0.02, 2.0, 1.0), 20.0 + 2 * 3.02 + 4.0);
  EXPECT_DOUBLE_EQ(workload_timeout_s(0.0, 0.0, 0.0, 1.0), 20.0);   // floor
  EXPECT_DOUBLE_EQ(workload_timeout_s(1000, 0, 0, 1.0), 600.0);     // cap
  EXPECT_DOUBLE_EQ(workload_timeout_s(0.0, 0.0, 0.0, 0.05), 1.0);   // --timeout-scale
  EXPECT_DOUBLE_EQ(workload_timeout_s(0.0, 0.0, 0.0, -1.0), 20.0);  // nonsense scale ignored
}

TEST(Tdr, ChunksStayUnderTheLimitOnlyWithAWatchdog) {
  EXPECT_EQ(tdr_chunks(3.0, false), 1);
  EXPECT_EQ(tdr_chunks(3.0, true), 6);  // 0.5 s pieces
  EXPECT_EQ(tdr_chunks(0.5, true), 1);
  EXPECT_EQ(tdr_chunks(0.51, true), 2);
  EXPECT_EQ(tdr_chunks(1.9, true, 2.0), 1);
  EXPECT_EQ(tdr_chunks(0.0, true), 1);
  EXPECT_EQ(tdr_chunks(-1.0, true), 1);
  EXPECT_EQ(tdr_chunks(INFINITY, true), 1);
  EXPECT_EQ(tdr_chunks(1e300, true), 1000000);
}

}  // namespace wslcuda
