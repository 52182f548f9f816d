#pragma once
// The baselines that travel with wslcuda (reports/baselines/, installed beside the binary), and
// the choice of the one that fits a run: `--baseline auto`.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "baseline/baseline.hpp"

namespace wslcuda {

/// Every baseline file among the *.json files of `dirs`, in folder order and by name within a
/// folder. Unreadable files are skipped, with their error in `notes`.
std::vector<comparable_document> load_bundled_baselines(
    const std::vector<std::filesystem::path>& dirs, std::vector<std::string>& notes);

/// Of `bundled`, the baseline for the GPU of `candidate`: of those for its model, the one that
/// shares the most ids with it (a --quick run and a full run have baselines of their own). When
/// none matches, `why_not` says "no matching baseline" and names the closest one (same compute
/// capability first).
std::optional<comparable_document> find_bundled_baseline(
    const std::vector<comparable_document>& bundled, const comparable_document& candidate,
    std::string& why_not);

}  // namespace wslcuda
