#include "suite/samples.hpp"

#include <cctype>
#include <filesystem>
#include <sstream>

#include "model/installed_paths.hpp"

namespace wslcuda {

const std::vector<std::string>& sample_names() {
  static const std::vector<std::string> names = {"device_query", "bandwidth_test",  "vector_add",
                                                 "matrix_mul",   "black_scholes",   "nbody",
                                                 "cudnn_conv",   "nccl_all_reduce", "graph_launch"};
  return names;
}

/// "Result = PASS", "Result = FAIL" or "Result = WAIVED (reason)", trailing blanks allowed, as
/// the samples print it: sets `verdict` (and `reason`) and returns true; false for other lines.
/// (A hand parser: std::regex drew GCC 12 -Wmaybe-uninitialized warnings in the ASan build.)
static bool parse_result_line(const std::string& line, std::string& verdict, std::string& reason) {
  const std::string prefix = "Result = ";
  if (line.compare(0, prefix.size(), prefix) != 0) return false;
  std::string rest = line.substr(prefix.size());
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.pop_back();
  for (const char* word : {"PASS", "FAIL", "WAIVED"}) {
    const std::string w = word;
    if (rest.compare(0, w.size(), w) != 0) continue;
    const std::string tail = rest.substr(w.size());
    if (tail.empty()) {
      verdict = w;
      reason.clear();
      return true;
    }
    if (tail.size() >= 3 && tail.compare(0, 2, " (") == 0 && tail.back() == ')') {
      verdict = w;
      reason = tail.substr(2, tail.size() - 3);
      return true;
    }
  }
  return false;
}

result_row sample_result(const std::string& name, const child_result& child, double timeout_s) {
  result_row row;
  row.id = "sample." + name;
  row.family = "sample";
  row.implementation = "cuda_samples";
  row.precision = "f32";
  row.status = status::error;
  std::string verdict, reason;
  std::istringstream lines(child.stdout_data);
  for (std::string line; std::getline(lines, line);) parse_result_line(line, verdict, reason);
  if (!child.started) {
    row.message = "could not start: " + child.start_error;
  } else if (child.timed_out) {
    row.message = "timed out after " + std::to_string(static_cast<int>(timeout_s)) + " s";
  } else if (child.signaled) {
    row.message = "killed by " + signal_description(child.signal);
  } else if (verdict.empty()) {
    row.message = "no \"Result = \" line (exit code " + std::to_string(child.exit_code) + ")";
  } else {
    const int expected = verdict == "PASS" ? 0 : verdict == "FAIL" ? 1 : 2;
    if (child.exit_code != expected) {
      row.message =
          "printed Result = " + verdict + " but exited with " + std::to_string(child.exit_code);
    } else if (verdict == "PASS") {
      row.status = status::pass;
      row.message = "Result = PASS";
    } else if (verdict == "FAIL") {
      row.status = status::fail;
      row.message = "Result = FAIL";
    } else {
      row.status = status::skip;
      row.message = reason.empty() ? "waived" : reason;
    }
  }
  // The line before "Result = " usually says what was measured or what went wrong.
  std::istringstream again(child.stdout_data);
  std::string previous, line;
  while (std::getline(again, line)) {
    if (line.rfind("Result = ", 0) == 0) break;
    if (!line.empty()) previous = line;
  }
  if (!previous.empty() && row.status != status::skip) row.message += "; " + previous;
  return row;
}

std::vector<result_row> run_samples(const std::string& bin_dir, double timeout_s,
                                    const std::atomic<int>* interrupt,
                                    const std::function<void(const result_row&)>& on_result) {
  std::vector<result_row> rows;
  for (const std::string& name : sample_names()) {
    if (interrupt != nullptr && interrupt->load() != 0) break;
    child_request request;
    request.timeout_s = timeout_s;
    std::string searched;
    for (const std::filesystem::path& dir : sample_program_dirs(bin_dir)) {
      const std::filesystem::path program = dir / name;
      std::error_code ec;
      if (std::filesystem::exists(program, ec)) {
        request.argv = {program.string()};
        break;
      }
      searched += (searched.empty() ? "" : ", ") + program.string();
    }
    result_row row;
    if (request.argv.empty()) {
      row = sample_result(name, child_result{}, timeout_s);
      row.status = status::skip;
      row.message = "not built (" + searched + " missing; configure with WSLCUDA_BUILD_SAMPLES=ON)";
    } else {
      row = sample_result(name, run_child(request, interrupt), timeout_s);
    }
    if (on_result) on_result(row);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace wslcuda
