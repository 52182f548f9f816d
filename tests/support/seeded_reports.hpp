#pragma once
// Seeded test data for the history store: copies of a real report with another date, driver,
// platform or GPU UUID and a reproducible change of every time (a scale and a little noise), so
// that tests (tests/unit/history_*_test.cpp) and the benchmark (ci/bench_history.sh, through
// tests/support/seed_reports_main.cpp) build stores shaped like real ones.

#include <cstdint>
#include <optional>
#include <string>

#include "model/run_report.hpp"

namespace wslcuda_test {

struct seed_options {
  std::uint64_t seed = 1;      ///< std::mt19937_64 seed of the noise
  std::string started_at;      ///< UTC ISO 8601; "" keeps the base's (finished_at follows)
  std::string driver_version;  ///< "" keeps; else the Windows (WSL) or kernel module (Linux)
                               ///< driver and NVML's
  std::optional<bool> wsl;     ///< set the platform (host.is_wsl)
  std::string gpu_uuid;        ///< "" keeps; else every device's UUID is derived from it
  double scale = 1.0;          ///< every time multiplied by this (1.10: 10 % slower)
  std::string scale_ids;       ///< glob of the row ids `scale` applies to; "" for every row
  double noise = 0.005;        ///< relative standard deviation of a per-row factor (lognormal)
};

/// `base` with the changes of `options`: times (samples, summaries, executions) multiplied by
/// scale (rows matching scale_ids) × a per-row lognormal factor, throughputs divided by it, and the
/// identity fields rewritten. Deterministic for a given seed.
wslcuda::run_report seeded_copy(const wslcuda::run_report& base, const seed_options& options);

/// "2026-12-01T00:00:00Z" plus `hours` (UTC; days roll over months and years).
std::string hours_after(const std::string& start_iso8601, long hours);

}  // namespace wslcuda_test
