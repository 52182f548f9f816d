// `run --no-isolation` (issue 27, item 4): a workload in the wslcuda process cannot be killed, so
// a watchdog thread enforces its time limit and a stop signal. `timeout 60 wslcuda run
// --no-isolation` with a hung workload ends on its own; one SIGTERM (what timeout, docker stop
// and systemd send) writes the report of what finished and exits 130 while the workload hangs.
// Synchronisation is on the hang's own stderr line, never a sleep.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

std::vector<std::string> in_process_hang(const fs::path& report, const std::string& filter,
                                         const std::string& scale) {
  return {"run",  "--no-isolation",  "--synthetic", "--quick", "--no-progress", "--filter",
          filter, "--timeout-scale", scale,         "--json",  report.string()};
}

/// Spawns the run, waits (bounded) until the hang says it is waiting, and returns the PID.
pid_t spawn_inside_hang(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = spawn(args, log);
  if (pid <= 0) return pid;
  if (!wait_for_text(log, "synthetic hang: waiting for a signal")) {
    ::kill(pid, SIGKILL);
    exit_status_of(pid);
    return -1;
  }
  return pid;
}

// The hang's own limit (1 s here): the watchdog ends the run with the hang as `error`, the
// workloads after it as `skip` (not run), the report written, the journal gone; `timeout 60`
// never has to act (it would exit 124).
TEST(CliNoIsolation, AHungWorkloadEndsTheRunAtItsTimeLimit) {
  const fs::path dir = fresh("inproc-deadline");
  const fs::path report = dir / "r.json";
  const std::string cmd =
      "timeout -k 5 60 '" WSLCUDA_BINARY
      "' run --no-isolation --synthetic --no-progress "
      "--filter synthetic.host.f32.ok,synthetic.host.f32.hang,synthetic.host.f32.wrong --json '" +
      report.string() + "' > '" + (dir / "log").string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  const int code = WEXITSTATUS(status);
  EXPECT_NE(code, 124) << "timeout had to stop it:\n" << slurp(dir / "log");
  EXPECT_NE(code, 137) << slurp(dir / "log");
  const json j = read_json(report);
  EXPECT_EQ(j["summary"]["exit_code"], code);
  EXPECT_EQ(result_of(j, "synthetic.host.f32.ok").first, "pass");
  const auto [hang_status, hang_message] = result_of(j, "synthetic.host.f32.hang");
  EXPECT_EQ(hang_status, "error");
  EXPECT_NE(hang_message.find("timed out after 1 s in process"), std::string::npos) << hang_message;
  const auto [after_status, after_message] = result_of(j, "synthetic.host.f32.wrong");
  EXPECT_EQ(after_status, "skip");
  EXPECT_NE(after_message.find("not run"), std::string::npos) << after_message;
  EXPECT_FALSE(fs::exists(dir / "r.json.journal"));
  EXPECT_EQ(validate_with_schema(report, "report.schema.json"), 0);
}

// One stop signal while the workload hangs (its limit 600 s away): the report of what finished
// is written and the run exits 130, for every stop signal.
TEST(CliNoIsolation, OneStopSignalWritesTheReportWhileAWorkloadHangs) {
  for (const int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1}) {
    const fs::path dir = fresh("inproc-stop-" + std::to_string(sig));
    const fs::path report = dir / "r.json";
    const pid_t pid = spawn_inside_hang(
        in_process_hang(report, "synthetic.host.f32.ok,synthetic.host.f32.hang", "600"),
        dir / "log");
    ASSERT_GT(pid, 0) << slurp(dir / "log");
    ASSERT_EQ(::kill(pid, sig), 0);
    // Bounded: the watchdog's grace is 2 s; a minute means it never acted.
    const bool gone = wait_gone(pid, 60000);
    if (!gone) ::kill(pid, SIGKILL);
    ASSERT_TRUE(gone) << sig << ": still running after one signal\n" << slurp(dir / "log");
    EXPECT_EQ(exit_status_of(pid), 130) << sig << slurp(dir / "log");
    const json j = read_json(report);
    EXPECT_EQ(j["summary"]["interrupted"], true);
    ASSERT_EQ(j["results"].size(), 1u) << j["results"].dump();
    EXPECT_EQ(j["results"][0]["id"], "synthetic.host.f32.ok");
    EXPECT_FALSE(fs::exists(dir / "r.json.journal"));
    EXPECT_NE(slurp(dir / "log").find("did not return"), std::string::npos) << slurp(dir / "log");
  }
}

// A second signal does not wait for the grace: the report is written at once.
TEST(CliNoIsolation, ASecondSignalWritesTheReportAtOnce) {
  const fs::path dir = fresh("inproc-twice");
  const fs::path report = dir / "r.json";
  const pid_t pid = spawn_inside_hang(
      in_process_hang(report, "synthetic.host.f32.ok,synthetic.host.f32.hang", "600"), dir / "log");
  ASSERT_GT(pid, 0) << slurp(dir / "log");
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const bool said = wait_for_text(dir / "log", "stopping: the report of what finished");
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  EXPECT_TRUE(said) << slurp(dir / "log");
  const bool gone = wait_gone(pid, 60000);
  if (!gone) ::kill(pid, SIGKILL);
  ASSERT_TRUE(gone) << slurp(dir / "log");
  EXPECT_EQ(exit_status_of(pid), 130);
  EXPECT_EQ(read_json(report)["summary"]["interrupted"], true);
}

}  // namespace
}  // namespace wslcuda_cli_test
