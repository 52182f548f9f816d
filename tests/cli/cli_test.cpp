// Runs the built wslcuda binary end to end. On a machine without a GPU (this repository's CI)
// `run` must exit 3 with a valid report in which every workload is skipped with the reason; on
// a GPU machine the same tests check the other branch.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

fs::path work_dir() {
  const fs::path dir = fs::path(::testing::TempDir()) / "wslcuda-cli";
  fs::create_directories(dir);
  return dir;
}

outcome wslcuda(const std::string& args) {
  const std::string cmd =
      "cd '" + work_dir().string() + "' && '" WSLCUDA_BINARY "' " + args + " 2>&1";
  outcome o;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return o;
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) o.output.append(buf, n);
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

/// Validates with the JSON Schema through Python's jsonschema (Debian python3-jsonschema).
int validate_with_schema(const fs::path& instance, const std::string& schema) {
  const std::string cmd =
      std::string("'" WSLCUDA_PYTHON "' '" WSLCUDA_SOURCE_DIR "/tests/cli/validate_json.py' '") +
      WSLCUDA_SOURCE_DIR + "/reports/schema/" + schema + "' '" + instance.string() + "'";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Cli, VersionAndHelp) {
  const outcome v = wslcuda("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.output.find("wslcuda 0."), std::string::npos) << v.output;
  const outcome h = wslcuda("--help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.output.find("run"), std::string::npos);
  EXPECT_NE(h.output.find("doctor"), std::string::npos);
  EXPECT_EQ(wslcuda("run --help").exit_code, 0);
}

TEST(Cli, UsageErrorsExit2) {
  EXPECT_EQ(wslcuda("").exit_code, 2);
  EXPECT_EQ(wslcuda("frobnicate").exit_code, 2);
  EXPECT_EQ(wslcuda("run --no-such-flag").exit_code, 2);
  EXPECT_EQ(wslcuda("run --device -1").exit_code, 2);
  const outcome nomatch = wslcuda("run --json '' --filter 'nomatch.*'");
  EXPECT_EQ(nomatch.exit_code, 2);
  EXPECT_NE(nomatch.output.find("no workload id matches"), std::string::npos) << nomatch.output;
  const outcome badpath = wslcuda("run --json /no/such/folder/r.json");
  EXPECT_EQ(badpath.exit_code, 2);
  EXPECT_NE(badpath.output.find("/no/such/folder"), std::string::npos) << badpath.output;
  EXPECT_EQ(wslcuda("doctor --root /no/such/root").exit_code, 2);
}

TEST(Cli, ListJsonNamesEveryWorkload) {
  const outcome o = wslcuda("list --json");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const json list = json::parse(o.output);
  ASSERT_TRUE(list.is_array());
  std::vector<std::string> ids;
  for (const json& w : list) {
    for (const char* key : {"id", "family", "implementation", "precision"})
      ASSERT_TRUE(w.contains(key)) << w;
    ids.push_back(w["id"]);
  }
  for (const char* prefix :
       {"gemm.own.f32", "gemm.cublas.f32", "gemm.cublas.tf32", "gemm.own.f16", "gemm.own.bf16",
        "gemm.cublas.f16", "gemm.cublas.bf16", "conv.own.f32.direct", "reduce.own.f32.sum"}) {
    EXPECT_TRUE(std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
      return id.rfind(prefix, 0) == 0;
    })) << prefix;
  }
  const json gemm = json::parse(wslcuda("list --json --filter 'gemm.*.m8192n8192k8192'").output);
  EXPECT_EQ(gemm.size(), 7u);  // own f32/f16/bf16, cuBLAS f32/tf32/f16/bf16
  // No match is a usage error, as for `run`.
  EXPECT_EQ(wslcuda("list --json --quick --filter '*.m8192n8192k8192'").exit_code, 2);
}

// Reports and baselines key on workload ids: the table of every id with its family,
// implementation, precision and description is committed, so a rename shows in the diff (and
// goes into the README and the schema's changelog). Regenerate with
// `wslcuda list --json [--quick] > tests/fixtures/golden/workloads[-quick].json`.
TEST(Cli, ListMatchesTheCommittedWorkloadTable) {
  for (const char* which : {"", " --quick"}) {
    const outcome o = wslcuda(std::string("list --json") + which);
    ASSERT_EQ(o.exit_code, 0) << o.output;
    const std::string path = std::string(WSLCUDA_SOURCE_DIR "/tests/fixtures/golden/workloads") +
                             (*which ? "-quick" : "") + ".json";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    const json golden = json::parse(in);
    const json listed = json::parse(o.output);
    ASSERT_EQ(listed.size(), golden.size()) << path;
    for (std::size_t i = 0; i < golden.size(); ++i) EXPECT_EQ(listed[i], golden[i]) << path;
  }
}

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

/// Status and message of result `id` in a report.
std::pair<std::string, std::string> result_of(const json& report, const std::string& id) {
  for (const json& r : report["results"])
    if (r["id"] == id) return {r["status"], r["message"]};
  return {"missing", ""};
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

TEST(Cli, InterruptWritesThePartialReportAndExits130) {
  const fs::path report = work_dir() / "interrupted.json";
  const fs::path journal = work_dir() / "interrupted.json.journal";
  fs::remove(report);
  fs::remove(journal);
  const std::string cwd = work_dir().string();
  std::vector<std::string> args = {WSLCUDA_BINARY, "run", "--synthetic", "--quick", "--no-progress",
                                   "--filter", "synthetic.host.f32.ok,synthetic.host.f32.hang",
                                   // The hang's own 1 s limit × 600: it is still in flight
                                   // when the signal comes, however slow the machine.
                                   "--timeout-scale", "600", "--json", report.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  // Wait (bounded) until the first result is journaled: the hang is then in flight.
  bool started = false;
  for (int i = 0; i < 600 && !started; ++i) {
    std::ifstream in(journal);
    std::string line;
    started = static_cast<bool>(std::getline(in, line)) && !line.empty();
    if (!started) usleep(50 * 1000);
  }
  ASSERT_TRUE(started) << "the first result never reached the journal";
  kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const json j = read_json(report);
  EXPECT_EQ(j["summary"]["interrupted"], true);
  EXPECT_EQ(j["summary"]["exit_code"], 130);
  ASSERT_EQ(j["results"].size(), 1u);  // ok finished; hang was stopped and is not a result
  EXPECT_EQ(j["results"][0]["id"], "synthetic.host.f32.ok");
  EXPECT_EQ(validate_with_schema(report, "report.schema.json"), 0);
}

const std::string kGolden = WSLCUDA_SOURCE_DIR "/tests/fixtures/golden/";

TEST(Cli, CompareGoldenReports) {
  const outcome slower = wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                                 "report-wsl-slower.json' --json cmp.json --markdown cmp.md");
  EXPECT_EQ(slower.exit_code, 1) << slower.output;
  EXPECT_NE(slower.output.find("verdict: FAIL"), std::string::npos);
  EXPECT_NE(slower.output.find("only in the candidate"), std::string::npos);
  EXPECT_EQ(validate_with_schema(work_dir() / "cmp.json", "comparison.schema.json"), 0);
  const json c = read_json(work_dir() / "cmp.json");
  EXPECT_EQ(c["verdict"], "fail");
  EXPECT_EQ(c["exit_code"], 1);
  std::ifstream md(work_dir() / "cmp.md");
  std::string first;
  std::getline(md, first);
  EXPECT_EQ(first, "# wslcuda compare: FAIL");

  EXPECT_EQ(wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                    "report-wsl-same.json'")
                .exit_code,
            0);
  const outcome other = wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                                "report-other-gpu.json'");
  EXPECT_EQ(other.exit_code, 0);
  EXPECT_NE(other.output.find("no matching baseline"), std::string::npos);
  // A policy file without noise floors gates nothing between two one-execution reports: not a
  // failure, but not a pass either (a gate cannot pass on nothing), so --strict fails it.
  std::ofstream(work_dir() / "loose.json")
      << R"({"schema_version": "1.0.0", "kind": "wslcuda-gate-policy", "default_min_ratio": 0.5,
             "family_min_ratio": {"latency": 0.5}})";
  const outcome loose = wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                                "report-wsl-slower.json' --policy loose.json");
  EXPECT_EQ(loose.exit_code, 0) << loose.output;
  EXPECT_NE(loose.output.find("too little evidence"), std::string::npos) << loose.output;
  EXPECT_NE(loose.output.find("verdict: WARN"), std::string::npos) << loose.output;
  EXPECT_EQ(wslcuda("compare '" + kGolden + "report-baremetal.json' '" + kGolden +
                    "report-wsl-slower.json' --policy loose.json --strict")
                .exit_code,
            1);
}

TEST(Cli, CompareInputErrorsExit2AndWriteNothing) {
  std::ofstream(work_dir() / "truncated.json")
      << R"({"schema_version": "1.0.0", "tool": {"name": "wsl)";
  fs::remove(work_dir() / "never.json");
  const outcome o =
      wslcuda("compare truncated.json '" + kGolden + "report-wsl-same.json' --json never.json");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("truncated.json:1:"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(work_dir() / "never.json"));
  std::ofstream(work_dir() / "future.json")
      << R"({"schema_version": "2.0.0", "tool": {"name": "wslcuda"}})";
  const outcome future = wslcuda("compare future.json '" + kGolden + "report-wsl-same.json'");
  EXPECT_EQ(future.exit_code, 2);
  EXPECT_NE(future.output.find("major 2 is not supported"), std::string::npos) << future.output;
  EXPECT_EQ(wslcuda("compare . '" + kGolden + "report-wsl-same.json'").exit_code, 2);
  EXPECT_EQ(wslcuda("compare only-one.json").exit_code, 2);
}

TEST(Cli, BaselineCapture) {
  fs::remove(work_dir() / "baseline.json");
  fs::remove(work_dir() / "wsl-baseline.json");
  const outcome ok =
      wslcuda("baseline capture --from '" + kGolden + "report-baremetal.json' --out baseline.json");
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(validate_with_schema(work_dir() / "baseline.json", "baseline.schema.json"), 0);
  const json b = read_json(work_dir() / "baseline.json");
  EXPECT_EQ(b["context"]["gpu_name"], "Synthetic GPU (test fixture)");
  EXPECT_EQ(b["entries"].size(), 3u);
  // The baseline gates the WSL report exactly like the report it came from.
  EXPECT_EQ(wslcuda("compare baseline.json '" + kGolden + "report-wsl-slower.json'").exit_code, 1);
  const outcome wsl = wslcuda("baseline capture --from '" + kGolden +
                              "report-wsl-same.json' --out wsl-baseline.json");
  EXPECT_EQ(wsl.exit_code, 2);
  EXPECT_NE(wsl.output.find("--allow-wsl"), std::string::npos);
  EXPECT_FALSE(fs::exists(work_dir() / "wsl-baseline.json"));
  EXPECT_EQ(wslcuda("baseline capture --from '" + kGolden +
                    "report-wsl-same.json' --out wsl-baseline.json --allow-wsl")
                .exit_code,
            0);
  // Several inputs, a baseline among them: their executions are merged.
  const outcome merged = wslcuda("baseline capture --from baseline.json --from '" + kGolden +
                                 "report-wsl-same.json' --allow-wsl --out merged.json");
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  EXPECT_NE(merged.output.find("6 executions from 2 file(s)"), std::string::npos) << merged.output;
  EXPECT_EQ(validate_with_schema(work_dir() / "merged.json", "baseline.schema.json"), 0);
  EXPECT_EQ(read_json(work_dir() / "merged.json")["entries"][0]["executions"].size(), 2u);
  // Mixed GPU models, an input that is also the output, an empty output: exit 2, named.
  const outcome mixed =
      wslcuda("baseline capture --from '" + kGolden + "report-baremetal.json' --from '" + kGolden +
              "report-other-gpu.json' --allow-wsl --out mixed.json");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.output.find("report-other-gpu.json"), std::string::npos) << mixed.output;
  EXPECT_NE(mixed.output.find("one GPU model"), std::string::npos) << mixed.output;
  EXPECT_FALSE(fs::exists(work_dir() / "mixed.json"));
  EXPECT_EQ(wslcuda("baseline capture --from baseline.json --out baseline.json").exit_code, 2);
  EXPECT_EQ(wslcuda("baseline capture --from baseline.json --out ''").exit_code, 2);
}

TEST(Cli, GateJudgesExistingReportsAgainFloorsAlone) {
  const std::string examples = WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-";
  for (const char* run : {"full-1", "full-2", "quick-1", "quick-2", "quick-3"}) {
    const outcome o =
        wslcuda("gate '" + examples + run + ".json' --baseline none --json gated.json");
    EXPECT_EQ(o.exit_code, 0) << run << o.output;
    EXPECT_EQ(validate_with_schema(work_dir() / "gated.json", "report.schema.json"), 0) << run;
    const json j = read_json(work_dir() / "gated.json");
    int floors = 0;
    for (const json& r : j["results"]) {
      if (!r.contains("floor")) continue;
      const std::string verdict = r["floor"]["verdict"];
      floors += verdict == "pass" ? 1 : 0;
      // skip: not judged, e.g. a 2^24 reduction that fits in L2 has no DRAM peak.
      EXPECT_TRUE(verdict == "pass" || verdict == "skip") << run << " " << r["floor"].dump();
      // Floors apply (no baseline); latency rows carry information only.
      EXPECT_EQ(r["floor"]["applied"].get<bool>(), r["family"] != "latency") << r["id"];
    }
    EXPECT_GE(floors, 10) << run;
    EXPECT_TRUE(j["summary"]["gate"].is_null()) << run;
  }
  // A copy with the pinned H2D copy at 20 % of the link: the floor fails it, naming the cause.
  json defect = read_json(examples + "full-1.json");
  for (json& r : defect["results"]) {
    if (r["id"] != "transfer.ce.u8.h2d_pinned.b268435456") continue;
    const double scale = 0.20 / r["throughput"]["fraction_of_peak"].get<double>();
    r["throughput"]["fraction_of_peak"] = 0.20;
    r["throughput"]["value"] = r["throughput"]["value"].get<double>() * scale;
  }
  std::ofstream(work_dir() / "defect.json") << defect.dump();
  const outcome bad = wslcuda("gate defect.json --baseline none --json defect-gated.json");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  const json g = read_json(work_dir() / "defect-gated.json");
  for (const json& r : g["results"]) {
    if (r["id"] != "transfer.ce.u8.h2d_pinned.b268435456") continue;
    EXPECT_EQ(r["status"], "fail");
    EXPECT_NE(r["floor"]["message"].get<std::string>().find("lower generation or width"),
              std::string::npos);
  }
  // Gating again starts from the measurement: a report gated once gates the same way twice.
  const outcome again = wslcuda("gate defect-gated.json --baseline none --json twice.json");
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_EQ(read_json(work_dir() / "twice.json")["results"], g["results"]);
  // With the bundled baseline the floors are information and the gate summary says what it
  // rested on.
  const outcome base = wslcuda("gate '" + examples + "quick-2.json' --json based.json");
  EXPECT_EQ(base.exit_code, 0) << base.output;
  EXPECT_NE(base.output.find("nvidia-h200-quick.json"), std::string::npos) << base.output;
  EXPECT_EQ(read_json(work_dir() / "based.json")["summary"]["gate"]["verdict"], "pass");
  // A card no baseline knows (the H200's peaks stay in the report): no baseline matches, the
  // floors apply with the card's own peaks.
  json renamed = read_json(examples + "full-1.json");
  renamed["devices"][0]["name"] = "NVIDIA GeForce RTX 4090";
  renamed["devices"][0]["compute_capability"] = "8.9";
  std::ofstream(work_dir() / "renamed.json") << renamed.dump();
  const outcome consumer = wslcuda("gate renamed.json --json renamed-gated.json");
  EXPECT_EQ(consumer.exit_code, 0) << consumer.output;
  const json rg = read_json(work_dir() / "renamed-gated.json");
  EXPECT_TRUE(rg["summary"]["gate"].is_null());
  int applied = 0;
  for (const json& r : rg["results"]) {
    if (r.contains("floor") && r["floor"]["applied"].get<bool>()) ++applied;
    if (r["baseline"].is_object()) {
      EXPECT_NE(r["baseline"]["message"].get<std::string>().find("no matching baseline"),
                std::string::npos);
    }
  }
  EXPECT_GE(applied, 25);
  // Gating a gated report again leaves the same warnings, not one more each time.
  wslcuda("gate '" + examples +
          "quick-2.json' --baseline '" WSLCUDA_SOURCE_DIR
          "/reports/baselines/nvidia-h200.json' --json thin1.json");
  wslcuda("gate thin1.json --baseline '" WSLCUDA_SOURCE_DIR
          "/reports/baselines/nvidia-h200.json' --json thin2.json");
  EXPECT_EQ(read_json(work_dir() / "thin1.json")["summary"]["warnings"],
            read_json(work_dir() / "thin2.json")["summary"]["warnings"]);
  // An interrupted run stays interrupted.
  json stopped = read_json(examples + "quick-3.json");
  stopped["summary"]["interrupted"] = true;
  std::ofstream(work_dir() / "stopped.json") << stopped.dump();
  EXPECT_EQ(wslcuda("gate stopped.json --baseline none").exit_code, 130);
  EXPECT_EQ(wslcuda("baseline capture --from stopped.json --out never.json").exit_code, 2);
  // Bad input: exit 2 naming the file; a doctor report is not a run.
  EXPECT_EQ(wslcuda("gate no-such.json").exit_code, 2);
  const outcome doctor = wslcuda("gate '" + examples + "doctor.json'");
  EXPECT_EQ(doctor.exit_code, 2);
  EXPECT_NE(doctor.output.find("doctor"), std::string::npos) << doctor.output;
}

TEST(Cli, CompareRealH200ReportsAgainstTheBundledBaseline) {
  const std::string examples = WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-";
  const std::string bundled = WSLCUDA_SOURCE_DIR "/reports/baselines/nvidia-h200.json";
  // full-2 is one of the baseline's two runs; full-1 the other: A/A, never a failure.
  const outcome o = wslcuda("compare '" + bundled + "' '" + examples +
                            "full-1.json' --json h200-cmp.json --markdown h200-cmp.md");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("verdict: PASS"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("not gated (information only):"), std::string::npos);
  EXPECT_EQ(validate_with_schema(work_dir() / "h200-cmp.json", "comparison.schema.json"), 0);
  const json c = read_json(work_dir() / "h200-cmp.json");
  EXPECT_GT(c["gated"].get<int>(), 100);
  for (const json& row : c["rows"]) {
    EXPECT_EQ(row["executions"]["baseline"], 2) << row["id"];
    if (!row["gated"].get<bool>()) {
      EXPECT_FALSE(row["why_not_gated"].get<std::string>().empty()) << row["id"];
    }
  }
  std::ifstream md(work_dir() / "h200-cmp.md");
  const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("## Gated rows"), std::string::npos);
  EXPECT_NE(text.find("## Not gated (information only)"), std::string::npos);
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

TEST(Cli, SchemaValidatorRejectsABrokenReport) {
  // The schema check above must be able to fail: a report with a bad status does not validate.
  const fs::path good = work_dir() / "run.json";
  if (!fs::exists(good)) (void)wslcuda("run --quick --json run.json --no-progress");
  json j = read_json(good);
  j["results"][0]["status"] = "passed";
  const fs::path bad = work_dir() / "broken.json";
  std::ofstream(bad) << j.dump();
  EXPECT_NE(validate_with_schema(bad, "report.schema.json"), 0);
}


}  // namespace

// ---- Issue 14: outputs, journals, workers, inputs (each test fails without its fix) ----

/// A fresh folder under the CLI tests' work folder.
fs::path fresh(const std::string& name) {
  const fs::path dir = work_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool is_char_device(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

/// Waits (bounded) for `pid` to end, through a pidfd: the event, not a sleep. Reaps it when it
/// is our child. True when it ended within `timeout_ms`.
bool wait_gone(pid_t pid, int timeout_ms) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // already gone
  pollfd p{fd, POLLIN, 0};
  const bool gone = ::poll(&p, 1, timeout_ms) == 1;
  ::close(fd);
  return gone;
}

/// Spawns wslcuda with `args`, stdout and stderr to `log`.
pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> all = {WSLCUDA_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

/// Waits (bounded, polling a file the run writes) until `path` holds a line containing `text`.
bool wait_for_text(const fs::path& path, const std::string& text, int tries = 1200) {
  for (int i = 0; i < tries; ++i) {
    if (slurp(path).find(text) != std::string::npos) return true;
    usleep(50 * 1000);
  }
  return false;
}

/// The PIDs whose parent is `parent` (from /proc/<pid>/stat).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = slurp(e.path() / "stat");
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
      out.push_back(std::stoi(name));
  }
  return out;
}

int exit_status_of(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Row 1: a device named as an output is written in place, never replaced; a full one is exit 5.
TEST(Cli, DeviceOutputsAreWrittenInPlaceNeverReplaced) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod needs root";
  const fs::path dir = fresh("devices");
  const fs::path null = dir / "null", full = dir / "full";
  if (::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0 ||
      ::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0)
    GTEST_SKIP() << "mknod refused here: " << std::strerror(errno);
  const std::string root = "--root '" WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl2-ubuntu-24.04'";
  const outcome to_null = wslcuda("doctor " + root + " --json '" + null.string() + "'");
  EXPECT_NE(to_null.exit_code, 5) << to_null.output;
  EXPECT_NE(to_null.exit_code, 4) << to_null.output;
  EXPECT_TRUE(is_char_device(null));
  const std::string base = "'" + kGolden + "report-baremetal.json'";
  for (const std::string& cmd :
       {"doctor " + root + " --json '" + full.string() + "'",
        "doctor " + root + " --junit '" + full.string() + "'",
        "compare " + base + " " + base + " --json '" + full.string() + "'",
        "baseline capture --from " + base + " --out '" + full.string() + "'",
        "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress --json '" +
            full.string() + "'"}) {
    const outcome o = wslcuda(cmd);
    EXPECT_EQ(o.exit_code, 5) << cmd << "\n" << o.output;
    EXPECT_NE(o.output.find("No space left on device"), std::string::npos) << o.output;
    EXPECT_TRUE(is_char_device(full)) << cmd << ": the device was replaced";
  }
  // A FIFO is written in place too (tee): the test reads it.
  const fs::path fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const pid_t pid =
      spawn({"doctor", "--root", WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl2-ubuntu-24.04",
             "--json", fifo.string()},
            dir / "fifo.log");
  ASSERT_GT(pid, 0);
  // Read with a bounded wait: a wslcuda that replaced the FIFO would never write into it.
  const int rd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(rd, 0);
  std::string text;
  bool writer_seen = false;
  for (int spins = 0; spins < 6000; ++spins) {
    pollfd p{rd, POLLIN, 0};
    if (::poll(&p, 1, 60000) != 1) break;  // nothing within a minute: fails below
    char buf[65536];
    const ssize_t n = ::read(rd, buf, sizeof buf);
    if (n > 0) {
      text.append(buf, static_cast<std::size_t>(n));
      writer_seen = true;
    } else if (n == 0 && writer_seen) {
      break;  // the writer closed it
    } else if (n == 0) {
      usleep(10 * 1000);  // no writer yet: POLLHUP until one opens it
    }
  }
  ::close(rd);
  if (text.empty()) ::kill(pid, SIGKILL);
  ASSERT_FALSE(text.empty()) << "nothing came through the FIFO";
  const json through = json::parse(text);
  EXPECT_EQ(through["tool"]["command"], "doctor");
  EXPECT_NE(exit_status_of(pid), 5);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

// Row 2: a journal name that is a symbolic link is never written through.
TEST(Cli, JournalNeverWritesThroughASymlink) {
  const fs::path dir = fresh("journal-link");
  std::ofstream(dir / "victim.txt") << "precious\n";
  fs::create_symlink(dir / "victim.txt", dir / "r.json.journal");
  const outcome o = wslcuda(
      "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress "
      "--json '" +
      (dir / "r.json").string() + "'");
  EXPECT_EQ(slurp(dir / "victim.txt"), "precious\n") << o.output;
  EXPECT_TRUE(fs::exists(dir / "r.json")) << o.output;
  EXPECT_TRUE(fs::is_symlink(dir / "r.json.journal.1")) << o.output;  // moved aside, unchanged
}

// Row 3: a journal left by a killed run is moved aside, whole, under a name the message gives;
// its torn last line is reported, not fatal.
TEST(Cli, AKilledRunsJournalIsMovedAsideNotTruncated) {
  const fs::path dir = fresh("journal-left");
  const std::string old = R"({"id":"synthetic.host.f32.ok","status":"pass"})"
                          "\n"
                          R"({"id":"synthetic.host.f32.sle)";
  std::ofstream(dir / "r.json.journal") << old;
  const outcome o = wslcuda(
      "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress "
      "--json '" +
      (dir / "r.json").string() + "'");
  EXPECT_EQ(slurp(dir / "r.json.journal.1"), old) << o.output;
  EXPECT_NE(o.output.find((dir / "r.json.journal.1").string()), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("1 finished result"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("torn"), std::string::npos) << o.output;
  EXPECT_TRUE(fs::exists(dir / "r.json")) << o.output;
  EXPECT_FALSE(fs::exists(dir / "r.json.journal")) << o.output;
}

// Row 4: while another process holds the report path's lock (here the test itself), a run on
// the same path exits 2 at once, naming the PID, and touches nothing.
TEST(Cli, ASecondRunOnTheSameReportExits2NamingThePid) {
  const fs::path dir = fresh("journal-lock");
  const fs::path journal = dir / "r.json.journal";
  const int fd = ::open(journal.c_str(), O_RDWR | O_CREAT | O_EXCL, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "{}\n", 3), 3);
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  ASSERT_EQ(::fcntl(fd, F_SETLK, &fl), 0);
  const outcome o = wslcuda(
      "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress "
      "--json '" +
      (dir / "r.json").string() + "'");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("PID " + std::to_string(::getpid())), std::string::npos) << o.output;
  EXPECT_EQ(slurp(journal), "{}\n");
  EXPECT_FALSE(fs::exists(dir / "r.json"));
  ::close(fd);
}

std::vector<std::string> hang_run(const fs::path& report, bool isolation = true) {
  std::vector<std::string> args = {"run",
                                   "--synthetic",
                                   "--quick",
                                   "--no-progress",
                                   "--filter",
                                   "synthetic.host.f32.ok,synthetic.host.f32.hang",
                                   "--timeout-scale",
                                   "600",
                                   "--json",
                                   report.string()};
  if (!isolation) args.push_back("--no-isolation");
  return args;
}

// Row 6: a worker dies with its parent (SIGKILL of wslcuda); SIGHUP, SIGQUIT and SIGUSR1 stop
// the run like SIGTERM (report written, exit 130).
TEST(Cli, WorkersDieWithTheirParent) {
  const fs::path dir = fresh("orphans");
  const pid_t parent = spawn(hang_run(dir / "r.json"), dir / "log");
  ASSERT_GT(parent, 0);
  ASSERT_TRUE(wait_for_text(dir / "r.json.journal", "synthetic.host.f32.ok"));
  std::vector<pid_t> workers;
  for (int i = 0; i < 1200 && workers.empty(); ++i) {
    workers = children_of(parent);
    if (workers.empty()) usleep(50 * 1000);
  }
  ASSERT_EQ(workers.size(), 1u);
  ASSERT_EQ(::kill(parent, SIGKILL), 0);
  EXPECT_EQ(exit_status_of(parent), 128 + SIGKILL);
  const bool gone = wait_gone(workers[0], 30000);
  EXPECT_TRUE(gone) << "worker " << workers[0] << " outlived its parent";
  if (!gone) ::kill(workers[0], SIGKILL);
}

TEST(Cli, HangupQuitAndUsr1StopTheRunLikeSigterm) {
  for (const int sig : {SIGHUP, SIGQUIT, SIGUSR1}) {
    const fs::path dir = fresh("signal-" + std::to_string(sig));
    const pid_t pid = spawn(hang_run(dir / "r.json"), dir / "log");
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(wait_for_text(dir / "r.json.journal", "synthetic.host.f32.ok"));
    ASSERT_EQ(::kill(pid, sig), 0);
    ASSERT_TRUE(wait_gone(pid, 60000)) << sig;
    EXPECT_EQ(exit_status_of(pid), 130) << sig << ": " << slurp(dir / "log");
    const json j = read_json(dir / "r.json");
    EXPECT_EQ(j["summary"]["interrupted"], true);
    ASSERT_EQ(j["results"].size(), 1u);
  }
}

// Row 11: --no-isolation honours Ctrl-C: the first stops between workloads (it says so), the
// second exits 130 at once, naming the journal.
TEST(Cli, NoIsolationHonoursCtrlCTwice) {
  const fs::path dir = fresh("inproc-ctrl-c");
  const pid_t pid = spawn(hang_run(dir / "r.json", /*isolation=*/false), dir / "log");
  ASSERT_GT(pid, 0);
  // Inside the hang, not between workloads (where the first Ctrl-C alone ends the run).
  ASSERT_TRUE(wait_for_text(dir / "log", "synthetic hang: waiting for a signal"));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  ASSERT_TRUE(wait_for_text(dir / "log", "stopping after the current workload"));
  ::kill(pid, SIGINT);
  const bool gone = wait_gone(pid, 60000);
  if (!gone) ::kill(pid, SIGKILL);
  ASSERT_TRUE(gone) << slurp(dir / "log");
  EXPECT_EQ(exit_status_of(pid), 130);
  EXPECT_NE(slurp(dir / "log").find((dir / "r.json.journal").string()), std::string::npos);
}

// Row 8: a full file system is an environment error (exit 5), with no temporary file left and
// no torn journal line.
TEST(Cli, AFullFileSystemIsExit5AndLeavesNothingTorn) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  const fs::path dir = fresh("full-fs");
  if (std::system(
          ("mount -t tmpfs -o size=64k wslcuda-test '" + dir.string() + "' 2>/dev/null").c_str()) !=
      0)
    GTEST_SKIP() << "cannot mount a tmpfs here";
  {
    // Leave ~6 KiB: a few journal lines fit, the report does not.
    std::ofstream fill(dir / "fill", std::ios::binary);
    fill << std::string(58 * 1024, 'x');
  }
  const outcome o = wslcuda(
      "run --synthetic --filter 'synthetic.host.f32.ok,synthetic.host.f32.wrong,"
      "synthetic.host.f32.latency,synthetic.host.f32.sleep' --quick --no-progress --json '" +
      (dir / "r.json").string() + "'");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  const std::string journal = slurp(dir / "r.json.journal");
  std::system(("umount '" + dir.string() + "'").c_str());
  EXPECT_EQ(o.exit_code, 5) << o.output;
  EXPECT_NE(o.output.find("No space left on device"), std::string::npos) << o.output;
  for (const std::string& n : names) EXPECT_TRUE(n == "fill" || n == "r.json.journal") << n;
  // Every journal line is whole.
  std::istringstream lines(journal);
  for (std::string line; std::getline(lines, line);)
    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
  EXPECT_TRUE(journal.empty() || journal.back() == '\n');
}

// Row 9: an empty output path is a usage error.
TEST(Cli, EmptyOutPathIsAUsageError) {
  const outcome o =
      wslcuda("baseline capture --from '" + kGolden + "report-baremetal.json' --out ''");
  EXPECT_EQ(o.exit_code, 2) << o.output;
}

// Row 10: two outputs naming one file, or an output naming an input, exit 2 before any work.
TEST(Cli, OutputsThatCollideExit2BeforeAnyWork) {
  const fs::path dir = fresh("collide");
  fs::copy_file(kGolden + "report-baremetal.json", dir / "a.json");
  fs::copy_file(kGolden + "report-wsl-same.json", dir / "b.json");
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  const std::string before = slurp(a);
  const std::string same = (dir / "same").string();
  for (const std::string& cmd :
       {"doctor --json '" + same + "' --junit '" + same + "' --markdown '" + same + "'",
        "run --quick --json '" + same + "' --markdown '" + dir.string() + "/./same'",
        "compare '" + a + "' '" + b + "' --json '" + a + "'",
        "compare '" + a + "' '" + b + "' --markdown '" + b + "'",
        "baseline capture --from '" + a + "' --out '" + a + "'"}) {
    const outcome o = wslcuda(cmd);
    EXPECT_EQ(o.exit_code, 2) << cmd << "\n" << o.output;
    EXPECT_EQ(o.output.find("verdict"), std::string::npos) << o.output;  // nothing ran
  }
  EXPECT_EQ(slurp(a), before);
  EXPECT_FALSE(fs::exists(same));
  // Devices may be shared: a null device twice is fine (made here, never /dev itself).
  const fs::path null = dir / "null";
  if (::geteuid() == 0 && ::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    EXPECT_NE(
        wslcuda("doctor --json '" + null.string() + "' --junit '" + null.string() + "'").exit_code,
        2);
    EXPECT_TRUE(is_char_device(null));
  }
}

// Row 5: a 250 MB file of tiny arrays is refused at a cost proportional to its size.
TEST(Cli, AHugeInputIsRefusedWithBoundedMemory) {
  const fs::path dir = fresh("huge");
  const fs::path big = dir / "big.json";
  {
    std::ofstream out(big, std::ios::binary);
    std::string chunk;
    for (int i = 0; i < (1 << 20); ++i) chunk += "[],";
    out << "[";
    const std::size_t target = 250u << 20;
    for (std::size_t written = 0; written + chunk.size() < target; written += chunk.size())
      out << chunk;
    out << "[]]";
  }
  const auto size = fs::file_size(big);
  const pid_t pid =
      spawn({"compare", kGolden + "report-baremetal.json", big.string()}, dir / "log");
  ASSERT_GT(pid, 0);
  int status = 0;
  rusage usage{};
  ASSERT_EQ(::wait4(pid, &status, 0, &usage), pid);
  fs::remove(big);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << slurp(dir / "log");
  const double peak = static_cast<double>(usage.ru_maxrss) * 1024.0;  // kB
  EXPECT_LE(peak, 4.0 * static_cast<double>(size))
      << "peak RSS " << peak / 1e6 << " MB for a " << size / 1e6 << " MB input";
}

json with_timings(json report, double value) {
  for (json& r : report["results"]) {
    if (!r["timing"].is_object()) continue;
    for (json& v : r["timing"]["values_s"]) v = value;
    for (const char* k : {"median_s", "mean_s", "min_s", "max_s"}) r["timing"][k] = value;
    r["timing"]["ci95_s"] = json::array({value, value});
  }
  return report;
}

// Row 13: statistics that overflow are an input error naming the row, never a pass on NaN.
TEST(Cli, NonFiniteComparisonStatisticsAreAnInputError) {
  const fs::path dir = fresh("huge-timings");
  const json base = read_json(kGolden + "report-baremetal.json");
  std::ofstream(dir / "slow.json") << with_timings(base, 1.7e308).dump();
  std::ofstream(dir / "fast.json") << with_timings(base, 1e-3).dump();
  const outcome o = wslcuda("compare '" + (dir / "slow.json").string() + "' '" +
                            (dir / "fast.json").string() + "'");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("not a finite number"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(base["results"][0]["id"].get<std::string>()), std::string::npos);
  EXPECT_EQ(o.output.find("nan"), std::string::npos) << o.output;
}

// Row 15: terminal escapes in ids and GPU names from a report are printed escaped.
TEST(Cli, TerminalEscapesFromAReportArePrintedEscaped) {
  const fs::path dir = fresh("escapes");
  json report = read_json(kGolden + "report-baremetal.json");
  report["results"][0]["id"] = "gemm.own.f32.\x1b]0;pwned\x07\x1b[2J";
  for (json& d : report["devices"]) d["name"] = "GPU \x1b[31mred\xc2\x9b";
  std::ofstream(dir / "evil.json") << report.dump();
  const outcome o = wslcuda("compare '" + (dir / "evil.json").string() + "' '" +
                            (dir / "evil.json").string() + "'");
  EXPECT_EQ(o.output.find('\x1b'), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("\xc2\x9b"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("\\x1b]0;pwned"), std::string::npos) << o.output;
}

// Row 7: a path that is not UTF-8 and a binary file under --root give a report, not exit 4.
TEST(Cli, NonUtf8PathsAndBinaryProbedFilesAreEscaped) {
  const fs::path dir = fresh("bytes");
  const fs::path root = dir / "root";
  fs::copy(WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl2-ubuntu-24.04", root,
           fs::copy_options::recursive);
  fs::create_directories(root / "proc/sys/kernel");
  {
    std::ofstream bin(root / "proc/sys/kernel/osrelease", std::ios::binary);
    std::string junk;
    for (int i = 0; i < 200000; ++i) junk += static_cast<char>((i * 37 + 11) % 256);
    bin << junk;
  }
  const std::string name = "r\xff\xfe.json";
  const outcome o =
      wslcuda("doctor --root '" + root.string() + "' --json '" + (dir / name).string() + "'");
  EXPECT_NE(o.exit_code, 4) << o.output.substr(0, 2000);
  EXPECT_LT(o.output.size(), 20000u);  // not the binary file on the terminal
  EXPECT_EQ(o.output.find('\x1b'), std::string::npos);
  const json j = read_json(dir / name);
  const std::string argv = j["tool"]["argv"].dump();
  EXPECT_NE(argv.find("\\\\xff\\\\xfe"), std::string::npos) << argv;
  EXPECT_LE(j["host"]["kernel_release"].get<std::string>().size(), 1000u);
}

// Row 16 (part): float flags reject NaN, seeds reject signs and overflow, `list --filter` that
// matches nothing exits 2 like `run`.
TEST(Cli, StdoutAndLinkEdgesAreHandled) {
  // A reader that goes away is no failure; a stdout that cannot be written is (exit 5).
  const std::string pipe =
      "bash -c \"'" WSLCUDA_BINARY "' list | head -n 1 >/dev/null; exit \\${PIPESTATUS[0]}\"";
  const int piped = std::system(pipe.c_str());
  EXPECT_TRUE(WIFEXITED(piped) && WEXITSTATUS(piped) == 0) << piped;
  if (fs::exists("/dev/full")) {
    const outcome full = wslcuda("list > /dev/full");
    EXPECT_EQ(full.exit_code, 5) << full.output;  // stderr goes to /dev/full too here
  }
  // A loop of symbolic links is named as such.
  fs::remove(work_dir() / "loop-a");
  fs::remove(work_dir() / "loop-b");
  fs::create_symlink("loop-b", work_dir() / "loop-a");
  fs::create_symlink("loop-a", work_dir() / "loop-b");
  const outcome loop = wslcuda("compare loop-a loop-b");
  EXPECT_EQ(loop.exit_code, 2);
  EXPECT_NE(loop.output.find("a loop of symbolic links"), std::string::npos) << loop.output;
  // An empty --root: WSL or not cannot be told, and nothing claims "not WSL".
  fs::create_directories(work_dir() / "empty-root");
  const outcome empty = wslcuda("doctor --root empty-root");
  EXPECT_NE(empty.output.find("cannot tell"), std::string::npos) << empty.output;
  EXPECT_EQ(empty.output.find("not WSL"), std::string::npos) << empty.output;
}

TEST(Cli, ArgumentsOutOfRangeExit2) {
  EXPECT_EQ(wslcuda("run --json '' --timeout-scale nan").exit_code, 2);
  EXPECT_EQ(wslcuda("run --json '' --timeout-scale inf").exit_code, 2);
  EXPECT_EQ(wslcuda("run --json '' --seed -1").exit_code, 2);
  EXPECT_EQ(wslcuda("run --json '' --seed 123456789012345678901").exit_code, 2);
  EXPECT_EQ(wslcuda("list --filter 'nomatch.*'").exit_code, 2);
  EXPECT_NE(wslcuda("run --help").output.find("--root DIR"), std::string::npos);
}

// `html` and `export` make the same input/output check as every other command: an output that is
// an input, by name or through a hard link, is refused before anything is written.
TEST(Cli, HtmlAndExportNeverWriteOverTheirInputs) {
  const fs::path dir = fresh("report-io");
  const fs::path report = dir / "r.json";
  fs::copy_file(
      fs::path(WSLCUDA_SOURCE_DIR) / "reports/examples/h200-linux-2026-11-30-quick-1.json", report);
  const std::string before = slurp(report);
  fs::create_hard_link(report, dir / "alias.csv");
  const outcome same = wslcuda("html '" + report.string() + "' --out '" + report.string() + "'");
  EXPECT_EQ(same.exit_code, 2) << same.output;
  const outcome linked =
      wslcuda("export '" + report.string() + "' --csv '" + (dir / "alias.csv").string() + "'");
  EXPECT_EQ(linked.exit_code, 2) << linked.output;
  EXPECT_EQ(slurp(report), before);
}
