#pragma once
// The JSON encoding of one results[] row: what a report holds and what a worker sends its
// parent (schema reports/schema/report.schema.json, "results").

#include <string>

#include "model/json.hpp"
#include "model/result.hpp"

namespace wslcuda {

/// One results[] row (optional blocks omitted when absent). `status` and `message` are the row's
/// verdict and message (row_verdict, row_message: the measurement with the judgement folded in,
/// what pandas users read); `measured_status` and `measured_message` are the measurement's own.
json to_json(const result_row& row);
/// Inverse of to_json(result_row): the row holds the measurement's own status and message, the
/// judgement stays in its baseline and floor blocks. Rows of reports before 1.3.0 (no
/// `measured_status`) are un-folded here, once: a "; baseline: …" or "; floor: …" tail is cut
/// from the message and the warn or fail it caused is pass again; their reason codes and timing
/// method are derived from what those versions wrote. `where` prefixes error messages (file name
/// and pointer). Throws input_error on a missing key, a wrong type, an unknown status, reason
/// code or timing method.
result_row result_from_json(const json& j, const std::string& where = "");

}  // namespace wslcuda
