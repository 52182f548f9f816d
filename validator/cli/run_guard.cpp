#include "cli/run_guard.hpp"

#include <sys/stat.h>

#include <iostream>

#include "report/atomic_file.hpp"

namespace wslcuda {

bool outputs_distinct(const std::vector<named_path>& outputs,
                      const std::vector<named_path>& inputs) {
  const std::string conflict = output_conflict(outputs, inputs);
  if (conflict.empty()) return true;
  std::cerr << "wslcuda: " << conflict << "\n";
  return false;
}

bool output_usable(const std::string& path) {
  if (path.empty()) return true;
  try {
    check_writable(path);
  } catch (const std::exception& e) {
    std::cerr << "wslcuda: cannot write the output: " << e.what() << "\n";
    return false;
  }
  if (is_special_file(path)) return true;
  if (const pid_t holder = report_holder(path); holder != 0) {
    std::cerr << "wslcuda: another wslcuda run (PID " << holder << ") is writing " << path
              << " (it holds " << journal_path_for(path).string()
              << "); give this output another path\n";
    return false;
  }
  return true;
}

void keep_console_off_stdout(const std::vector<std::string>& outputs) {
  struct stat out {};
  if (::fstat(1, &out) != 0) return;
  for (const std::string& p : outputs) {
    if (p.empty()) continue;
    output_target t;
    try {
      t = route_output(p);
    } catch (const std::exception&) {
      continue;
    }
    struct stat st {};
    if (t.route == output_route::descriptor &&
        (t.fd == 1 ||
         (::fstat(t.fd, &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino))) {
      std::cout.flush();
      std::cout.rdbuf(std::cerr.rdbuf());
      return;
    }
  }
}

namespace {

named_path named(const char* flag, const std::string& path) {
  named_path p;
  p.flag = flag;
  p.path = path;
  return p;
}

}  // namespace

std::vector<named_path> report_outputs(const std::string& json_path, const std::string& junit,
                                       const std::string& markdown, const std::string& html) {
  std::vector<named_path> out;
  out.push_back(named("--json", json_path));
  out.push_back(named("--junit", junit));
  out.push_back(named("--markdown", markdown));
  out.push_back(named("--html", html));
  return out;
}

std::vector<named_path> run_inputs(const std::string& policy, const std::string& baseline) {
  std::vector<named_path> out;
  out.push_back(named("--policy", policy));
  if (baseline != "auto" && baseline != "none") out.push_back(named("--baseline", baseline));
  return out;
}

std::vector<named_path> compare_inputs(const std::string& a, const std::string& b,
                                       const std::string& policy) {
  std::vector<named_path> out;
  out.push_back(named("A", a));
  out.push_back(named("B", b));
  out.push_back(named("--policy", policy));
  return out;
}

std::vector<named_path> capture_paths(const std::string& flag,
                                      const std::vector<std::string>& paths) {
  std::vector<named_path> out;
  for (const std::string& p : paths) out.push_back(named(flag.c_str(), p));
  return out;
}

bool open_run_journal(const std::string& json_path, std::unique_ptr<journal>& log) {
  if (json_path.empty() || is_special_file(json_path)) return true;
  try {
    log = std::make_unique<journal>(journal_path_for(json_path));
  } catch (const journal_busy& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return false;
  } catch (const std::runtime_error& e) {
    std::cerr << "wslcuda: " << e.what() << "\n";
    return false;
  }
  for (const std::string& note : log->notes()) std::cerr << "wslcuda: " << note << "\n";
  return true;
}

}  // namespace wslcuda
