#pragma once
// Checks a command makes before any work: outputs that do not collide, and the run's journal
// (its lock on the report path).

#include <memory>
#include <string>
#include <vector>

#include "report/journal.hpp"
#include "report/output_paths.hpp"

namespace wslcuda {

/// False, with the reason on stderr, when two outputs name one file or an output names an input
/// (report/output_paths.hpp).
bool outputs_distinct(const std::vector<named_path>& outputs,
                      const std::vector<named_path>& inputs);

/// Checks an output path before any work (report/atomic_file.hpp check_writable: folder,
/// devices, descriptors, block devices, /dev and /proc, the name limit) and that no live `run`
/// holds it as its report (report_holder: refused like a second run, naming the PID). "" is
/// fine (not written). False, with the reason on stderr.
bool output_usable(const std::string& path);

/// When one of `outputs` is this process's standard output (`--json /dev/stdout`, or a
/// descriptor on the same file or pipe), the console lines (std::cout) go to stderr instead, so
/// the output holds the document alone (`wslcuda gate r.json --json /dev/stdout | jq`).
void keep_console_off_stdout(const std::vector<std::string>& outputs);

/// The named paths of each command ("" = not given).
std::vector<named_path> report_outputs(const std::string& json_path, const std::string& junit,
                                       const std::string& markdown, const std::string& html = "");
std::vector<named_path> run_inputs(const std::string& policy, const std::string& baseline);
std::vector<named_path> compare_inputs(const std::string& a, const std::string& b,
                                       const std::string& policy);
std::vector<named_path> capture_paths(const std::string& flag,
                                      const std::vector<std::string>& paths);

/// Opens `<json_path>.journal` into `log` (none for "" or for a device, FIFO or socket, which is
/// written in place), printing on stderr where an earlier run's journal was moved. False, with
/// the reason on stderr, when another run holds the report path (naming its PID) or the journal
/// cannot be created.
bool open_run_journal(const std::string& json_path, std::unique_ptr<journal>& log);

}  // namespace wslcuda
