// Signals, journals and workers: interrupts, a killed run, a second run, orphans.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

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

// Row 11: --no-isolation honours Ctrl-C: the first says the report is coming (the watchdog writes
// it after a grace, issue 27 item 4), the second has it written at once; exit 130 either way.
TEST(Cli, NoIsolationHonoursCtrlCTwice) {
  const fs::path dir = fresh("inproc-ctrl-c");
  const pid_t pid = spawn(hang_run(dir / "r.json", /*isolation=*/false), dir / "log");
  ASSERT_GT(pid, 0);
  // Inside the hang, not between workloads (where the first Ctrl-C alone ends the run).
  ASSERT_TRUE(wait_for_text(dir / "log", "synthetic hang: waiting for a signal"));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const bool said = wait_for_text(dir / "log", "stopping: the report of what finished");
  ::kill(pid, SIGINT);
  EXPECT_TRUE(said) << slurp(dir / "log");
  const bool gone = wait_gone(pid, 60000);
  if (!gone) ::kill(pid, SIGKILL);
  ASSERT_TRUE(gone) << slurp(dir / "log");
  EXPECT_EQ(exit_status_of(pid), 130);
  EXPECT_EQ(read_json(dir / "r.json")["results"].size(), 1u) << slurp(dir / "log");
}

}  // namespace
}  // namespace wslcuda_cli_test
