#pragma once
// `wslcuda run --samples`: the programs of cuda_samples/, each in its own process with a
// timeout, added to the report as family "sample". CUDA-free.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/result.hpp"
#include "suite/isolation.hpp"

namespace wslcuda {

/// The sample programs, in the order they are run (cuda_samples/CMakeLists.txt builds them).
const std::vector<std::string>& sample_names();

/// The status a sample reports: its last "Result = PASS|FAIL|WAIVED (<reason>)" line checked
/// against its exit code (0, 1, 2): pass, fail, skip with the reason; a crash, a timeout, a
/// missing Result line or a disagreeing exit code is `error` saying so.
result_row sample_result(const std::string& name, const child_result& child, double timeout_s);

/// Runs every sample under `timeout_s` each; `on_result` after each. `bin_dir` is the folder of
/// the wslcuda executable: each program is the first `<dir>/<name>` that exists among
/// sample_program_dirs(bin_dir) (installed: ../lib/wslcuda/samples; a build tree: bin_dir); a
/// program found nowhere is `skip`, naming every place searched.
std::vector<result_row> run_samples(const std::string& bin_dir, double timeout_s,
                                    const std::atomic<int>* interrupt,
                                    const std::function<void(const result_row&)>& on_result);

}  // namespace wslcuda
