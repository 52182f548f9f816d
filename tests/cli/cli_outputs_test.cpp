// Outputs and what reaches a terminal: devices, full disks, collisions, escapes, links, `html` and
// `export` never writing over their inputs.

#include "cli_support.hpp"

namespace wslcuda_cli_test {
namespace {

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

}  // namespace
}  // namespace wslcuda_cli_test
