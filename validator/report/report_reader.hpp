#pragma once
// Reading a whole report file back into the model (run_report) for the commands that look at
// reports written earlier (`wslcuda html`, `wslcuda export`). Rows go through
// result_from_json, the same reader the baseline code uses; the header (tool, host, driver,
// devices, checks, summary) is read here.

#include <filesystem>
#include <string>

#include "report/json_report.hpp"

namespace wslcuda {

/// A report read from a file, with what the model does not carry.
struct loaded_report {
  run_report report;
  std::string source;        ///< the file as named on the command line
  std::string tool_version;  ///< tool.version of the file ("" when absent)
  std::string git_revision;  ///< tool.git_revision of the file ("" when absent)
  std::string schema_version;
};

/// The report in `doc`. Throws input_error "SOURCE: /json/pointer: problem" for a document that
/// is not a wslcuda report (tool.name), an unknown schema major, a missing results[] array, a
/// malformed row (result_from_json) or a header member of the wrong type. Header members that
/// are absent keep their defaults (older reports lack some).
loaded_report report_from_json(const json& doc, const std::string& source);

/// read_json_file + report_from_json.
loaded_report read_report_file(const std::filesystem::path& path);

}  // namespace wslcuda
