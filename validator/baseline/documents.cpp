#include "baseline/documents.hpp"

#include "model/json_reader.hpp"
#include "model/report_json.hpp"
#include "model/report_validation.hpp"

namespace wslcuda {
namespace {

/// A report file as a comparable document: read by the report reader (model/report_json.hpp,
/// which validates every field), then taken as comparable_from_report takes a run in memory.
comparable_document from_report(const json& doc, const std::string& source) {
  const loaded_report loaded = report_from_json(doc, source);
  const run_report& report = loaded.report;
  // A comparable document (a baseline, one side of a comparison) is one GPU model.
  if (const std::vector<std::string> models = gpu_models_of_rows(report); models.size() > 1)
    throw input_error(source + ": its timed rows ran on " + std::to_string(models.size()) +
                      " GPU models (\"" + models[0] + "\" and \"" + models[1] +
                      "\"); a baseline or a comparison holds one model: split the report");
  const int device = report.results.empty() ? 0 : report.results.front().device;
  comparable_document out = comparable_from_report(report, device, source);
  out.context.wslcuda_version = loaded.tool_version;
  out.context.git_revision = loaded.git_revision;
  return out;
}

}  // namespace

comparable_document comparable_from_json(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw input_error(source + ": expected a JSON object at the top level");
  if (string_member(doc, "kind") == "wslcuda-baseline") {
    check_schema_version(doc, source, 1);
    return comparable_from_baseline_json(doc, source);
  }
  const json* tool = find_member(doc, "tool");
  if (tool != nullptr && string_member(*tool, "name") == "wslcuda") {
    check_schema_version(doc, source, 1);
    return from_report(doc, source);
  }
  throw input_error(
      source + ": neither a wslcuda report (tool.name) nor a baseline (kind: wslcuda-baseline)");
}

comparable_document load_comparable(const std::filesystem::path& path) {
  return comparable_from_json(read_json_file(path), path.string());
}

}  // namespace wslcuda
