#pragma once
// The JSON report (schema reports/schema/report.schema.json; README, "Reading reports in pandas"),
// both directions in one place, as model/row_json is for a row: report_to_json writes the whole
// document, report_from_json reads it back into the model (run_report) for the commands that
// look at reports written earlier (`gate`, `html`, `export`, `history import`). Rows go through
// row_json; the header (tool, host, driver, devices, checks, summary) is done here.

#include <filesystem>
#include <string>

#include "model/json.hpp"
#include "model/row_json.hpp"
#include "model/run_report.hpp"

namespace wslcuda {

/// Semantic version of the report format; readers reject an unknown major.
/// 1.2.0: results[] rows carry `bound`, `bound_reason` and `executions`; the baseline block
/// carries `threshold` (was `min_ratio`), `noise`, `gated`, `why_not_gated` and `executions`
/// and no longer `p_value`.
/// 1.3.0: the judgement apart from the measurement: rows carry `measured_status` and
/// `measured_message` (the measurement's own; `status` and `message` stay the row's verdict),
/// `timing.method`, and a `reason` code in their baseline and floor blocks; summary.gate is set
/// whenever the run was judged (by a baseline or by the health floors) and carries `judged_by`,
/// `reason` (enough_evidence, too_little_evidence, nothing_judged), `inconclusive` and the
/// judge's `warnings` (which left summary.warnings); summary carries `no_device_reason`; a
/// top-level `history` says where `run` recorded the run (store, run_key, recorded, pending,
/// message).
inline constexpr const char* kReportSchemaVersion = "1.3.0";

/// The complete report document: schema_version, tool, started_at/finished_at, host, driver,
/// libraries, dxcore_adapters, devices, checks, results, summary {verdict, counts, exit_code,
/// message}.
json report_to_json(const run_report& report);

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
