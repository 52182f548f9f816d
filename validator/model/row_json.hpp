#pragma once
// The JSON encoding of one results[] row: what a report holds and what a worker sends its
// parent (schema reports/schema/report.schema.json, "results").

#include <string>

#include "model/json.hpp"
#include "model/result.hpp"

namespace wslcuda {

/// One results[] row (optional blocks omitted when absent).
json to_json(const result_row& row);
/// Inverse of to_json(result_row). `where` prefixes error messages (file name and pointer).
/// Throws input_error on a missing key, a wrong type or an unknown status.
result_row result_from_json(const json& j, const std::string& where = "");

}  // namespace wslcuda
