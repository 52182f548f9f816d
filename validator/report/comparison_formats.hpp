#pragma once
// A comparison of two documents as `wslcuda compare` writes it: JSON
// (reports/schema/comparison.schema.json), Markdown and the console table.

#include <ostream>
#include <string>

#include "baseline/compare.hpp"
#include "baseline/policy.hpp"
#include "model/json.hpp"

namespace wslcuda {

/// Semantic version of the comparison document written by `wslcuda compare --json`.
/// 1.1.0: rows carry bound, gated, why_not_gated, noise, threshold and executions; the
/// document carries gated, gated_pass and evidence; p_value is gone.
inline constexpr const char* kComparisonSchemaVersion = "1.1.0";

/// The comparison document (reports/schema/comparison.schema.json).
json comparison_to_json(const document_comparison& c, const comparable_document& baseline,
                        const comparable_document& candidate, const gate_policy& policy,
                        int exit_code);
/// Markdown: verdict first, then failures, then a table per family.
std::string comparison_markdown(const document_comparison& c, const comparable_document& baseline,
                                const comparable_document& candidate, const gate_policy& policy);
/// The table on stdout.
void print_comparison(std::ostream& os, const document_comparison& c,
                      const comparable_document& baseline, const comparable_document& candidate);

}  // namespace wslcuda
