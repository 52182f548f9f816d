#pragma once
// The JSON report (schema reports/schema/report.schema.json; README, "Reading reports in pandas").

#include "model/json.hpp"
#include "model/row_json.hpp"
#include "model/run_report.hpp"

namespace wslcuda {

/// Semantic version of the report format; readers reject an unknown major.
/// 1.2.0: results[] rows carry `bound`, `bound_reason` and `executions`; the baseline block
/// carries `threshold` (was `min_ratio`), `noise`, `gated`, `why_not_gated` and `executions`
/// and no longer `p_value`.
inline constexpr const char* kReportSchemaVersion = "1.2.0";

/// The complete report document: schema_version, tool, started_at/finished_at, host, driver,
/// libraries, dxcore_adapters, devices, checks, results, summary {verdict, counts, exit_code,
/// message}.
json report_to_json(const run_report& report);

}  // namespace wslcuda
