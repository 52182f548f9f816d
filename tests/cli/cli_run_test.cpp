// `wslcuda run` and `doctor`: reports and exit codes without a GPU, fake roots, worker isolation,
// repeats, samples.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

TEST(Cli, RunWritesAValidReportAndTheExitCodeMatchesIt) {
  const fs::path report = work_dir() / "run.json";
  fs::remove(report);
  const outcome o = wslcuda("run --quick --json run.json --no-progress");
  ASSERT_TRUE(fs::exists(report)) << o.output;
  const json j = read_json(report);
  EXPECT_EQ(validate_with_schema(report, "report.schema.json"), 0);
  EXPECT_EQ(j["summary"]["exit_code"], o.exit_code);
  EXPECT_EQ(j["results"].size(), json::parse(wslcuda("list --json --quick").output).size());
  EXPECT_NE(o.output.find("report: "), std::string::npos);
  EXPECT_NE(o.output.find("verdict: "), std::string::npos);
  if (j["devices"].empty()) {
    // This machine: no GPU. Nothing validated, each workload skipped with a reason a user reads.
    EXPECT_EQ(o.exit_code, 3) << o.output;
    const std::string reason = j["summary"]["message"];
    EXPECT_NE(reason.find("nothing could be validated"), std::string::npos) << reason;
    for (const json& r : j["results"]) {
      EXPECT_EQ(r["status"], "skip") << r["id"];
      EXPECT_FALSE(r["message"].get<std::string>().empty()) << r["id"];
      EXPECT_NE(reason.find(r["message"].get<std::string>()), std::string::npos) << r["message"];
    }
  } else {
    EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.output;
    for (const json& r : j["results"])
      EXPECT_NE(r["status"], "error") << r["id"] << ": " << r["message"];
  }
}

TEST(Cli, RunUnderAFakeRootValidatesNothing) {
  const outcome o = wslcuda("run --json root.json --no-progress --root '" WSLCUDA_SOURCE_DIR
                            "/tests/fixtures/roots/wsl2-ubuntu-22.04'");
  EXPECT_EQ(o.exit_code, 3) << o.output;
  const json j = read_json(work_dir() / "root.json");
  EXPECT_EQ(j["host"]["is_wsl"], true);
  EXPECT_EQ(j["host"]["wsl_version"], 2);
  for (const json& r : j["results"]) EXPECT_EQ(r["status"], "skip");
  EXPECT_EQ(validate_with_schema(work_dir() / "root.json", "report.schema.json"), 0);
}

TEST(Cli, DoctorUnderAFakeRootReadsItsFiles) {
  const outcome o = wslcuda("doctor --json doctor.json --root '" WSLCUDA_SOURCE_DIR
                            "/tests/fixtures/roots/baremetal-linux-nvidia'");
  EXPECT_EQ(o.exit_code, 0) << o.output;  // live checks skipped by design under --root
  const json j = read_json(work_dir() / "doctor.json");
  EXPECT_EQ(j["host"]["is_wsl"], false);
  EXPECT_EQ(j["driver"]["kernel_module_version"], "580.65.06");
  EXPECT_EQ(j["tool"]["command"], "doctor");
  for (const json& c : j["checks"]) EXPECT_EQ(c["status"], "skip") << c;
  EXPECT_EQ(validate_with_schema(work_dir() / "doctor.json", "report.schema.json"), 0);
}

TEST(Cli, DoctorLiveHereReportsWhyThereIsNoDevice) {
  const outcome o = wslcuda("doctor --json live-doctor.json");
  const json j = read_json(work_dir() / "live-doctor.json");
  EXPECT_EQ(validate_with_schema(work_dir() / "live-doctor.json", "report.schema.json"), 0);
  EXPECT_EQ(j["summary"]["exit_code"], o.exit_code);
  std::vector<std::string> ids;
  for (const json& c : j["checks"]) ids.push_back(c["id"]);
  for (const char* id : {"host.wsl", "wsl.dxcore", "cuda.driver", "cuda.pinned_memory",
                         "lib.cublas", "lib.cudnn", "lib.nccl", "lib.nvrtc", "lib.nvml"})
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  if (j["devices"].empty()) {
    EXPECT_EQ(o.exit_code, 3) << o.output;
    EXPECT_NE(o.output.find("remedy: "), std::string::npos) << o.output;
  } else {
    EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.output;
  }
}

TEST(Cli, DoctorFindsALinuxDriverInsideWsl) {
  const outcome o =
      wslcuda("doctor --root '" WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl2-linux-driver'");
  EXPECT_EQ(o.exit_code, 1) << o.output;
  EXPECT_NE(o.output.find("[FAIL ] wsl.linux_driver"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("apt-get remove --purge nvidia-driver-535"), std::string::npos)
      << o.output;
  const outcome wsl1 = wslcuda("doctor --root '" WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl1'");
  EXPECT_EQ(wsl1.exit_code, 1) << wsl1.output;
  EXPECT_NE(wsl1.output.find("wsl --set-version"), std::string::npos) << wsl1.output;
}

#ifdef WSLCUDA_SANITIZED
// AddressSanitizer reserves terabytes of address space: a worker under RLIMIT_AS cannot start,
// so the memory hog is left out of sanitized runs.
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

TEST(Cli, EachMisbehavingWorkloadLosesOnlyItself) {
  // Production time limits (20 s and up) for every workload but the hang, whose own limit is
  // 1 s: nothing here depends on the machine's speed. 768 MiB address space for the memory hog.
  const outcome o = wslcuda(
      std::string("run --synthetic --filter '") +
      (kSanitized ? "synthetic.host.f32.[a-l]*,synthetic.host.f32.[n-z]*" : "synthetic.host.*") +
      "' " + (kSanitized ? "" : "--worker-memory-limit 805306368 ") +
      "--quick --no-progress --json synthetic.json");
  const json j = read_json(work_dir() / "synthetic.json");
  EXPECT_EQ(validate_with_schema(work_dir() / "synthetic.json", "report.schema.json"), 0);
  EXPECT_EQ(j["results"].size(), kSanitized ? 10u : 11u);
  EXPECT_EQ(result_of(j, "synthetic.host.f32.ok").first, "pass");
  EXPECT_EQ(result_of(j, "synthetic.host.f32.sleep").first, "pass");
  const auto expect_error = [&](const char* id, const char* text) {
    const auto [st, msg] = result_of(j, id);
    EXPECT_EQ(st, "error") << id;
    EXPECT_NE(msg.find(text), std::string::npos) << id << ": " << msg;
  };
  expect_error("synthetic.host.f32.hang", "timed out after ");
  // Under AddressSanitizer the SEGV is caught and reported by the sanitizer itself.
  expect_error("synthetic.host.f32.segfault", kSanitized ? "SEGV" : "worker killed by SIGSEGV");
  expect_error("synthetic.host.f32.abort", "worker killed by SIGABRT");
  expect_error("synthetic.host.f32.throw", "cudaErrorIllegalAddress");
  expect_error("synthetic.host.f32.garbage", "garbage on the worker pipe");
  expect_error("synthetic.host.f32.exit", "worker exited with code 3");
  if (!kSanitized) expect_error("synthetic.host.f32.memory", "bad_alloc");
  EXPECT_EQ(result_of(j, "synthetic.host.f32.wrong").first, "fail");
  // A host-timed latency distribution: percentiles in order, and as many samples as the latency
  // policy takes (at least 100).
  for (const json& r : j["results"]) {
    if (r["id"] != "synthetic.host.f32.latency") continue;
    EXPECT_EQ(r["status"], "pass") << r.dump();
    const json& t = r["timing"];
    EXPECT_GE(t["samples"].get<int>(), 100);
    EXPECT_EQ(t["batch"], 1);
    EXPECT_LE(t["median_s"].get<double>(), t["p90_s"].get<double>());
    EXPECT_LE(t["p90_s"].get<double>(), t["p99_s"].get<double>());
    EXPECT_LE(t["p99_s"].get<double>(), t["max_s"].get<double>());
    EXPECT_NE(t["mode"].get<std::string>().find("busy wait"), std::string::npos);
  }
  // The GPU part of the environment decides between 3 (no device here) and 1 (failures).
  EXPECT_EQ(o.exit_code, j["devices"].empty() ? 3 : 1) << o.output;
  EXPECT_FALSE(fs::exists(work_dir() / "synthetic.json.journal"));  // removed after the report
}

TEST(Cli, AWorkerGroupSharesAProcessAndLosesOnlyTheFailingMember) {
  wslcuda(
      "run --synthetic --filter 'synthetic.group.*' --quick "
      "--no-progress --json group.json");
  const json j = read_json(work_dir() / "group.json");
  ASSERT_EQ(j["results"].size(), 6u);
  const auto pid_of = [&](const char* id) {
    const auto [st, msg] = result_of(j, id);
    EXPECT_EQ(st, "pass") << id << ": " << msg;
    return msg.substr(msg.find("(pid "));
  };
  const std::string a = pid_of("synthetic.group.f32.a_ok");
  EXPECT_EQ(pid_of("synthetic.group.f32.b_ok"), a);  // one worker for both
  const auto [c_status, c_msg] = result_of(j, "synthetic.group.f32.c_segfault");
  EXPECT_EQ(c_status, "error");
  EXPECT_NE(c_msg.find(kSanitized ? "SEGV" : "worker killed by SIGSEGV"), std::string::npos);
  const std::string d = pid_of("synthetic.group.f32.d_ok");  // a new worker after the crash
  EXPECT_NE(d, a);
  const auto [e_status, e_msg] = result_of(j, "synthetic.group.f32.e_hang");
  EXPECT_EQ(e_status, "error");
  // The hang costs its own limit (1 s), not the group's.
  EXPECT_NE(e_msg.find("timed out after 1 s"), std::string::npos) << e_msg;
  const std::string f = pid_of("synthetic.group.f32.f_ok");
  EXPECT_NE(f, d);
}

TEST(Cli, RepeatRunsFreshExecutionsAndTheRowKeepsThem) {
  const outcome o = wslcuda(
      "run --synthetic --filter 'synthetic.group.f32.a_ok,synthetic.host.f32.latency' --repeat 3 "
      "--quick --no-progress --json repeat.json");
  const json j = read_json(work_dir() / "repeat.json");
  EXPECT_EQ(validate_with_schema(work_dir() / "repeat.json", "report.schema.json"), 0);
  ASSERT_EQ(j["results"].size(), 2u) << o.output;  // one row per id
  for (const json& r : j["results"]) {
    ASSERT_EQ(r["executions"].size(), 3u) << r["id"];
    std::size_t samples = 0;
    for (const json& e : r["executions"]) samples += e["samples"].get<std::size_t>();
    EXPECT_EQ(samples, r["timing"]["values_s"].size()) << r["id"];
    EXPECT_NE(r["message"].get<std::string>().find("(3 executions)"), std::string::npos);
  }
  EXPECT_EQ(result_of(j, "synthetic.host.f32.latency").first, "pass");
  // Where the time went: per row (a worker's start-up included) and for the run.
  for (const json& r : j["results"]) {
    ASSERT_TRUE(r["phases_s"].is_object()) << r["id"];
    EXPECT_FALSE(r["phases_s"]["worker"].is_null()) << r["id"];
    EXPECT_GT(r["phases_s"]["samples"].get<double>(), 0.0) << r["id"];
  }
  const json& summary = j["summary"];
  ASSERT_TRUE(summary["phases_s"]["families"].contains("synthetic")) << summary.dump();
  EXPECT_GE(summary["wall_s"].get<double>(),
            summary["phases_s"]["families"]["synthetic"].get<double>() +
                summary["phases_s"]["probe"].get<double>());
  EXPECT_NE(o.output.find("wall time "), std::string::npos) << o.output;
  for (const json& r : j["results"]) {
    if (r["id"] == "synthetic.host.f32.latency") {
      EXPECT_EQ(r["bound"], "host");
    }
  }
  EXPECT_EQ(wslcuda("run --repeat 0 --json ''").exit_code, 2);
}

TEST(Cli, NoIsolationRunsInProcess) {
  const outcome o = wslcuda(
      "run --synthetic --no-isolation --filter 'synthetic.host.f32.ok,synthetic.host.f32.throw' "
      "--quick --no-progress --json inproc.json");
  const json j = read_json(work_dir() / "inproc.json");
  EXPECT_NE(o.output.find("in process"), std::string::npos);
  EXPECT_EQ(result_of(j, "synthetic.host.f32.ok").first, "pass");
  EXPECT_EQ(result_of(j, "synthetic.host.f32.throw").first, "error");
}

TEST(Cli, RunWritesJunitAndMarkdownAndRejectsBadInputsFirst) {
  const outcome o =
      wslcuda("run --quick --no-progress --json r2.json --junit r2.xml --markdown r2.md");
  ASSERT_TRUE(fs::exists(work_dir() / "r2.xml")) << o.output;
  ASSERT_TRUE(fs::exists(work_dir() / "r2.md"));
  std::ifstream xml(work_dir() / "r2.xml");
  const std::string text((std::istreambuf_iterator<char>(xml)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<testsuites name=\"wslcuda\""), std::string::npos);
  EXPECT_NE(text.find("name=\"cuda.driver\""), std::string::npos);
  const json j = read_json(work_dir() / "r2.json");
  for (const json& r : j["results"]) {
    ASSERT_TRUE(r["baseline"].is_object()) << r["id"];  // --baseline auto: says why none applies
    EXPECT_NE(r["baseline"]["message"].get<std::string>().find("baseline"), std::string::npos);
  }
  std::ofstream(work_dir() / "broken-policy.json") << "{";
  fs::remove(work_dir() / "r3.json");
  const outcome bad = wslcuda("run --quick --json r3.json --policy broken-policy.json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("broken-policy.json:1:"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(work_dir() / "r3.json"));
  EXPECT_EQ(wslcuda("run --quick --json r3.json --baseline no-such-baseline.json").exit_code, 2);
  EXPECT_FALSE(fs::exists(work_dir() / "r3.json"));
}

TEST(Cli, SamplesRunInTheirOwnProcessesAndJoinTheReport) {
  const outcome o =
      wslcuda("run --quick --no-progress --samples --filter 'reduce.*' --json samples.json");
  const json j = read_json(work_dir() / "samples.json");
  EXPECT_EQ(validate_with_schema(work_dir() / "samples.json", "report.schema.json"), 0);
  int samples = 0;
  for (const json& r : j["results"]) {
    if (r["family"] != "sample") continue;
    ++samples;
    if (j["devices"].empty()) {
      // No GPU: every sample waives itself with the reason, which the report keeps.
      EXPECT_EQ(r["status"], "skip") << r["id"] << ": " << r["message"];
      EXPECT_NE(r["message"].get<std::string>().find("no CUDA device"), std::string::npos)
          << r["message"];
    } else {
      EXPECT_NE(r["status"], "error") << r["id"] << ": " << r["message"];
    }
  }
  EXPECT_EQ(samples, 9) << o.output;
}

}  // namespace
}  // namespace wslcuda_cli_test
