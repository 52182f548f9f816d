#pragma once
// The JSON report (DESIGN.md "Report"; schema reports/schema/report.schema.json).

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "probe/environment.hpp"
#include "suite/result.hpp"

namespace wslcuda {

using json = nlohmann::ordered_json;

/// Semantic version of the report format; readers reject an unknown major.
/// 1.2.0: results[] rows carry `bound`, `bound_reason` and `executions`; the baseline block
/// carries `threshold` (was `min_ratio`), `noise`, `gated`, `why_not_gated` and `executions`
/// and no longer `p_value`.
inline constexpr const char* kReportSchemaVersion = "1.2.0";

/// A malformed input document. what() names the source and the JSON pointer of the problem,
/// e.g. "report.json: /results/3/status: expected one of pass, warn, fail, skip, error".
class input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Everything one `run` or `doctor` invocation reports.
struct run_report {
  std::string command;  ///< "run" or "doctor"
  std::vector<std::string> argv;
  std::string started_at, finished_at;  ///< UTC ISO 8601
  environment env;
  std::vector<result_row> results;
  int exit_code = 0;
  bool interrupted = false;           ///< SIGINT/SIGTERM: `results` holds what finished
  std::vector<std::string> warnings;  ///< about the run itself (e.g. output on /mnt/c)
};

/// Current UTC time as ISO 8601 with seconds, e.g. "2026-11-20T23:08:00Z".
std::string utc_now_iso8601();

/// The complete report document: schema_version, tool, started_at/finished_at, host, driver,
/// libraries, dxcore_adapters, devices, checks, results, summary {verdict, counts, exit_code,
/// message}.
json report_to_json(const run_report& report);

/// One results[] row (optional blocks omitted when absent).
json to_json(const result_row& row);
/// Inverse of to_json(result_row). `where` prefixes error messages (file name and pointer).
/// Throws input_error on a missing key, a wrong type or an unknown status.
result_row result_from_json(const json& j, const std::string& where = "");

/// Overall status over checks and results (aggregate()).
status overall_verdict(const run_report& report);

}  // namespace wslcuda
