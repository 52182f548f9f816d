#pragma once
// Health floors: a speed verdict for every GPU, from its own peaks, when no baseline matches
// (most WSL users have a GeForce or RTX card no bundled baseline covers). A floor is loose by
// design: any healthy bare-metal system of a supported GPU clears it with margin; the numbers
// and their sources live in ci/gate-policy.json.

#include <string>
#include <vector>

#include "baseline/baseline.hpp"
#include "baseline/policy.hpp"
#include "model/result.hpp"

namespace wslcuda {

/// The first floor of `policy` whose globs match `id`; nullptr when none.
const health_floor* floor_for(const gate_policy& policy, const std::string& id);

/// Judges one passing, timed row against `floor`:
///  - fraction_of_peak: throughput.fraction_of_peak (the device's own peak: DRAM, host link,
///    fp32 or tensor); without it (no DRAM peak for an L2-resident working set; an unknown host
///    link, normal on WSL 2) the verdict is skip with that reason;
///  - versus: this row's throughput over that of the row whose id is this id with
///    `versus_from` replaced by `versus_to` (e.g. our SGEMM over cuBLAS's in the same run);
///    skip when that row did not pass with a throughput.
/// value < fail_below is fail (far_below_floor), < warn_below warn (below_floor), else pass
/// (above_floor); a floor that cannot be computed is skip (peak_unknown, reference_missing). A
/// warn or fail names the likely causes and the remedy, and the clocks while the row ran:
/// throttled readings and NVML's reasons, or that NVML gave none. `link` describes the host link
/// as probed (for link floors).
floor_block judge_floor(const result_row& row, const health_floor& floor,
                        const std::vector<result_row>& all, const std::string& link);

/// Sets `floor` on every row a floor of `policy` covers, with `applied` = `apply` (no baseline
/// matched: the floor then judges the row through row_verdict; otherwise it is information).
/// The row's measured status and message are not touched. Rows that did not pass, or have no
/// timing, get no floor.
void apply_floors(std::vector<result_row>& rows, const gate_policy& policy, const std::string& link,
                  bool apply);

/// Launch and synchronisation latencies have no datasheet figure, so they get information,
/// never a gate (floor verdict skip, reason information, not applied): each timed latency.* row
/// without a floor is set against the plain launch of the same run (a graph by its per_node_s:
/// "a graph node costs 0.26 times a plain launch") and against the bundled bare-metal figure of the
/// same id on any GPU model in `bundled` ("bare metal: 3.37 us on NVIDIA H200 (nvidia-h200.json)").
void add_latency_information(std::vector<result_row>& rows,
                             const std::vector<comparable_document>& bundled);

}  // namespace wslcuda
