// Where outputs go (issue 27, item 1): descriptors (/dev/stdout, /dev/fd/N, /proc/self/fd/N and
// links to them) are written to the descriptor and never replaced; block devices, names too
// long for a temporary sibling, new files in /dev or /proc and report paths a live `run` holds
// are refused with exit 2 before any work.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

const std::string kQuickReport =
    WSLCUDA_SOURCE_DIR "/reports/examples/h200-linux-2026-11-30-quick-1.json";

/// Runs `sh -c "cd WORK && <command>"` (the command chooses its own redirections); exit code.
int shell(const std::string& command) {
  const std::string cmd = "cd '" + work_dir().string() + "' && " + command;
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::string kBin = "'" WSLCUDA_BINARY "'";

bool is_link(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool parses_as_report(const fs::path& p) {
  try {
    return read_json(p)["tool"]["name"] == "wslcuda";
  } catch (const std::exception&) {
    return false;
  }
}

// `gate r.json --json /dev/stdout > out.json`: the report reaches out.json, alone (the console
// goes to stderr), and /dev/stdout is still the system's link. Every spelling of a descriptor
// and a link to one behave the same.
TEST(CliOutputTargets, DescriptorsAreWrittenToTheirDescriptorNeverReplaced) {
  const fs::path dir = fresh("fd-outputs");
  const bool dev_stdout_was_link = is_link("/dev/stdout");
  fs::create_symlink("/dev/stdout", dir / "link-to-stdout");
  fs::create_symlink(dir / "link-to-stdout", dir / "link-to-link");
  const std::string report = "'" + kQuickReport + "'";
  for (const std::string& spelling :
       {std::string("/dev/stdout"), std::string("/dev/fd/1"), std::string("/proc/self/fd/1"),
        (dir / "link-to-stdout").string(), (dir / "link-to-link").string()}) {
    const fs::path out = dir / "out.json", err = dir / "err.txt";
    fs::remove(out);
    const int rc = shell(kBin + " gate " + report + " --json '" + spelling + "' > '" +
                         out.string() + "' 2> '" + err.string() + "'");
    EXPECT_EQ(rc, 0) << spelling << "\n" << slurp(err);
    EXPECT_TRUE(parses_as_report(out)) << spelling << ": out.json is not the report alone:\n"
                                       << slurp(out).substr(0, 400);
    EXPECT_NE(slurp(err).find("verdict:"), std::string::npos) << "the console went to stderr";
    EXPECT_EQ(is_link("/dev/stdout"), dev_stdout_was_link) << spelling;
    EXPECT_FALSE(fs::exists("/dev/stdout.journal")) << spelling;
  }
  EXPECT_TRUE(is_link(dir / "link-to-stdout"));
  // Another descriptor (3 on a file), /dev/stderr, and a pipe.
  const fs::path three = dir / "three.json";
  EXPECT_EQ(shell(kBin + " gate " + report + " --json /dev/fd/3 3> '" + three.string() +
                  "' > /dev/null 2>&1"),
            0);
  EXPECT_TRUE(parses_as_report(three)) << slurp(three).substr(0, 400);
  const fs::path two = dir / "two.json";
  EXPECT_EQ(
      shell(kBin + " gate " + report + " --json /dev/stderr 2> '" + two.string() + "' > /dev/null"),
      0);
  EXPECT_TRUE(slurp(two).find("\"schema_version\"") != std::string::npos);
  const fs::path piped = dir / "piped.json";
  EXPECT_EQ(shell(kBin + " gate " + report + " --json /dev/stdout 2>/dev/null | cat > '" +
                  piped.string() + "'"),
            0);
  EXPECT_TRUE(parses_as_report(piped)) << slurp(piped).substr(0, 400);
  // `run` (no journal for a descriptor: nothing is created beside /dev/stdout); exit 3 here
  // without a GPU.
  const fs::path ran = dir / "ran.json";
  EXPECT_NE(shell(kBin +
                  " run --synthetic --filter synthetic.host.f32.ok --quick --no-progress "
                  "--json /dev/stdout > '" +
                  ran.string() + "' 2>/dev/null"),
            2);
  EXPECT_TRUE(parses_as_report(ran)) << slurp(ran).substr(0, 400);
  EXPECT_FALSE(fs::exists("/dev/stdout.journal"));
  // Every other writer.
  const fs::path csv = dir / "out.csv", html = dir / "out.html", cmp = dir / "cmp.json",
                 base = dir / "base.json";
  EXPECT_EQ(
      shell(kBin + " export " + report + " --csv /dev/stdout > '" + csv.string() + "' 2>/dev/null"),
      0);
  EXPECT_EQ(slurp(csv).rfind("report,", 0), 0u) << slurp(csv).substr(0, 200);
  EXPECT_EQ(
      shell(kBin + " html " + report + " --out /dev/stdout > '" + html.string() + "' 2>/dev/null"),
      0);
  EXPECT_EQ(slurp(html).rfind("<!DOCTYPE html>", 0), 0u) << slurp(html).substr(0, 200);
  EXPECT_EQ(shell(kBin + " compare " + report + " " + report + " --json /dev/stdout > '" +
                  cmp.string() + "' 2>/dev/null"),
            0);
  EXPECT_NO_THROW(read_json(cmp)) << slurp(cmp).substr(0, 200);
  EXPECT_EQ(shell(kBin + " baseline capture --from " + report + " --out /dev/stdout > '" +
                  base.string() + "' 2>/dev/null"),
            0);
  EXPECT_EQ(read_json(base)["kind"], "wslcuda-baseline");
  EXPECT_EQ(is_link("/dev/stdout"), dev_stdout_was_link);
}

// A descriptor that is not open, or open for reading only, is refused before any work.
TEST(CliOutputTargets, ClosedOrReadOnlyDescriptorsAreRefused) {
  const std::string report = "'" + kQuickReport + "'";
  const fs::path dir = fresh("fd-refused");
  const fs::path log = dir / "log.txt";
  EXPECT_EQ(shell(kBin + " gate " + report + " --json /dev/fd/7 > '" + log.string() + "' 2>&1"), 2);
  EXPECT_NE(slurp(log).find("not open"), std::string::npos) << slurp(log);
  EXPECT_EQ(slurp(log).find("verdict:"), std::string::npos) << "work was done";
  EXPECT_EQ(shell(kBin + " gate " + report + " --json /proc/self/fd/5 5< " + report + " > '" +
                  log.string() + "' 2>&1"),
            2);
  EXPECT_NE(slurp(log).find("reading only"), std::string::npos) << slurp(log);
}

// A block device, or a link to one, is never written: exit 2 before any work, for every
// writer. The node is made in a scratch folder (mknod needs no real device; nothing opens it).
TEST(CliOutputTargets, BlockDevicesAreRefusedBeforeAnyWork) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod of a block device needs root";
  const fs::path dir = fresh("block-device");
  const fs::path node = dir / "disk";
  if (::mknod(node.c_str(), S_IFBLK | 0600, makedev(7, 200)) != 0)
    GTEST_SKIP() << "mknod refused here: " << std::strerror(errno);
  fs::create_symlink(node, dir / "report.csv");
  const std::string report = "'" + kQuickReport + "'";
  for (const fs::path& target : {node, dir / "report.csv"}) {
    const std::string t = "'" + target.string() + "'";
    for (const std::string& cmd :
         {"gate " + report + " --json " + t, "gate " + report + " --markdown " + t,
          "export " + report + " --csv " + t, "html " + report + " --out " + t,
          "compare " + report + " " + report + " --json " + t,
          "baseline capture --from " + report + " --out " + t,
          "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress --junit " + t,
          "doctor --root '" WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl2-ubuntu-24.04' --json " +
              t}) {
      const outcome o = wslcuda(cmd);
      EXPECT_EQ(o.exit_code, 2) << cmd << "\n" << o.output;
      EXPECT_NE(o.output.find("block device"), std::string::npos) << cmd << "\n" << o.output;
      EXPECT_EQ(o.output.find("verdict:"), std::string::npos) << cmd << ": work was done";
      EXPECT_EQ(o.output.find("running"), std::string::npos) << cmd << ": work was done";
    }
  }
  struct stat st {};
  ASSERT_EQ(::lstat(node.c_str(), &st), 0);
  EXPECT_TRUE(S_ISBLK(st.st_mode));
  EXPECT_TRUE(is_link(dir / "report.csv"));
}

// A name whose temporary sibling (8 bytes longer) would pass the file system's limit is refused
// before any work; the longest name that fits is written.
TEST(CliOutputTargets, NamesTooLongForTheTemporarySiblingAreRefusedBeforeWork) {
  const fs::path dir = fresh("long-names");
  const long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  ASSERT_GT(name_max, 16);
  const std::string report = "'" + kQuickReport + "'";
  const std::string too_long(static_cast<std::size_t>(name_max) - 7, 'x');
  const std::string longest(static_cast<std::size_t>(name_max) - 8, 'y');
  for (const char* flag : {"--json", "--markdown", "--html"}) {
    const outcome o =
        wslcuda("gate " + report + " " + flag + " '" + (dir / too_long).string() + "'");
    EXPECT_EQ(o.exit_code, 2) << flag << "\n" << o.output;
    EXPECT_NE(o.output.find("limit of " + std::to_string(name_max)), std::string::npos) << o.output;
    EXPECT_EQ(o.output.find("verdict:"), std::string::npos) << "work was done";
  }
  const outcome csv = wslcuda("export " + report + " --csv '" + (dir / too_long).string() + "'");
  EXPECT_EQ(csv.exit_code, 2) << csv.output;
  const outcome run =
      wslcuda("run --synthetic --filter synthetic.host.f32.ok --quick --no-progress --markdown '" +
              (dir / too_long).string() + "'");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(run.output.find("running"), std::string::npos) << run.output;
  const outcome fits = wslcuda("gate " + report + " --json '" + (dir / longest).string() + "'");
  EXPECT_EQ(fits.exit_code, 0) << fits.output;
  EXPECT_TRUE(parses_as_report(dir / longest));
}

// Nothing new is created in /dev or /proc: a regular file there is refused.
TEST(CliOutputTargets, NoNewFileInDevOrProc) {
  const std::string report = "'" + kQuickReport + "'";
  for (const std::string& target :
       {std::string("/dev/wslcuda-test-output.json"), std::string("/proc/self/wslcuda.json")}) {
    const outcome o = wslcuda("gate " + report + " --json " + target);
    EXPECT_EQ(o.exit_code, 2) << target << "\n" << o.output;
    EXPECT_FALSE(fs::exists(target));
  }
  EXPECT_FALSE(fs::exists("/dev/wslcuda-test-output.json.journal"));
}

// A report path that a live `run` holds (its locked journal) is refused to every writer, as a
// second `run` is, naming the PID.
TEST(CliOutputTargets, AReportPathALiveRunHoldsIsRefusedToEveryWriter) {
  const fs::path dir = fresh("held");
  const fs::path held = dir / "r.json", log = dir / "run.log";
  const pid_t pid = spawn(hang_run(held), log);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_text(held.string() + ".journal", "synthetic.host.f32.ok")) << slurp(log);
  const std::string report = "'" + kQuickReport + "'";
  const std::string h = "'" + held.string() + "'";
  for (const std::string& cmd :
       {"gate " + report + " --json " + h, "gate " + report + " --html " + h,
        "export " + report + " --csv " + h, "html " + report + " --out " + h,
        "compare " + report + " " + report + " --markdown " + h,
        "baseline capture --from " + report + " --out " + h,
        "doctor --root '" WSLCUDA_SOURCE_DIR "/tests/fixtures/roots/wsl2-ubuntu-24.04' --junit " +
            h,
        "run --synthetic --filter synthetic.host.f32.ok --quick --no-progress --json " + h}) {
    const outcome o = wslcuda(cmd);
    EXPECT_EQ(o.exit_code, 2) << cmd << "\n" << o.output;
    EXPECT_NE(o.output.find("PID " + std::to_string(pid)), std::string::npos) << cmd << "\n"
                                                                              << o.output;
    EXPECT_FALSE(fs::exists(held)) << cmd << ": wrote the held report";
  }
  ::kill(pid, SIGINT);
  EXPECT_EQ(exit_status_of(pid), 130);
  EXPECT_TRUE(parses_as_report(held));
  // Once the run is over, the path is free again.
  const outcome after = wslcuda("gate " + report + " --json " + h);
  EXPECT_EQ(after.exit_code, 0) << after.output;
}

}  // namespace
}  // namespace wslcuda_cli_test
