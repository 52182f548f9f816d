#pragma once
// What the CLI tests share: running the built wslcuda binary (WSLCUDA_BINARY) in a scratch work
// folder, reading what it wrote, spawning and waiting for it without sleeps as synchronisation.

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
#include <functional>
#include <sstream>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace wslcuda_cli_test {

namespace fs = std::filesystem;
using nlohmann::json;

struct outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline fs::path work_dir() {
  const fs::path dir = fs::path(::testing::TempDir()) / "wslcuda-cli";
  fs::create_directories(dir);
  return dir;
}

/// Every wslcuda the tests start records into a history store of this test process's own (its
/// default store, under XDG_DATA_HOME), never into the user's ~/.local/share/wslcuda/history.db,
/// and never into another test's: ctest runs tests at the same time, and a run recorded by one
/// must not become another's `--baseline auto`. Removed when the process ends.
struct private_history {
  fs::path data;
  private_history() : data(work_dir() / ("xdg-data-" + std::to_string(::getpid()))) {
    fs::remove_all(data);
    fs::create_directories(data);
    ::setenv("XDG_DATA_HOME", data.c_str(), 1);
    ::unsetenv("WSLCUDA_HISTORY");
  }
  ~private_history() {
    std::error_code ec;
    fs::remove_all(data, ec);
  }
};
inline const private_history kPrivateHistory;

inline outcome wslcuda(const std::string& args) {
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

inline json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

/// Validates with the JSON Schema through Python's jsonschema (Debian python3-jsonschema).
inline int validate_with_schema(const fs::path& instance, const std::string& schema) {
  const std::string cmd =
      std::string("'" WSLCUDA_PYTHON "' '" WSLCUDA_SOURCE_DIR "/tests/cli/validate_json.py' '") +
      WSLCUDA_SOURCE_DIR + "/reports/schema/" + schema + "' '" + instance.string() + "'";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// A fresh folder under the CLI tests' work folder.
inline fs::path fresh(const std::string& name) {
  const fs::path dir = work_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline bool is_char_device(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

/// Waits (bounded) for `pid` to end, through a pidfd: the event, not a sleep. Reaps it when it
/// is our child. True when it ended within `timeout_ms`.
inline bool wait_gone(pid_t pid, int timeout_ms) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // already gone
  pollfd p{fd, POLLIN, 0};
  const bool gone = ::poll(&p, 1, timeout_ms) == 1;
  ::close(fd);
  return gone;
}

/// Spawns wslcuda with `args`, stdout and stderr to `log`.
inline pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
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
inline bool wait_for_text(const fs::path& path, const std::string& text, int tries = 1200) {
  for (int i = 0; i < tries; ++i) {
    if (slurp(path).find(text) != std::string::npos) return true;
    usleep(50 * 1000);
  }
  return false;
}

/// The PIDs whose parent is `parent` (from /proc/<pid>/stat).
inline std::vector<pid_t> children_of(pid_t parent) {
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

inline int exit_status_of(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// `report` with every timed row's samples set to `value` seconds, its statistics and its
/// throughput (work / value) following, so the report stays consistent
/// (model/report_validation.hpp).
inline json with_timings(json report, double value) {
  for (json& r : report["results"]) {
    if (!r["timing"].is_object()) continue;
    for (json& v : r["timing"]["values_s"]) v = value;
    for (const char* k : {"median_s", "mean_s", "min_s", "max_s"}) r["timing"][k] = value;
    for (const char* k : {"p90_s", "p99_s"})
      if (r["timing"].contains(k)) r["timing"][k] = value;
    r["timing"]["ci95_s"] = json::array({value, value});
    if (r.contains("executions") && r["executions"].is_array())
      for (json& e : r["executions"])
        for (const char* k : {"median_s", "min_s", "max_s"}) e[k] = value;
    if (r["throughput"].is_object()) {
      json& t = r["throughput"];
      const double work = t["unit"] == "FLOP/s" ? r.value("flops", 0.0) : r.value("bytes", 0.0);
      if (work > 0.0) t["value"] = work / value;
      if (t["peak"].is_number() && t["fraction_of_peak"].is_number())
        t["fraction_of_peak"] = t["value"].get<double>() / t["peak"].get<double>();
    }
  }
  return report;
}

/// `row` (a report's results[] entry) `factor` times slower: every time multiplied, the
/// throughput and its fraction of peak divided, so the row stays consistent.
inline void slow_down(json& row, double factor) {
  json& t = row["timing"];
  for (json& v : t["values_s"]) v = v.get<double>() * factor;
  for (const char* k : {"median_s", "mean_s", "min_s", "max_s", "p90_s", "p99_s"})
    if (t.contains(k) && t[k].is_number()) t[k] = t[k].get<double>() * factor;
  for (json& c : t["ci95_s"]) c = c.get<double>() * factor;
  if (row.contains("executions") && row["executions"].is_array())
    for (json& e : row["executions"])
      for (const char* k : {"median_s", "min_s", "max_s"}) e[k] = e[k].get<double>() * factor;
  if (row["throughput"].is_object()) {
    json& tp = row["throughput"];
    tp["value"] = tp["value"].get<double>() / factor;
    if (tp["fraction_of_peak"].is_number())
      tp["fraction_of_peak"] = tp["fraction_of_peak"].get<double>() / factor;
  }
}

/// Status and message of result `id` in a report.
inline std::pair<std::string, std::string> result_of(const json& report, const std::string& id) {
  for (const json& r : report["results"])
    if (r["id"] == id) return {r["status"], r["message"]};
  return {"missing", ""};
}

inline const std::string kGolden = WSLCUDA_SOURCE_DIR "/tests/fixtures/golden/";

inline std::vector<std::string> hang_run(const fs::path& report, bool isolation = true) {
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

}  // namespace wslcuda_cli_test
